DROP INDEX `messages_broadcast_idx`;--> statement-breakpoint
CREATE INDEX `messages_broadcast_idx` ON `messages` (`broadcast_id`,`contact_id`) WHERE broadcast_id IS NOT NULL;