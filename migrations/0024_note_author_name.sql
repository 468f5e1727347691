-- A note keeps its author's name: an API key has no account to read it from, and an account
-- may be deleted.
ALTER TABLE `conversation_notes` ADD `author_name` text;