-- One row per published article with its entity and figure counts.
CREATE OR REPLACE VIEW analytics.article_overview AS
WITH ent AS (
    SELECT article_id, count(*) AS entities, sum(mentions) AS entity_mentions
    FROM main.article_entities GROUP BY article_id
), fig AS (
    SELECT article_id, count(*) AS figures FROM main.figures GROUP BY article_id
)
SELECT a.article_id, a.title, a.source_domain, a.url, a.published_at, a.language, a.word_count,
       coalesce(ent.entities, 0) AS entities, coalesce(ent.entity_mentions, 0) AS entity_mentions,
       coalesce(fig.figures, 0) AS figures, a.ingested_at, a.run_id, a.source_path
FROM main.articles a
LEFT JOIN ent USING (article_id)
LEFT JOIN fig USING (article_id);

-- Articles per source domain.
CREATE OR REPLACE VIEW analytics.source_summary AS
SELECT coalesce(source_domain, '(unknown)') AS source_domain,
       count(*) AS articles, sum(word_count) AS words,
       min(published_at) AS first_published, max(published_at) AS last_published,
       min(ingested_at) AS first_ingested, max(ingested_at) AS last_ingested
FROM main.articles
GROUP BY ALL;
