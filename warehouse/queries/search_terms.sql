-- `newsetl search`: the terms of a query as the index reads them (for highlighting). Parameter: the query.
SELECT analytics.search_terms(?);
