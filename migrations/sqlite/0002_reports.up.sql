-- The twin of ../postgres/0002_reports.up.sql. SQLite cannot add a STORED
-- generated column to an existing table, so these are VIRTUAL: computed
-- when read, which is what the JSON path would cost anyway.
ALTER TABLE scores ADD COLUMN dims TEXT GENERATED ALWAYS AS (json_extract(result, '$.scores')) VIRTUAL;
ALTER TABLE scores ADD COLUMN audio_snr_db REAL GENERATED ALWAYS AS (json_extract(result, '$.audio.quality.snr_db')) VIRTUAL;
ALTER TABLE scores ADD COLUMN audio_clipped_ratio REAL GENERATED ALWAYS AS (json_extract(result, '$.audio.quality.clipped_ratio')) VIRTUAL;
ALTER TABLE scores ADD COLUMN audio_loudness_lufs REAL GENERATED ALWAYS AS (json_extract(result, '$.audio.quality.loudness_lufs')) VIRTUAL;

CREATE INDEX reviews_response ON reviews (response_id, id);
