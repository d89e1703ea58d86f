-- A DuckLake's local search index: the lake's articles (attached as `lake`) to index.
CREATE TABLE main.articles AS SELECT article_id, title, text FROM lake.main.articles;
