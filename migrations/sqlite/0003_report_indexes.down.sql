DROP INDEX IF EXISTS responses_report;
DROP INDEX IF EXISTS scores_latest;
