-- Places: every published location entity (and nationality word) that was geocoded, with how often and
-- when it was mentioned. Nationality words carry only a country_code (place_kind and coordinates null).
CREATE OR REPLACE VIEW analytics.places AS
WITH placed AS (
    SELECT entity_id, name AS place, place_kind, country_code, admin1, latitude, longitude, geonames_id
    FROM main.entities
    WHERE country_code IS NOT NULL OR latitude IS NOT NULL
), mentioned AS (
    SELECT ae.entity_id, ae.article_id, ae.mentions, coalesce(a.published_at, a.ingested_at) AS seen_at
    FROM main.article_entities ae
    JOIN main.articles a USING (article_id)
)
SELECT p.place, p.entity_id, p.place_kind, p.country_code, p.admin1, p.latitude, p.longitude, p.geonames_id,
       count(DISTINCT m.article_id) AS articles,
       sum(m.mentions) AS mentions,
       min(m.seen_at) AS first_seen,
       max(m.seen_at) AS last_seen
FROM placed p
JOIN mentioned m USING (entity_id)
GROUP BY ALL
ORDER BY articles DESC, mentions DESC, p.place;

-- Mentions of each country per day: every geocoded entity (city, division, country, nationality word)
-- counts for its country; `articles` counts an article once per country and day.
CREATE OR REPLACE VIEW analytics.country_mentions AS
WITH mentioned AS (
    SELECT e.country_code, ae.article_id, ae.mentions,
           CAST(timezone('UTC', coalesce(a.published_at, a.ingested_at)) AS DATE) AS day  -- the UTC day
    FROM main.entities e
    JOIN main.article_entities ae USING (entity_id)
    JOIN main.articles a USING (article_id)
    WHERE e.country_code IS NOT NULL
)
SELECT country_code, day, count(DISTINCT article_id) AS articles, sum(mentions) AS mentions
FROM mentioned
GROUP BY ALL
ORDER BY day, articles DESC, country_code;
