-- A queued message's `queued` event is written by the database as the message is inserted, in the
-- same statement: every message queued (an API send, a reply, a broadcast's row) costs the writer
-- one statement less.
CREATE TRIGGER `message_queued_event` AFTER INSERT ON `messages` WHEN NEW.status = 'queued'
BEGIN
  INSERT INTO `message_events` (`message_id`, `status`, `at`) VALUES (NEW.id, 'queued', NEW.created_at);
END;
