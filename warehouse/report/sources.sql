-- Source mix: articles and words per source domain (the 15 largest, the rest as "other").
WITH ranked AS (
    SELECT CASE WHEN row_number() OVER (ORDER BY articles DESC, source_domain) <= 15 THEN source_domain
                ELSE 'other' END AS source,
           articles, words
    FROM analytics.source_summary
)
SELECT source, sum(articles)::BIGINT AS articles, sum(words)::BIGINT AS words
FROM ranked
GROUP BY source
ORDER BY source = 'other', articles DESC, source;
