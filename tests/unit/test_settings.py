"""One Settings object: built once at the entry point, carried to the flow as JSON, rebuilt there unchanged;
the views other layers take (StepConfig, GateThresholds, ParseLimits) copy it and have no defaults of their own."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from expectations.gate import GateThresholds
from flows.cli import _settings, build_parser
from flows.settings import Settings
from flows.steps import StepConfig
from transforms.ingest import ParseLimits


def _changed(name: str, value: Any) -> Any:
    """A value for the field different from its default (same type)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, list):
        return [Path("elsewhere")] if name == "inputs" else ["https://example.org/feed.xml"]
    if name.endswith("memory_limit"):
        return "99MB"
    if isinstance(value, Path) or name in ("reports_dir", "sources_file"):
        return Path(f"other/{name}.x")
    if value is None:
        return "tcp://127.0.0.1:8786" if name == "dask_address" else None
    return f"{value}-changed"


def test_every_override_survives_the_flow_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    overrides = {n: _changed(n, getattr(defaults, n)) for n in Settings.model_fields if not n.startswith("lake")}
    built = Settings(**overrides)
    params = built.to_params()
    assert json.loads(json.dumps(params)) == params  # what Prefect stores for the flow run
    # Where the flow runs, the environment says otherwise (every field back at its default): the dump wins.
    plain = defaults.to_params()
    for name in overrides:
        if plain[name] is not None:
            value = plain[name]
            monkeypatch.setenv(f"NEWSETL_{name.upper()}", json.dumps(value) if isinstance(value, list) else str(value))
    assert Settings().model_dump() == defaults.model_dump()
    again = Settings.from_params(params)
    assert again.model_dump() == built.model_dump()


def test_cli_overrides_and_environment_reach_the_flow(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSETL_WORKERS", "3")
    monkeypatch.setenv("NEWSETL_MAX_HTML_BYTES", "12345")
    args = build_parser().parse_args(["run", "--input", "a", "--input", "b", "--db", str(tmp_path / "x.duckdb"),
                                      "--source", "https://example.org/rss"])
    params = _settings(args).to_params()
    monkeypatch.delenv("NEWSETL_WORKERS")
    monkeypatch.delenv("NEWSETL_MAX_HTML_BYTES")
    s = Settings.from_params(params)
    assert (s.inputs, s.db, s.sources) == ([Path("a"), Path("b")], tmp_path / "x.duckdb", ["https://example.org/rss"])
    assert (s.workers, s.max_html_bytes) == (3, 12345)
    # A deployment's edited parameter wins over the dump; an empty one does not.
    assert Settings.from_params(params, db=str(tmp_path / "y.duckdb"), inputs=None).db == tmp_path / "y.duckdb"


def test_web_only_dump_reads_no_local_files() -> None:
    s = Settings(sources=["https://example.org/rss"])
    assert s.inputs == [] and Settings.from_params(s.to_params()).inputs == []


@pytest.mark.parametrize("view", [StepConfig, GateThresholds, ParseLimits])
def test_views_have_no_defaults_and_copy_settings_fields(view: type) -> None:
    fields = dataclasses.fields(view)
    assert all(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in fields)
    assert {f.name for f in fields} <= set(Settings.model_fields)


def test_views_are_built_from_the_settings_values() -> None:
    s = Settings(max_html_bytes=111, max_decompressed_bytes=222, max_batch_chars=333, min_articles_per_run=4)
    cfg = StepConfig.from_settings(s)
    assert cfg.limits == ParseLimits(max_decompressed_bytes=222, max_html_bytes=111)
    assert cfg.max_batch_chars == 333 and GateThresholds.from_settings(s).min_articles_per_run == 4


def test_memory_limits_are_checked_before_they_reach_sql() -> None:
    with pytest.raises(ValueError):
        Settings(publish_memory_limit="1GB'; DROP TABLE articles; --")
    assert Settings(staging_memory_limit="1.5GiB").staging_memory_limit == "1.5GiB"
