-- Report header: what the warehouse holds.
SELECT (SELECT count(*) FROM main.articles) AS articles,
       (SELECT count(DISTINCT coalesce(source_domain, '(unknown)')) FROM main.articles) AS sources,
       (SELECT count(*) FROM main.entities) AS entities,
       (SELECT count(*) FROM main.figures) AS figures,
       (SELECT count(*) FROM main.quarantine) AS quarantined,
       (SELECT count(*) FROM main.runs) AS runs,
       (SELECT min(ingested_at) FROM main.articles) AS first_ingested,
       (SELECT max(ingested_at) FROM main.articles) AS last_ingested;
