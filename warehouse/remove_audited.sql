-- Carry out the audit's removal plan (expectations/gate.py:RemovalPlan, registered as _drop_*): the plan already
-- holds the cascade (every link of a removed article or entity, and the entities left with no link); here a
-- link takes its mentions, an article its signature, and a file whose articles all went is quarantined.
DELETE FROM articles WHERE article_id IN (SELECT article_id FROM _drop_articles);
DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM _drop_entities);
DELETE FROM article_entities a WHERE EXISTS (
    SELECT 1 FROM _drop_links d WHERE d.article_id = a.article_id AND d.entity_id = a.entity_id);
DELETE FROM entity_mentions m WHERE EXISTS (
    SELECT 1 FROM _drop_links d WHERE d.article_id = m.article_id AND d.entity_id = m.entity_id);
DELETE FROM figures WHERE figure_id IN (SELECT figure_id FROM _drop_figures);
DELETE FROM article_signatures WHERE article_id IN (SELECT article_id FROM _drop_articles);
UPDATE files SET status = 'quarantined', articles = 0
    WHERE status = 'loaded' AND source_path NOT IN (SELECT source_path FROM articles);
