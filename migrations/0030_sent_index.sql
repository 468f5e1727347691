-- A channel's sends since a moment (its daily cap, and why a broadcast waits): found from an
-- index of the messages sent, instead of a scan of every message.
CREATE INDEX `messages_sent_idx` ON `messages` (`channel_id`,`sent_at`) WHERE direction = 'out' AND sent_at IS NOT NULL;
