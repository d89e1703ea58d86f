"""The DuckDB warehouse: SQL migrations and views applied by a small runner, loads and publishing."""
