-- Kabar always keeps at least one active administrator.
CREATE TRIGGER `users_keep_one_admin_update` BEFORE UPDATE OF role, disabled_at ON `users`
WHEN old.role = 'admin' AND old.disabled_at IS NULL
  AND (new.role != 'admin' OR new.disabled_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id != old.id)
BEGIN
  SELECT RAISE(ABORT, 'kabar:last_admin');
END;
--> statement-breakpoint
CREATE TRIGGER `users_keep_one_admin_delete` BEFORE DELETE ON `users`
WHEN old.role = 'admin' AND old.disabled_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id != old.id)
BEGIN
  SELECT RAISE(ABORT, 'kabar:last_admin');
END;
