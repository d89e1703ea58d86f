-- DuckLake: whether the catalog attached as `lake` holds a warehouse (its runs table).
SELECT count(*) FROM information_schema.tables
WHERE table_catalog = 'lake' AND table_schema = 'main' AND table_name = 'runs';
