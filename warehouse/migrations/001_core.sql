-- Core tables. Published data lives here; the analytics views read only these.
-- No PRIMARY KEY constraints: DuckDB checks them eagerly within a transaction, which breaks
-- delete-then-reinsert of an edited article; uniqueness is enforced by the publish step and checked by GX.

CREATE TABLE IF NOT EXISTS articles (
    article_id     VARCHAR NOT NULL,   -- stable per source (path + entry), so an edited input replaces its row
    source_path    VARCHAR NOT NULL,
    source_id      VARCHAR,            -- id of a .jsonl record
    entry_key      VARCHAR,            -- feed entry / jsonl line within the file
    url            VARCHAR,
    source_domain  VARCHAR,
    title          VARCHAR NOT NULL,
    summary        VARCHAR,
    body           VARCHAR NOT NULL,
    text           VARCHAR NOT NULL,   -- the string entity and figure offsets index
    authors        VARCHAR[],
    published_at   TIMESTAMPTZ,
    language       VARCHAR,
    content_hash   VARCHAR NOT NULL,   -- sha256 of the normalised text
    word_count     INTEGER,
    flags          VARCHAR[],
    ingested_at    TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    entity_id      VARCHAR NOT NULL,   -- hash of (type, canonical name)
    name           VARCHAR NOT NULL,
    type           VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS entity_aliases (
    entity_id      VARCHAR NOT NULL,
    alias          VARCHAR NOT NULL,   -- a surface form merged into the entity
    count          INTEGER NOT NULL    -- mentions with that surface across published articles
);

CREATE TABLE IF NOT EXISTS article_entities (
    article_id     VARCHAR NOT NULL,
    entity_id      VARCHAR NOT NULL,
    mentions       INTEGER NOT NULL,   -- how often the entity occurs in the article
    first_offset   INTEGER NOT NULL,
    in_title       BOOLEAN NOT NULL,
    in_summary     BOOLEAN NOT NULL,
    surface_forms  VARCHAR[]
);

CREATE TABLE IF NOT EXISTS figures (
    figure_id      VARCHAR NOT NULL,
    article_id     VARCHAR NOT NULL,
    value          DOUBLE NOT NULL,
    range_end      DOUBLE,
    unit           VARCHAR,
    object         VARCHAR,
    category       VARCHAR NOT NULL,
    qualifier      VARCHAR NOT NULL,
    direction      VARCHAR,
    surface        VARCHAR NOT NULL,
    sentence       VARCHAR,
    start_offset   INTEGER NOT NULL,
    end_offset     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    source_path    VARCHAR NOT NULL,
    entry_key      VARCHAR,
    reason         VARCHAR NOT NULL,   -- reason code: empty, binary, malformed_record, expectation name, ...
    detail         VARCHAR,
    run_id         VARCHAR NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS duplicates (
    source_path    VARCHAR NOT NULL,
    entry_key      VARCHAR,
    duplicate_of   VARCHAR NOT NULL,   -- article_id of the first article
    kind           VARCHAR NOT NULL,   -- exact | near
    similarity     DOUBLE,
    run_id         VARCHAR NOT NULL
);

-- Input inventory for incremental runs: an unchanged file (path, size, mtime, then hash) is skipped.
CREATE TABLE IF NOT EXISTS files (
    source_path    VARCHAR NOT NULL,
    size           BIGINT NOT NULL,
    mtime_ns       BIGINT NOT NULL,
    file_hash      VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,   -- loaded | duplicate | quarantined
    articles       INTEGER NOT NULL,
    run_id         VARCHAR NOT NULL
);

-- MinHash signatures of published articles, for near-duplicate detection across runs.
CREATE TABLE IF NOT EXISTS article_signatures (
    article_id     VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    minhash        BLOB
);

CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR NOT NULL,
    flow_run_id         VARCHAR,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,   -- published | failed_validation | failed
    files_seen          INTEGER NOT NULL,
    files_unchanged     INTEGER NOT NULL,   -- skipped: same path, size and mtime (or same bytes) as before
    files_loaded        INTEGER NOT NULL,   -- files_seen = unchanged + loaded + duplicate + quarantined
    files_duplicate     INTEGER NOT NULL,
    files_quarantined   INTEGER NOT NULL,
    articles_loaded     INTEGER NOT NULL,
    duplicates          INTEGER NOT NULL,   -- articles recorded as duplicates of earlier ones
    quarantined         INTEGER NOT NULL,   -- quarantine rows written (files, entries, records, rows)
    validation_success  BOOLEAN,
    failed_expectations VARCHAR[],
    reason              VARCHAR
);

-- Every mention of an entity in an article (offsets into articles.text); entity_aliases is derived from it.
CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id     VARCHAR NOT NULL,
    entity_id      VARCHAR NOT NULL,
    alias          VARCHAR NOT NULL,   -- the surface text of the mention
    start_offset   INTEGER NOT NULL,
    end_offset     INTEGER NOT NULL
);
