-- Review desk (issue 16). Reviewed scores: the score and flag recomputed from the reviewers' current verdicts
-- (ReviewStore keeps them on every verdict, in the same transaction); the automatic score and flag stay beside them.
-- reviewed_at is set when every actionable finding (fail, fire, needs listening) has a verdict: the call is reviewed.
ALTER TABLE scores ADD COLUMN reviewed_score DOUBLE PRECISION NULL;
ALTER TABLE scores ADD COLUMN reviewed_flagged BOOLEAN NULL;
ALTER TABLE scores ADD COLUMN reviewed_flag_reasons TEXT NULL;
ALTER TABLE scores ADD COLUMN reviewed_by TEXT NULL;
ALTER TABLE scores ADD COLUMN reviewed_at TIMESTAMPTZ NULL;
CREATE INDEX ix_scores_current_reviewed ON scores (reviewed_by, flagged DESC, score, id) WHERE is_current;

-- Chinese full-text search of transcripts: pg_trgm (a trusted extension) with a GIN index; LIKE '%phrase%' of three
-- or more characters uses it (works for CJK under a UTF-8 database).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_utterances_text_trgm ON utterances USING gin (text gin_trgm_ops);
