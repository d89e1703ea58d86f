-- Figures with their article context.
CREATE OR REPLACE VIEW analytics.figure_facts AS
SELECT f.figure_id, f.article_id, a.title, a.published_at, a.source_domain,
       f.category, f.qualifier, f.value, f.range_end, f.unit, f.object, f.direction, f.surface, f.sentence
FROM main.figures f
JOIN main.articles a USING (article_id);

-- Figures aggregated by category and unit.
CREATE OR REPLACE VIEW analytics.figures_by_category AS
SELECT category, unit, count(*) AS figures, count(DISTINCT article_id) AS articles,
       min(value) AS min_value, median(value) AS median_value, max(value) AS max_value, sum(value) AS total_value
FROM main.figures
GROUP BY ALL
ORDER BY figures DESC;

-- GDELT-style event counts: casualty, arrest and displacement figures per article.
CREATE OR REPLACE VIEW analytics.event_counts AS
SELECT f.article_id, a.title, a.published_at, f.category, f.qualifier, f.value, f.object, f.surface
FROM main.figures f
JOIN main.articles a USING (article_id)
WHERE f.category IN ('killed', 'wounded', 'arrested', 'kidnapped', 'displaced', 'evacuated', 'affected',
                     'protesters');
