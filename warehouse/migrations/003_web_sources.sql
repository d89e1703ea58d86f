-- Live web sources: one row per URL a run discovered or requested, and the latest state per URL.

CREATE TABLE IF NOT EXISTS fetches (
    run_id         VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,   -- canonical URL (an article's source_path)
    source         VARCHAR NOT NULL,   -- the source's name (from --sources) or its domain
    role           VARCHAR NOT NULL,   -- source (feed, sitemap, home page) | page (an article)
    final_url      VARCHAR,            -- after redirects
    http_status    INTEGER,
    outcome        VARCHAR NOT NULL,   -- loaded | not_modified | duplicate | skipped | failed
    reason         VARCHAR,            -- for skipped / failed (README: "Fetch reasons")
    detail         VARCHAR,
    etag           VARCHAR,
    last_modified  VARCHAR,
    bytes          BIGINT,             -- body size after decompression
    fetched_at     TIMESTAMPTZ NOT NULL,
    article_id     VARCHAR,            -- the article this URL published
    requests       INTEGER NOT NULL    -- HTTP requests spent on it (retries and redirect hops included)
);

-- What the next run needs to know: validators for conditional requests, and failures that earn a retry.
CREATE TABLE IF NOT EXISTS web_resources (
    url            VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    etag           VARCHAR,
    last_modified  VARCHAR,
    http_status    INTEGER,
    outcome        VARCHAR NOT NULL,
    reason         VARCHAR,
    failures       INTEGER NOT NULL,   -- runs in a row this URL failed retryably (0 otherwise)
    fetched_at     TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL
);

ALTER TABLE runs ADD COLUMN IF NOT EXISTS urls_seen INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fetch_requested INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fetch_requests INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fetch_not_modified INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fetch_failed INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fetch_skipped INTEGER;
