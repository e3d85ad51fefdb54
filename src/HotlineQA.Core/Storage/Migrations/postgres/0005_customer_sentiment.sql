-- Customer sentiment (issue 13, CONTRACTS §2 customerSentiment): per score, the call's overall/start/end values in
-- [-1, 1], the trend (better|same|worse) and the per-turn values as JSON. Null for scores written before the model.
ALTER TABLE scores ADD COLUMN sentiment_overall DOUBLE PRECISION NULL;
ALTER TABLE scores ADD COLUMN sentiment_start DOUBLE PRECISION NULL;
ALTER TABLE scores ADD COLUMN sentiment_end DOUBLE PRECISION NULL;
ALTER TABLE scores ADD COLUMN sentiment_trend TEXT NULL;
ALTER TABLE scores ADD COLUMN sentiment_turns_json TEXT NULL;
