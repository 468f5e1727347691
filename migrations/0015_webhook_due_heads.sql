-- A delivery waiting behind an earlier unfinished one of its endpoint and conversation gets no
-- next attempt time until that one is done, so the worker's claim, which reads due deliveries
-- from webhook_deliveries_due_idx, never walks past the backlog of an endpoint that is down.
DROP TRIGGER `webhook_fan_out`;
--> statement-breakpoint
CREATE TRIGGER `webhook_fan_out` AFTER INSERT ON `webhook_events`
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event_id, order_key, event, payload, status, attempts,
    next_attempt_at, created_at)
  SELECT w.id, NEW.id, coalesce(NEW.conversation_id, -NEW.channel_id), NEW.type, '', 'pending', 0,
    CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries e
        WHERE e.status IN ('pending', 'delivering') AND e.webhook_id = w.id
          AND e.order_key = coalesce(NEW.conversation_id, -NEW.channel_id))
      THEN NULL ELSE NEW.created_at END,
    NEW.created_at
  FROM webhooks w
  WHERE w.active = 1
    AND (w.channel_id IS NULL OR w.channel_id = NEW.channel_id)
    AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value IN (NEW.type, '*'));
END;
--> statement-breakpoint
-- When a delivery is done (or deleted), the next one of its endpoint and conversation falls due
-- at the time it would have had all along: when its event was stored. It never went out, so its
-- next attempt is its first.
CREATE TRIGGER `webhook_delivery_done` AFTER UPDATE OF status ON `webhook_deliveries`
WHEN OLD.status IN ('pending', 'delivering') AND NEW.status NOT IN ('pending', 'delivering')
BEGIN
  UPDATE webhook_deliveries SET next_attempt_at = created_at
  WHERE status = 'pending' AND next_attempt_at IS NULL AND id = (
    SELECT min(id) FROM (
      SELECT min(id) AS id FROM webhook_deliveries
        WHERE status = 'pending' AND webhook_id = NEW.webhook_id AND order_key = NEW.order_key
      UNION ALL
      SELECT min(id) FROM webhook_deliveries
        WHERE status = 'delivering' AND webhook_id = NEW.webhook_id AND order_key = NEW.order_key));
END;
--> statement-breakpoint
-- (Not when its webhook is deleted: all of the webhook's deliveries go with it.)
CREATE TRIGGER `webhook_delivery_gone` AFTER DELETE ON `webhook_deliveries`
WHEN OLD.status IN ('pending', 'delivering')
  AND EXISTS (SELECT 1 FROM webhooks WHERE id = OLD.webhook_id)
BEGIN
  UPDATE webhook_deliveries SET next_attempt_at = created_at
  WHERE status = 'pending' AND next_attempt_at IS NULL AND id = (
    SELECT min(id) FROM (
      SELECT min(id) AS id FROM webhook_deliveries
        WHERE status = 'pending' AND webhook_id = OLD.webhook_id AND order_key = OLD.order_key
      UNION ALL
      SELECT min(id) FROM webhook_deliveries
        WHERE status = 'delivering' AND webhook_id = OLD.webhook_id AND order_key = OLD.order_key));
END;
--> statement-breakpoint
-- Deliveries already waiting behind an earlier one that never went out: their time is their
-- event's, which the trigger above gives back when they are next.
UPDATE webhook_deliveries SET next_attempt_at = NULL
WHERE status = 'pending' AND attempts = 0 AND EXISTS (SELECT 1 FROM webhook_deliveries e
  WHERE e.status IN ('pending', 'delivering') AND e.webhook_id = webhook_deliveries.webhook_id
    AND e.order_key = webhook_deliveries.order_key AND e.id < webhook_deliveries.id);
--> statement-breakpoint
-- The claim no longer walks all pending deliveries in id order.
DROP INDEX IF EXISTS `webhook_deliveries_status_id_idx`;
