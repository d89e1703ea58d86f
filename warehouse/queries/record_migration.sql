-- Record an applied migration. Parameters: version, file name.
INSERT INTO schema_migrations (version, name) VALUES (?, ?);
