-- Issue 15: Hangfire is the one job engine. The lease columns of the second engine go (retries, per-call exclusion
-- and takeover from dead workers are Hangfire's); each call keeps the ingest source that picks its channel mapping.
ALTER TABLE calls DROP COLUMN claimed_by;
ALTER TABLE calls DROP COLUMN claimed_until;
ALTER TABLE calls ADD COLUMN source TEXT NULL;
-- Calls registered but not yet handed to Hangfire (the pickup looks for them every second).
CREATE INDEX ix_calls_unqueued ON calls (id) WHERE queued_at IS NULL;
