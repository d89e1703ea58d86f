-- Quarantine reasons of the given runs (published quarantine rows), with one example each.
SELECT run_id, reason, count(*) AS items, count(DISTINCT source_path) AS files,
       min(source_path) AS example, arg_min(detail, source_path) AS detail
FROM main.quarantine
WHERE run_id IN (SELECT unnest(?::VARCHAR[]))
GROUP BY run_id, reason
ORDER BY run_id DESC, items DESC, reason;
