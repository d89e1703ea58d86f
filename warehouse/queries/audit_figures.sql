-- The staged figures the gate validates (only the columns the suites read: no sentences or surfaces).
SELECT figure_id, article_id, value, category, qualifier FROM figures;
