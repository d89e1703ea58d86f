-- Entities ranked by the number of articles that mention them, with first and last seen.
CREATE OR REPLACE VIEW analytics.top_entities AS
SELECT e.entity_id, e.name, e.type,
       count(DISTINCT ae.article_id) AS articles,
       sum(ae.mentions) AS mentions,
       sum(CASE WHEN ae.in_title THEN 1 ELSE 0 END) AS title_articles,
       min(coalesce(a.published_at, a.ingested_at)) AS first_seen,
       max(coalesce(a.published_at, a.ingested_at)) AS last_seen
FROM main.entities e
JOIN main.article_entities ae USING (entity_id)
JOIN main.articles a USING (article_id)
GROUP BY ALL
ORDER BY articles DESC, mentions DESC, e.name;

-- Pairs of entities that appear in the same article (each pair once, a < b).
CREATE OR REPLACE VIEW analytics.entity_cooccurrence AS
SELECT x.entity_id AS entity_a, ea.name AS name_a, ea.type AS type_a,
       y.entity_id AS entity_b, eb.name AS name_b, eb.type AS type_b,
       count(*) AS articles
FROM main.article_entities x
JOIN main.article_entities y ON x.article_id = y.article_id AND x.entity_id < y.entity_id
JOIN main.entities ea ON ea.entity_id = x.entity_id
JOIN main.entities eb ON eb.entity_id = y.entity_id
GROUP BY ALL
ORDER BY articles DESC, name_a, name_b;

-- Which articles mention an entity, one row per (entity, article).
CREATE OR REPLACE VIEW analytics.entity_articles AS
SELECT e.name, e.type, ae.mentions, ae.in_title, ae.in_summary, a.article_id, a.title, a.published_at,
       a.source_domain
FROM main.entities e
JOIN main.article_entities ae USING (entity_id)
JOIN main.articles a USING (article_id);
