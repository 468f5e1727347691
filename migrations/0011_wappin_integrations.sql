-- Wappin-compatible integrations (one per channel), the format of their callback webhooks, and an
-- index that keeps message inserts from scanning broadcast recipients.
CREATE TABLE `wappin_integrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` integer NOT NULL,
	`webhook_id` integer NOT NULL,
	`client_id` text NOT NULL,
	`project_id` text NOT NULL,
	`client_name` text NOT NULL,
	`project_name` text NOT NULL,
	`environment` text NOT NULL,
	`callback_url` text,
	`ip_whitelist` text DEFAULT '[]' NOT NULL,
	`secret_key_hash` text NOT NULL,
	`client_key_hash` text NOT NULL,
	`token_hash` text,
	`token_sealed` text,
	`token_expires_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wappin_integrations_client_id_unique` ON `wappin_integrations` (`client_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `wappin_integrations_project_id_unique` ON `wappin_integrations` (`project_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `wappin_integrations_token_hash_unique` ON `wappin_integrations` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `wappin_integrations_channel_idx` ON `wappin_integrations` (`channel_id`);--> statement-breakpoint
ALTER TABLE `webhooks` ADD `format` text DEFAULT 'kabar' NOT NULL;--> statement-breakpoint
CREATE INDEX `broadcast_recipients_message_idx` ON `broadcast_recipients` (`message_id`);