-- HotlineQA schema, SQLite dialect. Append-only: never edit an applied script, add 0002_… instead.
-- Timestamps are ISO-8601 UTC text (fixed width, so they sort), booleans 0/1, JSON as text.

CREATE TABLE calls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    call_key        TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending','audio','transcribing','scoring','scored','failed')),
    content_sha256  TEXT    NOT NULL UNIQUE,
    size_bytes      INTEGER NOT NULL,
    source_path     TEXT    NOT NULL,
    sidecar_path    TEXT,
    agent           TEXT,
    queue           TEXT,
    customer_number TEXT,
    started_at      TEXT,
    duration_sec    REAL,
    channels        INTEGER,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    audio_json      TEXT,
    queued_at       TEXT,
    claimed_by      TEXT,
    claimed_until   TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX ix_calls_status     ON calls (status, updated_at);
CREATE INDEX ix_calls_started_at ON calls (started_at);
CREATE INDEX ix_calls_agent      ON calls (agent, started_at);
CREATE INDEX ix_calls_queue      ON calls (queue, started_at);
CREATE INDEX ix_calls_call_key   ON calls (call_key);

CREATE TABLE utterances (
    call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    speaker    TEXT    NOT NULL CHECK (speaker IN ('agent','customer','unknown')),
    start_sec  REAL    NOT NULL,
    end_sec    REAL    NOT NULL,
    text       TEXT    NOT NULL,
    confidence REAL,
    PRIMARY KEY (call_id, idx)
);

CREATE TABLE scores (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id        INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    rubric_version TEXT    NOT NULL,
    score          REAL    NOT NULL,
    flagged        INTEGER NOT NULL CHECK (flagged IN (0,1)),
    flag_reasons   TEXT    NOT NULL,
    is_complaint   INTEGER NOT NULL CHECK (is_complaint IN (0,1)),
    created_at     TEXT    NOT NULL,
    UNIQUE (call_id, rubric_version)
);
CREATE INDEX ix_scores_triage ON scores (flagged, score);

CREATE TABLE findings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    score_id        INTEGER NOT NULL REFERENCES scores (id) ON DELETE CASCADE,
    item            TEXT    NOT NULL,
    result          TEXT    NOT NULL CHECK (result IN ('pass','fail','na','fire')),
    severity        TEXT    NOT NULL,
    confidence      REAL    NOT NULL,
    reason          TEXT,
    needs_listening INTEGER NOT NULL DEFAULT 0 CHECK (needs_listening IN (0,1)),
    evidence_json   TEXT    NOT NULL,
    UNIQUE (score_id, item)
);
CREATE INDEX ix_findings_item_result ON findings (item, result);

CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    reviewer   TEXT    NOT NULL,
    verdict    TEXT    NOT NULL CHECK (verdict IN ('confirm','overturn')),
    note       TEXT,
    created_at TEXT    NOT NULL
);
CREATE INDEX ix_reviews_finding ON reviews (finding_id, created_at);

CREATE TABLE call_dispositions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    disposition TEXT    NOT NULL,
    reviewer    TEXT    NOT NULL,
    note        TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX ix_call_dispositions_call ON call_dispositions (call_id, created_at);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT,
    at      TEXT NOT NULL,
    detail  TEXT
);
CREATE INDEX ix_audit_log_at ON audit_log (at);
