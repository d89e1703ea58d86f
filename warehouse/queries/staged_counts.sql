-- What a run's staging file holds after the audit: the run's counters (flows/ledger.py:RunLedger.recount).
SELECT
    (SELECT count(*) FROM articles) AS articles,
    (SELECT count(*) FROM quarantine) AS quarantine,
    (SELECT count(*) FROM entities) AS entities,
    (SELECT count(*) FROM figures) AS figures,
    (SELECT count(*) FROM files WHERE status = 'loaded') AS files_loaded,
    (SELECT count(*) FROM files WHERE status = 'duplicate') AS files_duplicate,
    (SELECT count(*) FROM files WHERE status = 'quarantined') AS files_quarantined;
