CREATE TABLE `opt_outs` (
	`phone` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`message_id` integer,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_broadcast_recipients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`broadcast_id` integer NOT NULL,
	`row` integer NOT NULL,
	`input` text DEFAULT '' NOT NULL,
	`phone` text,
	`telegram_chat_id` text,
	`name` text,
	`contact_id` integer,
	`variables` text DEFAULT '{}' NOT NULL,
	`message_id` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`error` text,
	`error_code` text,
	FOREIGN KEY (`broadcast_id`) REFERENCES `broadcasts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_broadcast_recipients`("id", "broadcast_id", "row", "input", "phone", "contact_id", "variables", "message_id", "status", "error") SELECT "id", "broadcast_id", "id", "phone", "phone", "contact_id", "variables", "message_id", "status", "error" FROM `broadcast_recipients`;--> statement-breakpoint
DROP TABLE `broadcast_recipients`;--> statement-breakpoint
ALTER TABLE `__new_broadcast_recipients` RENAME TO `broadcast_recipients`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `broadcast_recipients_phone_idx` ON `broadcast_recipients` (`broadcast_id`,`phone`) WHERE phone IS NOT NULL AND status NOT IN ('duplicate', 'invalid');--> statement-breakpoint
CREATE UNIQUE INDEX `broadcast_recipients_row_idx` ON `broadcast_recipients` (`broadcast_id`,`row`);--> statement-breakpoint
CREATE INDEX `broadcast_recipients_message_idx` ON `broadcast_recipients` (`message_id`);--> statement-breakpoint
CREATE INDEX `broadcast_recipients_status_idx` ON `broadcast_recipients` (`broadcast_id`,`status`);--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `variables` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `window_start` integer;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `window_end` integer;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `stop_after` integer;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `source` text DEFAULT 'text' NOT NULL;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `label_id` integer REFERENCES labels(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `confirmed_at` integer;--> statement-breakpoint
-- The states were renamed: a broadcast `sending` is `running`, one `done` is `finished`.
UPDATE `broadcasts` SET `status` = 'running' WHERE `status` = 'sending';--> statement-breakpoint
UPDATE `broadcasts` SET `status` = 'finished' WHERE `status` = 'done';
