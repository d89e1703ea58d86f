-- The schema of the analytics views and the search macros.
CREATE SCHEMA IF NOT EXISTS analytics;
