ALTER TABLE `api_keys` ADD `rate_limit` integer;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `private_network` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Webhooks that already point at the hospital's own network keep working: such an address could
-- only be set by an administrator or a key with *, and so could every Wappin callback.
UPDATE `webhooks` SET `private_network` = 1
WHERE `format` = 'wappin' OR (
  SELECT h GLOB '10.*' OR h GLOB '127.*' OR h GLOB '192.168.*' OR h GLOB '169.254.*'
    OR h GLOB '172.1[6-9].*' OR h GLOB '172.2[0-9].*' OR h GLOB '172.3[01].*'
    OR h GLOB 'localhost' OR h GLOB 'localhost:*' OR h GLOB '*.localhost' OR h GLOB '*.localhost:*'
    OR h GLOB '*.local' OR h GLOB '*.local:*'
    OR h GLOB '[[]::1]*' OR h GLOB '[[]f[cd]*' OR h GLOB '[[]fe[89ab]*'
  FROM (SELECT substr(r, 1, instr(r, '/') - 1) AS h
    FROM (SELECT lower(substr(`url`, instr(`url`, '://') + 3)) || '/' AS r))
);
