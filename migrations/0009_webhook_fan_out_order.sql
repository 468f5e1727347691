-- Deliveries carry the key their order is kept by, so the worker finds the next one of each
-- conversation from an index instead of comparing every pending delivery with every other.
DROP TRIGGER `webhook_fan_out`;
--> statement-breakpoint
CREATE TRIGGER `webhook_fan_out` AFTER INSERT ON `webhook_events`
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event_id, order_key, event, payload, status, attempts,
    next_attempt_at, created_at)
  SELECT w.id, NEW.id, coalesce(NEW.conversation_id, -NEW.channel_id), NEW.type, '', 'pending', 0,
    NEW.created_at, NEW.created_at
  FROM webhooks w
  WHERE w.active = 1
    AND (w.channel_id IS NULL OR w.channel_id = NEW.channel_id)
    AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value IN (NEW.type, '*'));
END;
--> statement-breakpoint
UPDATE webhook_deliveries SET order_key = (
  SELECT coalesce(e.conversation_id, -e.channel_id) FROM webhook_events e WHERE e.id = event_id);
--> statement-breakpoint
DROP INDEX IF EXISTS `webhook_deliveries_order_idx`;
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_status_id_idx` ON `webhook_deliveries` (`status`, `id`);
