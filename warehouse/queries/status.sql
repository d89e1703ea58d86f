-- `newsetl status`: recent runs with their file and fetch counts.
SELECT run_id, status, validation_success AS valid, files_seen, files_unchanged AS unchanged,
       articles_loaded AS loaded, duplicates, quarantined,
       urls_seen AS urls, fetch_requested AS requested, fetch_not_modified AS not_modified,
       fetch_skipped AS skipped, fetch_failed AS failed, finished_at, reason
FROM runs
ORDER BY started_at DESC
LIMIT ?;
