-- DuckLake: name the publish transaction's snapshot after the run. Parameter: the run id.
CALL lake.set_commit_message('newsetl', ?);
