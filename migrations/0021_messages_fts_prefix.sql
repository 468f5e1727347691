-- The search index keeps 3-character prefixes, so the word being typed (`lab`) finds longer ones
-- (`laboratorium`) from the index instead of scanning its terms. The index is built again from
-- every message, and then holds them all.
DROP TABLE `messages_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(body, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3');
--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
--> statement-breakpoint
UPDATE `search_index` SET `last_message_id` = (SELECT coalesce(max(`id`), 0) FROM `messages`);
