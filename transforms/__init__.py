"""Pure transforms: text and records in, records out. No Prefect, DuckDB or GX imports here."""
