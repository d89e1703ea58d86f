"""One Settings object: built once at the entry point, carried to the flow as JSON, rebuilt there unchanged;
the views other layers take (StepConfig, GateThresholds, ParseLimits) copy it and have no defaults of their own."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import inspect
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import httpx
import pytest

from expectations.gate import GateThresholds
from flows.cli import _settings, build_parser
from flows.fetch import FetchError, FetchPolicy, PoliteClient, pages_to_retry
from flows.settings import Settings
from flows.steps import StepConfig
from transforms.ingest import ParseLimits
from transforms.web import Reason
from warehouse.backend import DuckLake, EmbeddedFile
from warehouse.db import migrate, view_statements
from warehouse.store import StagingArea, publish, publish_into, read_state_from


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


# --- every limit is a setting, and the value reaches the code that uses it ------------------------------------

def _client(settings: Settings, pages: dict[str, httpx.Response]) -> PoliteClient:
    """A PoliteClient over an in-memory transport (no socket): path -> response, anything else a 404."""
    client = PoliteClient(FetchPolicy.from_settings(settings), None)
    client.http.close()
    client.http = httpx.Client(transport=httpx.MockTransport(lambda r: pages.get(r.url.path, httpx.Response(404))))
    return client


def _redirects(hops: int) -> dict[str, httpx.Response]:
    chain = {f"/r{i}": httpx.Response(302, headers={"location": f"/r{i + 1}"}) for i in range(hops)}
    return {**chain, f"/r{hops}": httpx.Response(200, headers={"content-type": "text/html"}, content=b"<p>ok</p>")}


FAST = {"host_delay_s": 0.0, "fetch_retries": 0, "allow_private_hosts": "127.0.0.1"}


def test_max_redirects_reaches_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _client(Settings(**FAST), _redirects(3)).get("http://127.0.0.1/r0").status == 200  # default 5
    monkeypatch.setenv("NEWSETL_MAX_REDIRECTS", "2")
    settings = Settings(**FAST)
    assert _client(settings, _redirects(2)).get("http://127.0.0.1/r0").status == 200
    with pytest.raises(FetchError, match="more than 2 redirects") as err:
        _client(settings, _redirects(3)).get("http://127.0.0.1/r0")
    assert err.value.reason == Reason.TOO_MANY_REDIRECTS


def test_robots_max_bytes_reaches_the_robots_check() -> None:
    robots = httpx.Response(200, headers={"content-type": "text/plain"},
                            content=b"User-agent: *\nDisallow: /\n" + b"#" * 200)
    pages = {**_redirects(0), "/robots.txt": robots}
    with pytest.raises(FetchError) as err:  # default 512 KiB: the rules are read, and disallow the page
        _client(Settings(**FAST), pages).get("http://127.0.0.1/r0")
    assert err.value.reason == Reason.ROBOTS_DISALLOWED
    # A robots.txt over the setting is read as empty: no rules.
    assert _client(Settings(**FAST, robots_max_bytes=100), pages).get("http://127.0.0.1/r0").status == 200


def test_max_retry_runs_reaches_the_crawl() -> None:
    con = duckdb.connect()
    migrate(con)
    for url, failures in (("https://x.org/a", 3), ("https://x.org/b", 4)):
        con.execute("INSERT INTO web_resources (url, role, source, outcome, reason, failures, fetched_at, run_id) "
                    "VALUES (?, 'page', 'x', 'failed', 'timeout', ?, now(), 'r1')", [url, failures])
    web = read_state_from(con).web
    con.close()
    for settings, retried in ((Settings(), ["https://x.org/a"]),
                              (Settings(max_retry_runs=4), ["https://x.org/a", "https://x.org/b"])):
        policy = FetchPolicy.from_settings(settings)
        assert [url for url, _ in pages_to_retry(web, {"x"}, policy.max_retry_runs)] == retried
    assert pages_to_retry(web, {"another source"}, 10) == []


@pytest.mark.parametrize("fn", [StagingArea.__init__, publish, publish_into, EmbeddedFile.publish, DuckLake.publish])
def test_memory_limits_have_no_second_default(fn: Any) -> None:
    assert inspect.signature(fn).parameters["memory_limit"].default is inspect.Parameter.empty


def test_staging_memory_limit_reaches_duckdb(tmp_path: Path) -> None:
    staging = StagingArea(tmp_path / "news.duckdb", "r1", Settings(staging_memory_limit="77MiB").staging_memory_limit)
    try:
        assert staging.scalar("SELECT current_setting('memory_limit')") == "77.0 MiB"
    finally:
        staging.close()


# --- the report honours the run's settings ----------------------------------------------------------------------

def _warehouse_and_cached_bundle(tmp_path: Path) -> tuple[Path, Path, str]:
    """An empty warehouse, and a cache folder holding a stand-in for the charting library (so nothing is built)."""
    db = tmp_path / "news.duckdb"
    con = duckdb.connect(str(db))
    migrate(con)
    for stmt in view_statements():
        con.execute(stmt)
    con.close()
    cache = tmp_path / "my-cache"
    cache.mkdir()
    marker = "/* the bundle cached under this run's NEWSETL_CACHE_DIR */"
    (cache / f"vega-embed-bundle-{importlib.metadata.version('vl-convert-python')}.js").write_text(marker)
    return db, cache, marker


def test_the_run_report_uses_the_runs_cache_dir(tmp_path: Path) -> None:
    from flows.pipeline import _refresh_report

    db, cache, marker = _warehouse_and_cached_bundle(tmp_path)
    settings = Settings.from_params(Settings(db=db, reports_dir=tmp_path / "reports").to_params(), cache_dir=cache)
    summary = SimpleNamespace(report_path=None, top_entities=None)
    warnings: list[Any] = []
    _refresh_report(settings, summary, SimpleNamespace(warning=lambda *a: warnings.append(a)))  # type: ignore[arg-type]
    assert warnings == [] and summary.report_path == str((tmp_path / "reports" / "report.html").resolve())
    assert marker in Path(summary.report_path).read_text(encoding="utf-8")


def test_newsetl_report_uses_the_cache_dir_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.cli import cmd_report

    db, cache, marker = _warehouse_and_cached_bundle(tmp_path)
    monkeypatch.setenv("NEWSETL_CACHE_DIR", str(cache))
    out = tmp_path / "report.html"
    assert cmd_report(build_parser().parse_args(["report", "--db", str(db), "--out", str(out)])) == 0
    assert marker in out.read_text(encoding="utf-8")
