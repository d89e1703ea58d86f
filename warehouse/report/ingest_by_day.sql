-- Articles ingested per day and source over the last 90 days of data: the 8 largest sources by name, the
-- rest as "other" (bounded output whatever the corpus size).
WITH daily AS (
    SELECT CAST(ingested_at AS DATE) AS day, coalesce(source_domain, '(unknown)') AS source, count(*) AS articles
    FROM main.articles
    GROUP BY ALL
), top_sources AS (
    SELECT source FROM daily GROUP BY source ORDER BY sum(articles) DESC, source LIMIT 8
), recent AS (
    SELECT * FROM daily WHERE day > (SELECT max(day) FROM daily) - INTERVAL 90 DAY
)
SELECT strftime(day, '%Y-%m-%d') AS day,
       CASE WHEN source IN (SELECT source FROM top_sources) THEN source ELSE 'other' END AS source,
       sum(articles)::BIGINT AS articles
FROM recent
GROUP BY ALL
ORDER BY day, source;
