-- `newsetl quarantine`: quarantined inputs and rows with reasons, newest first. Parameter: how many.
SELECT source_path, entry_key, reason, detail, run_id FROM quarantine
ORDER BY quarantined_at DESC, source_path
LIMIT ?;
