-- Figures per category (all of them, events and measures), largest first.
SELECT category, count(*) AS figures, count(DISTINCT article_id) AS articles,
       count(DISTINCT unit) AS units, median(value) AS median_value
FROM main.figures
GROUP BY category
ORDER BY figures DESC, category
LIMIT 20;
