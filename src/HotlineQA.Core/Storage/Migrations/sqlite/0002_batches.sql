-- Overnight batches (issue 7): one row per run of the nightly job, its summary kept up to date while it runs.
-- calls.batch_id ties a call to the batch that registered (or adopted) it; calls.not_before keeps a deferred
-- heavy step off the queue until the next night's run picks it up again.

CREATE TABLE batch_runs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    trigger            TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('running','paused','done')),
    started_at         TEXT    NOT NULL,
    cutoff_at          TEXT,
    finished_at        TEXT,
    found              INTEGER NOT NULL DEFAULT 0,
    new_calls          INTEGER NOT NULL DEFAULT 0,
    duplicate          INTEGER NOT NULL DEFAULT 0,
    rejected           INTEGER NOT NULL DEFAULT 0,
    adopted            INTEGER NOT NULL DEFAULT 0,
    total              INTEGER NOT NULL DEFAULT 0,
    scored             INTEGER NOT NULL DEFAULT 0,
    failed             INTEGER NOT NULL DEFAULT 0,
    unfinished         INTEGER NOT NULL DEFAULT 0,
    calls_per_hour     REAL,
    failures_json      TEXT    NOT NULL DEFAULT '[]',
    updated_at         TEXT    NOT NULL
);
CREATE INDEX ix_batch_runs_started ON batch_runs (started_at);

ALTER TABLE calls ADD COLUMN batch_id INTEGER REFERENCES batch_runs (id);
ALTER TABLE calls ADD COLUMN not_before TEXT;
CREATE INDEX ix_calls_batch ON calls (batch_id, status);
