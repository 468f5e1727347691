-- Messages are added to the search index in batches, by a step at the end of each group commit
-- and inbound batch (db/search_index.ts), not one by one by a trigger: a trigger's insert into
-- the index cost more than the message itself. `search_index` remembers the last message indexed;
-- an edit or deletion touches the index only for messages already in it.
CREATE TABLE `search_index` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`last_message_id` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `search_index` (`id`, `last_message_id`) SELECT 1, coalesce(max(`id`), 0) FROM `messages`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_delete`;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages`
WHEN old.body IS NOT NULL AND old.id <= (SELECT last_message_id FROM search_index) BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
--> statement-breakpoint
DROP TRIGGER `messages_fts_update`;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` AFTER UPDATE OF body ON `messages`
WHEN old.id <= (SELECT last_message_id FROM search_index) BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) SELECT 'delete', old.id, old.body WHERE old.body IS NOT NULL;
  INSERT INTO messages_fts(rowid, body) SELECT new.id, new.body WHERE new.body IS NOT NULL;
END;
