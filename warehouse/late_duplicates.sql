-- DuckLake only: concurrent writers (several hosts) each deduplicate against what was published when their
-- run read the warehouse. Under the catalog's publish lock, right before the publish transaction, a staged
-- article whose exact content (content_hash) another run published in the meantime, from an input this run
-- did not re-process, becomes a duplicate of it here in the staging file (attached read-write as `stg`;
-- `main` is the lake). Near-duplicates (MinHash) are caught at the next run's dedup, not here.

CREATE OR REPLACE TEMP TABLE _late AS
    SELECT s.article_id, s.source_path, s.entry_key, min(p.article_id) AS duplicate_of
    FROM stg.articles s
    JOIN main.articles p ON p.content_hash = s.content_hash
    WHERE p.source_path NOT IN (SELECT source_path FROM stg.files)
    GROUP BY s.article_id, s.source_path, s.entry_key;

INSERT INTO stg.duplicates BY NAME
    SELECT l.source_path, l.entry_key, l.duplicate_of, 'exact' AS kind, 1.0 AS similarity, r.run_id
    FROM _late l, (SELECT max(run_id) AS run_id FROM stg.runs) r;

DELETE FROM stg.article_entities WHERE article_id IN (SELECT article_id FROM _late);
DELETE FROM stg.entity_mentions WHERE article_id IN (SELECT article_id FROM _late);
DELETE FROM stg.figures WHERE article_id IN (SELECT article_id FROM _late);
DELETE FROM stg.article_signatures WHERE article_id IN (SELECT article_id FROM _late);
DELETE FROM stg.articles WHERE article_id IN (SELECT article_id FROM _late);

-- A file all of whose articles went that way is a duplicate file now; the run's counts follow.
CREATE OR REPLACE TEMP TABLE _flipped AS
    SELECT source_path FROM stg.files
    WHERE status = 'loaded' AND source_path IN (SELECT source_path FROM _late)
      AND source_path NOT IN (SELECT source_path FROM stg.articles);
UPDATE stg.files SET status = 'duplicate', articles = 0 WHERE source_path IN (SELECT source_path FROM _flipped);
UPDATE stg.runs SET articles_loaded = articles_loaded - (SELECT count(*) FROM _late),
                    duplicates = duplicates + (SELECT count(*) FROM _late),
                    files_loaded = files_loaded - (SELECT count(*) FROM _flipped),
                    files_duplicate = files_duplicate + (SELECT count(*) FROM _flipped)
    WHERE (SELECT count(*) FROM _late) > 0;

DROP TABLE _flipped;
DROP TABLE _late;
