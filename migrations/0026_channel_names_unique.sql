-- Two live channels cannot share a name in any case: the pages' choices could not tell them
-- apart, and only an index holds this under requests at the same moment. Names already shared
-- get their id added (the oldest keeps its name).
UPDATE `channels` SET `name` = `name` || ' (' || `id` || ')'
WHERE `deleted_at` IS NULL AND `id` NOT IN (
  SELECT min(`id`) FROM `channels` WHERE `deleted_at` IS NULL GROUP BY lower(`name`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channels_live_name_idx` ON `channels` (lower(`name`)) WHERE `deleted_at` IS NULL;
