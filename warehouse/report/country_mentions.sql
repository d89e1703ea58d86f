-- Mentions per country (places and nationality words), for the map's fill.
SELECT country_code, sum(articles)::BIGINT AS articles, sum(mentions)::BIGINT AS mentions
FROM analytics.country_mentions
WHERE country_code IS NOT NULL
GROUP BY country_code;
