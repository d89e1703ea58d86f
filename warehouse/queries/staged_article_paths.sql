-- Each staged article's source path, to quarantine an article the audit failed under its input.
SELECT article_id, source_path FROM articles;
