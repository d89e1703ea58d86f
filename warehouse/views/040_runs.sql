-- Run history, newest first.
CREATE OR REPLACE VIEW analytics.run_history AS
SELECT run_id, flow_run_id, started_at, finished_at,
       date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds,
       status, validation_success, files_seen, files_unchanged, articles_loaded, duplicates, quarantined,
       failed_expectations, reason
FROM main.runs
ORDER BY started_at DESC;

-- Quarantined inputs and rows with reasons.
CREATE OR REPLACE VIEW analytics.quarantine_summary AS
SELECT reason, count(*) AS items, count(DISTINCT source_path) AS files, max(quarantined_at) AS last_seen
FROM main.quarantine
GROUP BY ALL
ORDER BY items DESC;
