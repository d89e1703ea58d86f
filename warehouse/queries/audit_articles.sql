-- The staged articles the gate validates, without their texts (the body's length only).
SELECT article_id, title, language, published_at, source_domain, coalesce(length(body), 0) AS body_chars
FROM articles;
