-- The dispatcher takes queued messages by channel, priority and age: this index hands them over in
-- that order instead of sorting every queued message on each claim.
CREATE INDEX `messages_queue_idx` ON `messages` (`channel_id`, `priority`, `id`) WHERE status = 'queued';
