-- Webhook events are written in the same transaction as the change they report.
-- Only when some active webhook wants them: an install without webhooks stores nothing.
CREATE TRIGGER `webhook_message_event` AFTER INSERT ON `message_events`
WHEN NEW.status IN ('received', 'sent', 'delivered', 'read', 'failed')
  AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_events (type, channel_id, conversation_id, message_id, message_event_id, created_at)
  SELECT CASE NEW.status WHEN 'received' THEN 'message.received' ELSE 'message.status' END,
    m.channel_id, m.conversation_id, m.id, NEW.id, NEW.at
  FROM messages m WHERE m.id = NEW.message_id;
END;
--> statement-breakpoint
CREATE TRIGGER `webhook_channel_status` AFTER UPDATE OF status ON `channels`
WHEN OLD.status IS NOT NEW.status
  AND EXISTS (SELECT 1 FROM webhooks WHERE active = 1)
BEGIN
  INSERT INTO webhook_events (type, channel_id, data, created_at)
  VALUES ('channel.status', NEW.id,
    json_object('id', NEW.id, 'name', NEW.name, 'kind', NEW.kind, 'status', NEW.status,
      'reason', NEW.status_reason),
    NEW.updated_at);
END;
--> statement-breakpoint
-- One delivery per event for every active webhook that asked for its type and channel.
CREATE TRIGGER `webhook_fan_out` AFTER INSERT ON `webhook_events`
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event_id, event, payload, status, attempts,
    next_attempt_at, created_at)
  SELECT w.id, NEW.id, NEW.type, '', 'pending', 0, NEW.created_at, NEW.created_at
  FROM webhooks w
  WHERE w.active = 1
    AND (w.channel_id IS NULL OR w.channel_id = NEW.channel_id)
    AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value IN (NEW.type, '*'));
END;
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_order_idx` ON `webhook_deliveries` (`webhook_id`, `status`, `id`);
