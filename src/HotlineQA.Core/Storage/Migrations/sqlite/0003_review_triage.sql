-- Triage queue and coach library (issue 8). Numbered 0003: 0002 is reserved for branch `scale`.
-- The queue walks scores in priority order (flagged first, lowest score first) and stops after a page.
CREATE INDEX ix_scores_priority ON scores (flagged DESC, score, id);
-- "Is this the call's current score?": the newest per call.
CREATE INDEX ix_scores_call_created ON scores (call_id, created_at, id);
-- Item and severity filters start from the findings when they are selective.
CREATE INDEX ix_findings_item_result_score ON findings (item, result, score_id);
CREATE INDEX ix_findings_severity ON findings (severity, result, score_id);
CREATE INDEX ix_scores_score ON scores (score, id);

-- Coach library: named collections of findings (good and bad examples).
CREATE TABLE collections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE collection_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    finding_id    INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    note          TEXT,
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    UNIQUE (collection_id, finding_id)
);
