-- A DuckLake's local search index: the lake snapshot it was built from.
SELECT max(snapshot) FROM lake_snapshot;
