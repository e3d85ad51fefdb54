-- Triage deep pages (issue 8): whether a score is its call's current one (the newest) becomes a column that
-- ScoreStore keeps, so the queue no longer probes for a newer score on every row it walks past.
ALTER TABLE scores ADD COLUMN is_current INTEGER NOT NULL DEFAULT 1;
UPDATE scores SET is_current = 0
WHERE EXISTS (SELECT 1 FROM scores s2 WHERE s2.call_id = scores.call_id
              AND (s2.created_at > scores.created_at OR (s2.created_at = scores.created_at AND s2.id > scores.id)));
CREATE INDEX ix_scores_current_priority ON scores (flagged DESC, score, id) WHERE is_current = 1;
CREATE INDEX ix_scores_current_score ON scores (score, id) WHERE is_current = 1;
CREATE INDEX ix_scores_current_call ON scores (call_id) WHERE is_current = 1;
