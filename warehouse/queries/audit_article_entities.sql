-- The staged entity links the gate validates (only the columns the suites read).
SELECT article_id, entity_id, mentions FROM article_entities;
