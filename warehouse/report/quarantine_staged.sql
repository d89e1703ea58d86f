-- Quarantine reasons staged by a run that did not publish (its staging file, attached as `stg`, is kept).
SELECT reason, count(*) AS items, count(DISTINCT source_path) AS files,
       min(source_path) AS example, arg_min(detail, source_path) AS detail
FROM stg.quarantine
GROUP BY reason
ORDER BY items DESC, reason;
