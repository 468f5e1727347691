CREATE TABLE `sandbox_inbox` (
	`channel_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`deliveries` integer DEFAULT 1 NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `external_id`)
);
