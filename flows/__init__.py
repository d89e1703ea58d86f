"""Orchestration: Prefect flows and tasks over batches, the CLI and settings."""
