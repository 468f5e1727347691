CREATE TABLE `conversation_activities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` integer,
	`actor_name` text,
	`details` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `conversation_activities_conversation_idx` ON `conversation_activities` (`conversation_id`,`at`);--> statement-breakpoint
CREATE TABLE `note_mentions` (
	`note_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`seen_at` integer,
	PRIMARY KEY(`note_id`, `user_id`),
	FOREIGN KEY (`note_id`) REFERENCES `conversation_notes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `note_mentions_user_idx` ON `note_mentions` (`user_id`,`seen_at`);--> statement-breakpoint
DROP INDEX `conversation_notes_conversation_idx`;--> statement-breakpoint
CREATE INDEX `conversation_notes_conversation_idx` ON `conversation_notes` (`conversation_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `email` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `notes` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `retry_of_id` integer REFERENCES messages(id) ON DELETE SET NULL;--> statement-breakpoint
-- A failed message is sent again once: two people pressing Retry together queue one message.
CREATE UNIQUE INDEX `messages_retry_of_idx` ON `messages` (`retry_of_id`) WHERE retry_of_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `conversations_unread_idx` ON `conversations` (`last_activity_at`) WHERE unread_count > 0;--> statement-breakpoint
-- Contacts are found by any three letters of a name or digits of a number, accents folded
-- (`pérawat` and `perawat`); triggers keep the index whole, as contacts change rarely.
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(name, phone, push_name, content='contacts', content_rowid='id', tokenize='trigram remove_diacritics 1');
--> statement-breakpoint
INSERT INTO `contacts_fts`(`contacts_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(rowid, name, phone, push_name) VALUES (new.id, new.name, new.phone, new.push_name);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, rowid, name, phone, push_name) VALUES ('delete', old.id, old.name, old.phone, old.push_name);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF name, phone, push_name ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, rowid, name, phone, push_name) VALUES ('delete', old.id, old.name, old.phone, old.push_name);
  INSERT INTO `contacts_fts`(rowid, name, phone, push_name) VALUES (new.id, new.name, new.phone, new.push_name);
END;
