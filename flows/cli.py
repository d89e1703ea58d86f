"""The `newsetl` command line: a thin layer over the library (flows, steps, warehouse)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

# No network here: telemetry and analytics off before Prefect or GX are imported.
for _k, _v in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLI_PROMPT": "false",
}.items():
    os.environ.setdefault(_k, _v)


DB_HELP = "DuckDB file (default warehouse/news.duckdb), ducklake:postgres:<conninfo> or ducklake:sqlite:<file>"


def _settings(args: argparse.Namespace) -> Any:
    from flows.settings import Settings

    overrides: dict[str, Any] = {}
    if getattr(args, "input", None):
        overrides["inputs"] = [Path(p) for p in args.input]
    if getattr(args, "db", None):
        overrides["db"] = args.db  # a file path or ducklake:... (Settings moves a DuckLake aside)
    if getattr(args, "source", None):
        overrides["sources"] = list(args.source)
    if getattr(args, "sources", None):
        overrides["sources_file"] = Path(args.sources)
    return Settings(**overrides)


def _check_sources(settings: Any) -> str | None:
    """A bad --sources file is a one-line error before anything starts."""
    from flows.sources import SourcesFileError, load_sources

    try:
        load_sources(settings.sources, settings.sources_file)
    except SourcesFileError as exc:
        return str(exc)
    return None


def cmd_run(args: argparse.Namespace) -> int:
    from flows.ephemeral import EarlyServer

    server = EarlyServer()  # boots (~5 s of CPU) while the settings, the pool and the pipeline load
    settings = _settings(args)
    problem = _check_sources(settings)
    if problem:
        print(f"newsetl run: {problem}", file=sys.stderr)
        return 2
    if settings.dask_address:
        from flows.workers import scheduler_problem

        unreachable = scheduler_problem(settings.dask_address)
        if unreachable:
            print(f"newsetl run: {unreachable}; nothing was run", file=sys.stderr)
            return 2
    early = _start_crawl_early(settings)
    if not settings.dask_address:
        from flows.workers import prewarm_for, start_pool

        workers = settings.workers or os.cpu_count() or 1
        if early is not None:  # the pages will need the model: load it while the crawl waits
            start_pool(workers, settings.spacy_model, wait=False)
        else:
            prewarm_for(settings.inputs, settings.db, workers, settings.spacy_model, settings.in_process_max_files)
    from flows.pipeline import newsetl_run, task_runner_for

    flow = newsetl_run.with_options(task_runner=task_runner_for(settings))
    try:
        with server.hand_over():
            result = flow(settings=settings.to_params())
    except Exception as exc:  # one line on stderr, not a traceback
        _quiet_prefect_shutdown()
        where = f" (scheduler {settings.dask_address})" if type(exc).__name__ == "DaskClusterLost" else ""
        print(f"newsetl run failed: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return 2
    finally:
        if early is not None:
            early.release()
    _quiet_prefect_shutdown()
    _print_summary(result)
    if result["status"] != "published":
        print(f"newsetl run not published: {result['reason'] or result['status']}", file=sys.stderr)
        return 1
    return 0


def _start_crawl_early(settings: Any) -> Any:
    """With web sources, the crawl starts now, while Prefect boots (see flows/early.py)."""
    if not settings.has_web_sources:
        return None
    from flows.early import start

    return start(settings)


def _quiet_prefect_shutdown() -> None:
    # The ephemeral server logs its shutdown at exit; keep our one-line reason the last line on stderr.
    import logging

    logging.getLogger("prefect").setLevel(logging.WARNING)


def _print_summary(r: dict[str, Any]) -> None:
    print(
        f"run {r['run_id']}: {r['status']} in {r['seconds']:.1f}s | inputs {r['files_seen']} "
        f"(unchanged {r['files_unchanged']}, loaded {r['files_loaded']}, duplicate {r['files_duplicate']}, "
        f"quarantined {r['files_quarantined']}) | articles {r['articles_loaded']}, duplicates {r['duplicates']}, "
        f"quarantine rows {r['quarantined']}, entity links {r['entities']}, figures {r['figures']} | "
        f"validation {'passed' if r['validation_success'] else 'FAILED'}"
    )
    if r.get("urls_seen"):
        print(f"web: {r['urls_seen']} URLs, {r['fetch_requested']} requested ({r['fetch_requests']} HTTP requests), "
              f"{r['fetch_not_modified']} not modified, {r['fetch_skipped']} skipped, {r['fetch_failed']} failed "
              f"in {r['fetch_seconds']:.1f}s")
        for d in r.get("fetch_by_source", []):
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(d["reasons"].items()))
            print(f"  {d['source']}: {d['urls']} URLs, loaded {d['loaded']}, not modified {d['not_modified']}, "
                  f"duplicate {d['duplicate']}, skipped {d['skipped']}, failed {d['failed']}"
                  + (f" ({reasons})" if reasons else ""))
    if r.get("stage_seconds"):
        print("stages: " + ", ".join(f"{k} {v:.1f}s" for k, v in r["stage_seconds"].items()))


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import NoPrefectServer, ServeSpec, serve

    try:
        serve(_settings(args), ServeSpec(cron=args.cron, name=args.name))
    except (ValueError, NoPrefectServer) as exc:
        print(f"newsetl serve: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    from flows.serve import DeploySpec, NoPrefectServer, deploy

    spec = DeploySpec(pool=args.pool, name=args.name, cron=args.cron)
    try:
        dep_id = deploy(_settings(args), spec)
    except (ValueError, NoPrefectServer) as exc:
        print(f"newsetl deploy: {exc}", file=sys.stderr)
        return 2
    print(f"deployment newsetl-run/{spec.name} ({dep_id}) on process work pool {spec.pool}; "
          f"run it with a worker: prefect worker start --pool {spec.pool} --type process")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from flows.extract import extract_paths

    return extract_paths(list(args.paths), _settings(args), sys.stdout, sys.stderr, explain=args.explain)


def cmd_sql(args: argparse.Namespace) -> int:
    from flows.query import run_query

    return run_query(_settings(args), args.query, args.format, sys.stdout, sys.stderr, at_run=args.at_run)


def cmd_status(args: argparse.Namespace) -> int:
    from flows.query import read_sql, run_query, sources_table

    settings = _settings(args)
    rc = run_query(settings, read_sql("status"), args.format, sys.stdout, sys.stderr, [int(args.limit)])
    if rc == 0 and args.format == "table":
        sources_table(settings, sys.stdout)
    return rc


def cmd_fetches(args: argparse.Namespace) -> int:
    from flows.query import read_sql, run_query

    return run_query(_settings(args), read_sql("fetches"), args.format, sys.stdout, sys.stderr, [int(args.limit)])


def cmd_quarantine(args: argparse.Namespace) -> int:
    from flows.query import read_sql, run_query

    return run_query(_settings(args), read_sql("quarantine"), args.format, sys.stdout, sys.stderr, [int(args.limit)])


def cmd_search(args: argparse.Namespace) -> int:
    from flows.search import run_search

    return run_search(_settings(args), args.query, int(args.limit), args.format, sys.stdout, sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from flows.report import DEFAULT_REPORT, write_report
    from warehouse.db import WarehouseBusy

    settings = _settings(args)
    if not settings.warehouse.exists():
        print(f"no warehouse at {settings.db_label}: run `newsetl run` first", file=sys.stderr)
        return 1
    try:
        out = write_report(settings.warehouse, Path(args.out) if args.out else DEFAULT_REPORT,
                           cache_dir=settings.resolved_cache_dir)
    except WarehouseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsetl", description="News ingestion ETL: Prefect + spaCy + DuckDB + GX.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run the Prefect flow: ingest, extract, stage, validate, publish")
    r.add_argument("--input", action="append", metavar="PATH", help="file or folder (repeatable; default seeds/)")
    r.add_argument("--db", metavar="FILE", help=DB_HELP)
    _source_args(r)
    r.set_defaults(func=cmd_run)

    sv = sub.add_parser("serve", help="serve the flow as a scheduled Prefect deployment (one run at a time)")
    sv.add_argument("--cron", required=True, metavar="EXPR", help='schedule, e.g. "0 3 * * *" (daily at 03:00)')
    sv.add_argument("--input", action="append", metavar="PATH", help="file or folder (repeatable; default seeds/)")
    sv.add_argument("--db", metavar="FILE", help=DB_HELP)
    sv.add_argument("--name", default="newsetl-scheduled", help="deployment name (default newsetl-scheduled)")
    _source_args(sv)
    sv.set_defaults(func=cmd_serve)

    dp = sub.add_parser("deploy", help="deploy the flow from this checkout to a process work pool (run by workers)")
    dp.add_argument("--pool", required=True, metavar="NAME", help="process work pool (created when missing)")
    dp.add_argument("--name", default="newsetl-pool", help="deployment name (default newsetl-pool)")
    dp.add_argument("--cron", metavar="EXPR", help="optional schedule; without it runs start from the UI/API/CLI")
    dp.add_argument("--input", action="append", metavar="PATH", help="file or folder (repeatable; default seeds/)")
    dp.add_argument("--db", metavar="FILE", help=DB_HELP)
    _source_args(dp)
    dp.set_defaults(func=cmd_deploy)

    e = sub.add_parser("extract", help="parse and extract files, folders or URLs to JSON Lines (no database)")
    e.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    e.add_argument("--explain", action="store_true",
                   help="add figure_rules to each record: every number, kept or the rule that dropped it")
    e.set_defaults(func=cmd_extract)

    s = sub.add_parser("sql", help="run a read-only SQL query against the warehouse")
    s.add_argument("query")
    s.add_argument("--db", metavar="FILE")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.add_argument("--at-run", metavar="RUN_ID", help="DuckLake only: query the warehouse as that run left it")
    s.set_defaults(func=cmd_sql)

    st = sub.add_parser("status", help="list recent runs with counts and validation outcome")
    st.add_argument("--db", metavar="FILE")
    st.add_argument("--limit", type=int, default=20)
    st.add_argument("--format", choices=["table", "csv", "json"], default="table")
    st.set_defaults(func=cmd_status)

    fe = sub.add_parser("fetches", help="list the URLs of recent runs with outcome and reason")
    fe.add_argument("--db", metavar="FILE")
    fe.add_argument("--limit", type=int, default=100)
    fe.add_argument("--format", choices=["table", "csv", "json"], default="table")
    fe.set_defaults(func=cmd_fetches)

    q = sub.add_parser("quarantine", help="list quarantined inputs and rows with reasons")
    q.add_argument("--db", metavar="FILE")
    q.add_argument("--limit", type=int, default=100)
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.set_defaults(func=cmd_quarantine)

    se = sub.add_parser("search", help="full-text search (BM25) over published articles, best first")
    se.add_argument("query")
    se.add_argument("--db", metavar="FILE")
    se.add_argument("--limit", type=int, default=10)
    se.add_argument("--format", choices=["table", "csv", "json"], default="table")
    se.set_defaults(func=cmd_search)

    rp = sub.add_parser("report", help="write one self-contained HTML report of the warehouse (works offline)")
    rp.add_argument("--db", metavar="FILE")
    rp.add_argument("--out", metavar="FILE", help="HTML file to write (default warehouse/reports/report.html)")
    rp.set_defaults(func=cmd_report)
    return p


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", action="append", metavar="URL",
                   help="a feed, sitemap or article URL to fetch (repeatable); without --input no local files are read")
    p.add_argument("--sources", metavar="FILE", help="TOML file of [[source]] tables (url, name, kind)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        rc = int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if argv is None and args.command == "run":
        _exit_now(rc)
    return rc


def _exit_now(rc: int) -> None:
    """End a command-line run without the interpreter's final teardown.

    Measured here: after a run, freeing the module graph (Prefect, GX, spaCy, DuckDB) takes ~1.6 s, on every
    run. Everything that matters at exit still happens first, in the interpreter's own order: non-daemon
    threads are joined and their exit hooks run (Prefect drains its log and event workers there), then the
    atexit handlers (worker pool, ephemeral server, logging); only then does the process leave.
    """
    import atexit
    import threading

    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is None:  # not CPython's threading: take the ordinary way out
        return
    shutdown()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)


if __name__ == "__main__":
    sys.exit(main())
