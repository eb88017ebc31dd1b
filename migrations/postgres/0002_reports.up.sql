-- Reports and placement read a few values out of scores.result. The whole
-- result of a spoken answer carries its audio timeline (tens of kB), and
-- PostgreSQL detoasts the whole jsonb value to read one key, so the values
-- the reports need are kept beside it as stored generated columns: written
-- once when the score is inserted, no application code involved.
ALTER TABLE scores
    ADD COLUMN dims JSONB GENERATED ALWAYS AS (result -> 'scores') STORED,
    ADD COLUMN audio_snr_db DOUBLE PRECISION
        GENERATED ALWAYS AS ((result -> 'audio' -> 'quality' ->> 'snr_db')::double precision) STORED,
    ADD COLUMN audio_clipped_ratio DOUBLE PRECISION
        GENERATED ALWAYS AS ((result -> 'audio' -> 'quality' ->> 'clipped_ratio')::double precision) STORED,
    ADD COLUMN audio_loudness_lufs DOUBLE PRECISION
        GENERATED ALWAYS AS ((result -> 'audio' -> 'quality' ->> 'loudness_lufs')::double precision) STORED;

-- A response's latest review (placement and reports join it by response).
CREATE INDEX reviews_response ON reviews (response_id, id);
