-- Prior state: the signatures of published articles (for dedup), with their inputs.
SELECT s.article_id, s.content_hash, s.minhash, a.source_path
FROM article_signatures s JOIN articles a USING (article_id);
