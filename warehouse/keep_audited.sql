-- Keep in staging exactly the rows the audit kept (its cleaned frames, registered as _keep_*), so that an
-- article removed by the gate takes its links, mentions, figures and signature with it, and an entity that
-- only removed rows referred to is not published without an article.
DELETE FROM articles WHERE article_id NOT IN (SELECT article_id FROM _keep_articles);
DELETE FROM entities WHERE entity_id NOT IN (SELECT entity_id FROM _keep_entities);
DELETE FROM article_entities a WHERE NOT EXISTS (
    SELECT 1 FROM _keep_links k WHERE k.article_id = a.article_id AND k.entity_id = a.entity_id);
DELETE FROM entity_mentions m WHERE NOT EXISTS (
    SELECT 1 FROM _keep_links k WHERE k.article_id = m.article_id AND k.entity_id = m.entity_id);
DELETE FROM figures WHERE figure_id NOT IN (SELECT figure_id FROM _keep_figures);
DELETE FROM article_signatures WHERE article_id NOT IN (SELECT article_id FROM _keep_articles);
UPDATE files SET status = 'quarantined', articles = 0
    WHERE status = 'loaded' AND source_path NOT IN (SELECT source_path FROM articles);
