-- The twin of ../postgres/0003_report_indexes.up.sql. SQLite has no
-- INCLUDE: the covered columns are trailing key columns. (The generated
-- audio columns are virtual here, so scores_latest cannot hold them.)
CREATE INDEX scores_latest ON scores (response_id, id DESC, level);
CREATE INDEX responses_report ON responses (id, assessment_id, language, item_id, kind, status, created_at, graded_at, updated_at);
