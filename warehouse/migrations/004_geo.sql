-- Places: where a location entity lies, or which country a nationality word names (transforms/geo.py).
-- Null where unresolved. One geo per entity row (entities are one row per canonical name across articles):
-- the geo most of a batch's articles gave the name, kept from the run that first published the entity.
ALTER TABLE entities ADD COLUMN IF NOT EXISTS country_code VARCHAR;   -- ISO 3166-1 alpha-2
ALTER TABLE entities ADD COLUMN IF NOT EXISTS admin1 VARCHAR;         -- first-level division name
ALTER TABLE entities ADD COLUMN IF NOT EXISTS latitude DOUBLE;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS longitude DOUBLE;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS geonames_id BIGINT;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS place_kind VARCHAR;     -- country | admin1 | city | region | continent
