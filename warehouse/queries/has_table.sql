-- Whether the default catalog's main schema has a table. Parameter: the table name.
SELECT count(*) FROM information_schema.tables
WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ?;
