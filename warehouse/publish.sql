-- Publish a validated staging area (attached as `stg`) into the main tables.
-- Run by warehouse.store.publish inside ONE transaction: readers see the state before or after, never between.

-- Articles from re-processed (new or edited) inputs are replaced as a whole.
CREATE OR REPLACE TEMP TABLE _replaced AS
    SELECT article_id FROM main.articles WHERE source_path IN (SELECT source_path FROM stg.files);
-- Entities the replaced articles linked to: if no article links to one after this publish, it goes too.
CREATE OR REPLACE TEMP TABLE _unlinked AS
    SELECT DISTINCT entity_id FROM main.article_entities WHERE article_id IN (SELECT article_id FROM _replaced);
DELETE FROM main.article_entities WHERE article_id IN (SELECT article_id FROM _replaced);
DELETE FROM main.entity_mentions WHERE article_id IN (SELECT article_id FROM _replaced);
DELETE FROM main.figures WHERE article_id IN (SELECT article_id FROM _replaced);
DELETE FROM main.article_signatures WHERE article_id IN (SELECT article_id FROM _replaced);
DELETE FROM main.articles WHERE article_id IN (SELECT article_id FROM _replaced);
DELETE FROM main.quarantine WHERE source_path IN (SELECT source_path FROM stg.files);
DELETE FROM main.duplicates WHERE source_path IN (SELECT source_path FROM stg.files);
DELETE FROM main.files WHERE source_path IN (SELECT source_path FROM stg.files);

INSERT INTO main.articles BY NAME SELECT * FROM stg.articles;
INSERT INTO main.entities BY NAME
    SELECT * FROM stg.entities s WHERE NOT EXISTS (SELECT 1 FROM main.entities e WHERE e.entity_id = s.entity_id);
INSERT INTO main.article_entities BY NAME SELECT * FROM stg.article_entities;
INSERT INTO main.entity_mentions BY NAME SELECT * FROM stg.entity_mentions;
INSERT INTO main.figures BY NAME SELECT * FROM stg.figures;
INSERT INTO main.article_signatures BY NAME SELECT * FROM stg.article_signatures;
INSERT INTO main.quarantine BY NAME SELECT * FROM stg.quarantine;
INSERT INTO main.duplicates BY NAME SELECT * FROM stg.duplicates;
INSERT INTO main.files BY NAME SELECT * FROM stg.files;
DELETE FROM main.entities WHERE entity_id IN (SELECT entity_id FROM _unlinked)
    AND entity_id NOT IN (SELECT entity_id FROM main.article_entities);

-- Aliases are derived from the published mentions, so they always show every merge.
DELETE FROM main.entity_aliases;
INSERT INTO main.entity_aliases
    SELECT entity_id, alias, count(*)::INTEGER AS count FROM main.entity_mentions GROUP BY entity_id, alias;

-- Web state: the latest row per URL replaces the one before; fetches are an append-only log.
DELETE FROM main.web_resources WHERE url IN (SELECT url FROM stg.web_resources);
INSERT INTO main.web_resources BY NAME SELECT * FROM stg.web_resources;
INSERT INTO main.fetches BY NAME SELECT * FROM stg.fetches;

INSERT INTO main.runs BY NAME SELECT * FROM stg.runs;
DROP TABLE _replaced;
DROP TABLE _unlinked;
