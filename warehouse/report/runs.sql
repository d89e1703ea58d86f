-- The last runs with their counts and validation outcome. Parameter: how many.
SELECT run_id, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started,
       round(date_diff('millisecond', started_at, finished_at) / 1000.0, 1) AS seconds,
       status, validation_success, files_seen, files_unchanged, files_loaded, files_duplicate, files_quarantined,
       articles_loaded, duplicates, quarantined, coalesce(failed_expectations, []) AS failed_expectations, reason
FROM main.runs
ORDER BY started_at DESC, run_id DESC
LIMIT ?;
