CREATE TABLE `channel_departments` (
	`channel_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `department_id`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_departments_department_idx` ON `channel_departments` (`department_id`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `last_activity_at` integer;--> statement-breakpoint
CREATE INDEX `conversations_activity_idx` ON `conversations` (`status`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_assignee_activity_idx` ON `conversations` (`assignee_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_department_activity_idx` ON `conversations` (`department_id`,`last_activity_at`,`id`);--> statement-breakpoint
-- Until now only patients made activity: staff replies come with the inbox.
UPDATE `conversations` SET `last_activity_at` = `last_inbound_at`;
