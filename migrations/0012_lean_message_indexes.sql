DROP INDEX `messages_outbox_idx`;--> statement-breakpoint
DROP INDEX `messages_broadcast_idx`;--> statement-breakpoint
CREATE INDEX `messages_broadcast_idx` ON `messages` (`broadcast_id`) WHERE broadcast_id IS NOT NULL;