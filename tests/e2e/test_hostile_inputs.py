"""Hostile inputs (issue 9): a generated corpus through the real `newsetl run`, plus the limits it relies on.

The corpus is written by tests/hostile.py into a temporary folder (never stored). The run must end cleanly,
account for every path, keep secrets and entity expansions out of every table, store hostile titles
verbatim and stay under 2 GB of resident memory across its whole process tree.
"""

from __future__ import annotations

import ast
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pytest

from flows.settings import Settings
from flows.sources import discover
from flows.steps import FileTimeout, StepConfig, parse_files, parse_isolated, time_limit
from tests import hostile
from tests.conftest import ROOT, cli_env, free_port, query, start_prefect_server, stop_process_group

PEAK_RSS_LIMIT = 2 * 1024**3


def run_measured(args: list[str], env: dict[str, str], timeout: float = 300) -> tuple[int, str, str, int]:
    """Run the CLI, polling the resident memory of its whole process tree; (rc, stdout, stderr, peak bytes).
    Past `timeout` the whole process group is killed (no stray workers) and what it printed is returned."""
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    peak = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            except psutil.Error:
                break
            peak = max(peak, total)
            stop.wait(0.05)

    t = threading.Thread(target=poll, daemon=True)
    t.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        err += f"\n[newsetl run killed after {timeout:.0f} s]"
    finally:
        stop.set()
        t.join()
    return proc.returncode, out, err, peak


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One run on its own Prefect server (no other test's runs or load in its logs) with two pool workers;
    its stdout, stderr and the server's log are kept beside the corpus for a failing test to point at."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = hostile.build(root)
    db = root / "wh" / "news.duckdb"
    home = root / "prefect-home"
    home.mkdir()
    port = free_port()
    server = start_prefect_server(home, port, log=root / "prefect-server.log")
    try:
        env = cli_env(home, PREFECT_API_URL=f"http://127.0.0.1:{port}/api", NEWSETL_WORKERS="2")
        t0 = time.monotonic()
        rc, out, err, peak = run_measured(["run", "--input", str(corpus.input_dir), "--db", str(db)], env)
        seconds = time.monotonic() - t0
        (root / "stdout.txt").write_text(out, encoding="utf-8")
        (root / "stderr.txt").write_text(err, encoding="utf-8")
        yield {"corpus": corpus, "db": db, "rc": rc, "out": out, "err": err, "peak": peak, "seconds": seconds,
               "logs": root}
    finally:
        stop_process_group(server, 15)


def _failure(r: dict[str, Any]) -> str:
    """The whole of stderr, and where the server log and outputs are kept."""
    return f"rc={r['rc']}; stdout, stderr and prefect-server.log kept in {r['logs']}\n--- stderr ---\n{r['err']}"


def test_run_ends_cleanly_without_traceback(hostile_run: dict[str, Any]) -> None:
    r = hostile_run
    print(f"hostile run: rc={r['rc']} {r['seconds']:.1f}s peak RSS {r['peak'] / 2**20:.0f} MiB\n{r['out']}")
    # The exit status first, with all of stderr, so that a failure shows its reason.
    assert r["rc"] == 0, _failure(r)
    assert "Traceback" not in r["out"] and "Traceback" not in r["err"], _failure(r)
    assert r["peak"] < PEAK_RSS_LIMIT, f"peak RSS {r['peak'] / 2**20:.0f} MiB"


def test_every_path_accounted(hostile_run: dict[str, Any]) -> None:
    db, corpus = hostile_run["db"], hostile_run["corpus"]
    expected = set(hostile.entries(corpus))
    files = {p for (p,) in query(db, "SELECT source_path FROM files")}
    quarantined = {p for (p,) in query(db, "SELECT source_path FROM quarantine")}
    dups = {p for (p,) in query(db, "SELECT source_path FROM duplicates")}
    assert expected - files == set(), "paths missing from the files table"
    assert files - expected == set(), "unexpected paths in the files table"
    # A path is loaded (articles), a duplicate or quarantined with a reason.
    loaded = {p for (p,) in query(db, "SELECT DISTINCT source_path FROM articles")}
    assert expected <= loaded | quarantined | dups
    assert not query(db, "SELECT source_path FROM quarantine WHERE reason IS NULL OR reason = ''")
    [(seen, unchanged, ld, dup, quar)] = query(db, "SELECT files_seen, files_unchanged, files_loaded, "
                                                    "files_duplicate, files_quarantined FROM runs")
    assert seen == len(expected) == unchanged + ld + dup + quar


def test_reasons_for_the_dangerous_kinds(hostile_run: dict[str, Any]) -> None:
    db, inp = hostile_run["db"], hostile_run["corpus"].input_dir
    reasons: dict[str, set[str]] = {}
    for path, reason in query(db, "SELECT source_path, reason FROM quarantine"):
        reasons.setdefault(Path(path).name, set()).add(reason)
    assert reasons["big_50mb.txt"] == {"too_long"}
    assert reasons["one_line_10mb.txt"] == {"too_long"}
    assert reasons["bomb.html.gz"] == {"too_large"}
    assert reasons["not_gzip.txt.gz"] == {"bad_gzip"}
    assert reasons["billion_laughs.xml"] == {"unsafe_xml"}
    assert reasons["xxe.xml"] == {"unsafe_xml"}
    assert reasons["escape.txt"] == reasons["escape_dir"] == {"outside_input"}
    assert reasons["empty.txt"] == {"empty"}
    assert "malformed_record" in reasons["mixed.jsonl"]
    assert query(db, "SELECT count(*) FROM articles WHERE source_path = ?", [str(inp / "mixed.jsonl")])[0][0] == 2
    # Files whose names carry shell metacharacters load like any other (and nothing ran them).
    odd = query(db, "SELECT count(*) FROM articles WHERE source_path LIKE ?", [str(inp / "odd") + "/%"])[0][0]
    assert odd == 9
    assert not (ROOT / "pwned").exists()


def test_duplicated_story_loads_once(hostile_run: dict[str, Any]) -> None:
    db, corpus = hostile_run["db"], hostile_run["corpus"]
    paths = [str(p) for p in corpus.duplicate_story]
    n = query(db, "SELECT count(*) FROM articles WHERE source_path IN (SELECT unnest(?::VARCHAR[]))", [paths])
    assert n[0][0] == 1
    kinds = {k for (k,) in query(db, "SELECT kind FROM duplicates WHERE source_path IN "
                                     "(SELECT unnest(?::VARCHAR[]))", [paths])}
    assert kinds == {"exact", "near"}


def _all_text(db: Path) -> list[tuple[str, str]]:
    """(table.column, SQL) selecting every VARCHAR / VARCHAR[] column of every table and view, as text."""
    cols = query(db, "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
                     "WHERE data_type LIKE 'VARCHAR%'")
    return [(f"{s}.{t}.{c}", f'SELECT count(*) FROM "{s}"."{t}" WHERE CAST("{c}" AS VARCHAR) LIKE ?')
            for s, t, c, _ in cols]


def test_no_secret_or_expanded_entity_in_any_table(hostile_run: dict[str, Any]) -> None:
    db, corpus = hostile_run["db"], hostile_run["corpus"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = _all_text(con_db := db)
        assert columns and con_db
        for marker in [*corpus.secrets, *corpus.expanded]:
            for name, sql in columns:
                assert con.execute(sql, [f"%{marker}%"]).fetchone() == (0,), f"{marker!r} found in {name}"
    finally:
        con.close()


def test_hostile_titles_stored_verbatim(hostile_run: dict[str, Any]) -> None:
    db = hostile_run["db"]
    for title in hostile.HostileCorpus.__dataclass_fields__ and hostile_run["corpus"].hostile_titles:
        assert query(db, "SELECT count(*) FROM articles WHERE title = ?", [title])[0][0] >= 1, title
    assert query(db, "SELECT count(*) FROM articles WHERE list_contains(authors, ?)", [hostile.SQL_AUTHOR])[0][0] == 1
    tables = {t for (t,) in query(db, "SELECT table_name FROM information_schema.tables")}
    assert {"articles", "files", "entities"} <= tables


# --- limits, failure isolation and SQL safety, in-process -------------------------------------------------------

def _cfg(**kw: Any) -> StepConfig:
    base = StepConfig.from_settings(Settings())
    return StepConfig(**{**{f: getattr(base, f) for f in StepConfig.__slots__}, **kw})  # type: ignore[attr-defined]


def test_time_limit_interrupts_main_thread_and_other_threads() -> None:
    with pytest.raises(FileTimeout), time_limit(0.2):
        time.sleep(5)
    caught: list[BaseException] = []

    def busy() -> None:
        try:
            with time_limit(0.2):
                while True:
                    sum(range(100))
        except FileTimeout as exc:
            caught.append(exc)

    t = threading.Thread(target=busy)
    t.start()
    t.join(10)
    assert not t.is_alive() and len(caught) == 1


def test_slow_file_is_quarantined_as_timeout(tmp_path: Path) -> None:
    (tmp_path / "slow.html").write_text("<html><body>" + "<p>Some paragraph text here.</p>" * 200_000 + "</body>")
    (tmp_path / "ok.txt").write_text("A title\n\n" + hostile.GOOD_BODY)
    files, _ = discover([tmp_path])
    parse_files([f for f in files if f.path.endswith("ok.txt")], _cfg())  # warm: first use imports and loads models
    outcomes = {Path(o.file.path).name: o for o in parse_files(files, _cfg(file_timeout_s=0.3))}
    assert [r.reason for r in outcomes["slow.html"].rejections] == ["timeout"]
    assert len(outcomes["ok.txt"].articles) == 1


def test_worker_crash_is_reported_against_its_file(tmp_path: Path) -> None:
    for name in ("a.txt", "b_CRASH.txt", "c.txt"):
        (tmp_path / name).write_text(f"Title {name}\n\n" + hostile.GOOD_BODY)
    files, _ = discover([tmp_path])
    outcomes = parse_isolated(files, _cfg(), {}, fn=hostile.crash_on_marker)  # type: ignore[arg-type]
    by_name = {Path(o.file.path).name: o for o in outcomes}
    assert [r.reason for r in by_name["b_CRASH.txt"].rejections] == ["worker_crash"]
    assert len(by_name["a.txt"].articles) == len(by_name["c.txt"].articles) == 1


def test_long_text_is_truncated_for_nlp_and_flagged() -> None:
    from transforms.articles import annotate, build_article
    from transforms.entities import load_ner
    from transforms.records import RawArticle

    cfg = _cfg()
    art = build_article(RawArticle("/x/long.txt", "Long story", (hostile.GOOD_BODY + "\n\n") * 40))
    annotate([art], load_ner(cfg.spacy_model), max_chars=1000, batch_size=cfg.nlp_batch_size,
             max_batch_chars=cfg.max_batch_chars)
    assert "truncated_for_nlp" in art.flags
    assert all(m.end <= 1000 for e in art.entities for m in e.mentions)


SQL_CALLS = {"execute", "sql", "executemany", "query"}
# Identifiers formatted into SQL must be code constants: these names only, never input values.
ALLOWED_FORMATTED = {"t", "table", "column"}


# The one quoting helper (warehouse.db / warehouse.store `sql_string`) for statements DuckDB takes no parameter in
# (LOAD, ATTACH), used on paths the code chose.
QUOTER = "sql_string"


def _quoted_concat(node: ast.expr) -> bool:
    """'ATTACH ' + sql_string(path) + ' AS stg': only literals and the quoting helper."""
    if isinstance(node, ast.BinOp):
        return _quoted_concat(node.left) and _quoted_concat(node.right)
    return isinstance(node, ast.Constant) or (isinstance(node, ast.Call) and getattr(node.func, "id", "") == QUOTER)


def test_no_value_is_formatted_into_sql() -> None:
    bad = []
    for path in [*ROOT.glob("flows/*.py"), *ROOT.glob("warehouse/*.py"), *ROOT.glob("expectations/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS and node.args):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.BinOp) and not _quoted_concat(arg) or (
                    isinstance(arg, ast.Call) and getattr(arg.func, "attr", "") == "format"):
                bad.append(f"{path.name}:{node.lineno}")
            if isinstance(arg, ast.JoinedStr):
                for v in arg.values:
                    if isinstance(v, ast.FormattedValue):
                        ok = (isinstance(v.value, ast.Name) and v.value.id in ALLOWED_FORMATTED) or (
                            isinstance(v.value, ast.Call) and getattr(v.value.func, "id", "") in ("int", QUOTER))
                        if not ok:
                            bad.append(f"{path.name}:{node.lineno}: {ast.unparse(v.value)}")
    assert not bad, bad
