-- The staged entities the gate validates (only the columns the suites read).
SELECT entity_id, name, type, country_code, latitude, longitude FROM entities;
