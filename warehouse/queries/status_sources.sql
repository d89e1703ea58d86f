-- `newsetl status`: per web source, the outcome counts of the last run that fetched it.
WITH last AS (
    SELECT source, max(run_id) AS run_id FROM fetches GROUP BY source
)
SELECT f.source, f.run_id, count(*) AS urls,
       count(*) FILTER (WHERE f.requests > 0) AS requested,
       count(*) FILTER (WHERE f.outcome = 'loaded') AS loaded,
       count(*) FILTER (WHERE f.outcome = 'not_modified') AS not_modified,
       count(*) FILTER (WHERE f.outcome = 'duplicate') AS duplicate,
       count(*) FILTER (WHERE f.outcome = 'skipped') AS skipped,
       count(*) FILTER (WHERE f.outcome = 'failed') AS failed,
       string_agg(DISTINCT f.reason, ', ' ORDER BY f.reason) AS reasons
FROM fetches f JOIN last USING (source, run_id)
GROUP BY f.source, f.run_id
ORDER BY f.source;
