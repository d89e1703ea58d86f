-- The entities in most articles, with their country code (when the warehouse has geo columns) and a trend:
-- articles per day over the last 30 days of data (published date, else ingest date). Parameter: limit.
WITH top AS (
    SELECT t.entity_id, t.name, t.type, t.articles, t.mentions,
           json_extract_string(to_json(e), '$.country_code') AS country_code  -- NULL before geo columns
    FROM (SELECT entity_id, name, type, articles, mentions FROM analytics.top_entities LIMIT ?) AS t
    JOIN main.entities e USING (entity_id)
), last_day AS (
    SELECT max(CAST(coalesce(published_at, ingested_at) AS DATE)) AS day FROM main.articles
), days AS (
    SELECT CAST(range AS DATE) AS day
    FROM range((SELECT day FROM last_day) - INTERVAL 29 DAY, (SELECT day FROM last_day) + INTERVAL 1 DAY,
               INTERVAL 1 DAY)
), daily AS (
    SELECT ae.entity_id, CAST(coalesce(a.published_at, a.ingested_at) AS DATE) AS day, count(*) AS articles
    FROM main.article_entities ae
    JOIN main.articles a USING (article_id)
    WHERE ae.entity_id IN (SELECT entity_id FROM top)
    GROUP BY ALL
), trends AS (
    SELECT top.entity_id, list(coalesce(daily.articles, 0) ORDER BY days.day) AS trend
    FROM top
    CROSS JOIN days
    LEFT JOIN daily ON daily.entity_id = top.entity_id AND daily.day = days.day
    GROUP BY top.entity_id
)
SELECT top.name, top.type, top.articles, top.mentions, top.country_code, trends.trend
FROM top
JOIN trends USING (entity_id)
ORDER BY top.articles DESC, top.mentions DESC, top.name;
