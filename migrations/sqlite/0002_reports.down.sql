DROP INDEX IF EXISTS reviews_response;
ALTER TABLE scores DROP COLUMN audio_loudness_lufs;
ALTER TABLE scores DROP COLUMN audio_clipped_ratio;
ALTER TABLE scores DROP COLUMN audio_snr_db;
ALTER TABLE scores DROP COLUMN dims;
