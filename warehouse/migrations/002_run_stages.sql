-- Wall seconds per pipeline stage of a run (JSON object), for performance tracking.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS stage_seconds VARCHAR;
