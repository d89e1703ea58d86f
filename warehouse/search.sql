-- Full-text search over the published articles: a BM25 index on title and text, and two macros.
-- Run by warehouse.fts.refresh_search_index inside publish's transaction (after the articles are replaced),
-- so readers see the old index with the old articles or the new index with the new ones; a failure rolls
-- the whole publish back. The index lives in schema fts_main_articles (tables docs, terms, dict, stats,
-- fields, stopwords) and its functions need the fts extension loaded (warehouse.extensions).
PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', overwrite = 1);

-- The words of a query as the index reads them (lower case, accents stripped, letters only, stopwords
-- dropped), each with its Porter stem: a snippet highlights words that start with any of them.
CREATE OR REPLACE MACRO analytics.search_terms(q) AS (
    SELECT coalesce(list(DISTINCT t ORDER BY t), [])
    FROM (SELECT unnest(regexp_extract_all(lower(strip_accents(q)), '[a-z]+')) AS w) AS words,
         LATERAL (SELECT unnest([w, stem(w, 'porter')]) AS t) AS forms
    WHERE w NOT IN (SELECT sw FROM fts_main_articles.stopwords)
);

-- SELECT * FROM analytics.search('flood warning', n := 10): best first, with a snippet of about 240
-- characters that starts up to 80 characters before the first matched word (the text's start when only the
-- title matched).
CREATE OR REPLACE MACRO analytics.search(q, n := 20) AS TABLE
WITH hits AS (
    -- Rounded: BM25 sums in parallel, so the last bits of a score vary between calls: rounded scores keep
    -- the order (ties by article_id) the same from one call to the next.
    SELECT article_id, title, text, round(fts_main_articles.match_bm25(article_id, q), 6) AS score
    FROM main.articles
    WHERE score IS NOT NULL
    ORDER BY score DESC, article_id
    LIMIT n
), windows AS (
    SELECT article_id, title, score, text,
           regexp_extract(text, '(?is)\b.{0,80}?\b(' || array_to_string(analytics.search_terms(q), '|')
                                || ')[a-z]*.{0,160}\b') AS found
    FROM hits
)
SELECT article_id, title, score,
       trim(regexp_replace(CASE WHEN len(analytics.search_terms(q)) > 0 AND found <> '' THEN found
                                ELSE left(text, 240) END, '\s+', ' ', 'g')) AS snippet
FROM windows
ORDER BY score DESC, article_id;
