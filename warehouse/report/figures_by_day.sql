-- Event figures (people killed, wounded, arrested, ...) per day and category over the last 90 days of data:
-- how many figures were reported and the sum of their values.
WITH events AS (
    SELECT CAST(coalesce(a.published_at, a.ingested_at) AS DATE) AS day, f.category, f.article_id, f.value
    FROM main.figures f
    JOIN main.articles a USING (article_id)
    WHERE f.category IN ('killed', 'wounded', 'arrested', 'kidnapped', 'displaced', 'evacuated', 'affected',
                         'protesters')
)
SELECT strftime(day, '%Y-%m-%d') AS day, category, count(*) AS figures, count(DISTINCT article_id) AS articles,
       sum(value) AS total
FROM events
WHERE day > (SELECT max(day) FROM events) - INTERVAL 90 DAY
GROUP BY ALL
ORDER BY day, category;
