-- Covering indexes for the planner report (store.ReportSummaries): it reads
-- every response of a period with its latest score, and both reads are
-- index-only scans with these, instead of scans of the wide tables (answer
-- text in responses, result JSON in scores).
CREATE INDEX scores_latest ON scores (response_id, id DESC)
    INCLUDE (level, audio_snr_db, audio_clipped_ratio, audio_loudness_lufs);
-- Keyed by id, like scores_latest by response_id, so the two (and
-- reviews_response) are merge-joined in order without hash tables.
CREATE INDEX responses_report ON responses (id)
    INCLUDE (assessment_id, language, item_id, kind, status, created_at, graded_at, updated_at);
