-- Prior state: what earlier runs learnt of each URL (validators, refusals, failure counts).
SELECT url, role, source, etag, last_modified, outcome, reason, failures, fetched_at FROM web_resources;
