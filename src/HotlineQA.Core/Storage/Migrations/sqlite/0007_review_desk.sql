-- Review desk (issue 16). Reviewed scores: the score and flag recomputed from the reviewers' current verdicts
-- (ReviewStore keeps them on every verdict, in the same transaction); the automatic score and flag stay beside them.
-- reviewed_at is set when every actionable finding (fail, fire, needs listening) has a verdict: the call is reviewed.
ALTER TABLE scores ADD COLUMN reviewed_score REAL NULL;
ALTER TABLE scores ADD COLUMN reviewed_flagged INTEGER NULL;
ALTER TABLE scores ADD COLUMN reviewed_flag_reasons TEXT NULL;
ALTER TABLE scores ADD COLUMN reviewed_by TEXT NULL;
ALTER TABLE scores ADD COLUMN reviewed_at TEXT NULL;
CREATE INDEX ix_scores_current_reviewed ON scores (reviewed_by, flagged DESC, score, id) WHERE is_current = 1;

-- Chinese full-text search of transcripts: FTS5 with the trigram tokenizer (no word segmentation needed; any
-- substring of three or more characters uses the index, shorter ones fall back to a scan of utterances).
CREATE VIRTUAL TABLE utterances_fts USING fts5(text, content='utterances', content_rowid='rowid', tokenize='trigram');
INSERT INTO utterances_fts (utterances_fts) VALUES ('rebuild');
CREATE TRIGGER utterances_fts_ai AFTER INSERT ON utterances BEGIN
    INSERT INTO utterances_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER utterances_fts_ad AFTER DELETE ON utterances BEGIN
    INSERT INTO utterances_fts (utterances_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER utterances_fts_au AFTER UPDATE ON utterances BEGIN
    INSERT INTO utterances_fts (utterances_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO utterances_fts (rowid, text) VALUES (new.rowid, new.text);
END;
