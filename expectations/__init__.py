"""Great Expectations suites, one per warehouse table, built in code."""
