-- Security hardening (issue 17). security_stamp: a random value carried in every login cookie and compared on each
-- request; it changes when the password, the role or the active flag changes and on logout, which ends every
-- session of that user. failed_logins/locked_until: the per-account lockout. disabled: a deactivated account
-- cannot log in and its sessions end. Existing rows get a stamp that no cookie carries, so old cookies end too.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT NULL;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
UPDATE users SET security_stamp = lower(hex(randomblob(16)));
