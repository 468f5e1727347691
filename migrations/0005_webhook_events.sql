CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`channel_id` integer,
	`conversation_id` integer,
	`message_id` integer,
	`message_event_id` integer,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_events_created_idx` ON `webhook_events` (`created_at`);--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `event_id` integer REFERENCES webhook_events(id);--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `response_excerpt` text;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_event_idx` ON `webhook_deliveries` (`event_id`);