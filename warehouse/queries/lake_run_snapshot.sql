-- DuckLake: the snapshot a run committed (its commit message is the run id). Parameter: the run id.
SELECT max(snapshot_id) FROM lake.snapshots() WHERE commit_message = ?;
