DROP INDEX IF EXISTS reviews_response;
ALTER TABLE scores
    DROP COLUMN IF EXISTS audio_loudness_lufs,
    DROP COLUMN IF EXISTS audio_clipped_ratio,
    DROP COLUMN IF EXISTS audio_snr_db,
    DROP COLUMN IF EXISTS dims;
