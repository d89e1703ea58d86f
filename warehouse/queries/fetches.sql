-- `newsetl fetches`: the URLs of recent runs, newest first.
SELECT run_id, source, role, url, outcome, reason, http_status, bytes, requests, detail, fetched_at
FROM fetches
ORDER BY fetched_at DESC, url
LIMIT ?;
