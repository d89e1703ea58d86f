-- Rebuild the search index only when this publish changed the articles (new or re-processed inputs) or
-- no index exists yet: an unchanged rerun publishes just its runs row and leaves the index (and its cost)
-- alone. Runs inside the publish transaction with the staging file attached as `stg`.
SELECT (SELECT count(*) FROM stg.files) + (SELECT count(*) FROM stg.articles) > 0
    OR NOT EXISTS (SELECT 1 FROM duckdb_functions() WHERE schema_name = 'analytics' AND function_name = 'search');
