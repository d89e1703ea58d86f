-- DuckLake: the latest snapshot of the catalog attached as `lake`.
SELECT max(snapshot_id) FROM lake.snapshots();
