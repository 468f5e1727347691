ALTER TABLE `webhook_deliveries` ADD `order_key` integer;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_queue_idx` ON `webhook_deliveries` (`status`,`webhook_id`,`order_key`,`id`);