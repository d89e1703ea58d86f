-- The run id of the staged runs row (staging file attached as `stg`).
SELECT max(run_id) FROM stg.runs;
