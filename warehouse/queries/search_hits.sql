-- `newsetl search`: published articles matching a query, best first. Parameters: the query, how many.
SELECT article_id, title, score, snippet FROM analytics.search(?, n := ?);
