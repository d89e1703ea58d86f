-- A DuckLake's local search index: record the lake snapshot it was built from. Parameter: the snapshot.
CREATE TABLE lake_snapshot AS SELECT ?::BIGINT AS snapshot;
