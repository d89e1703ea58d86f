"""The HTML path's speed beside its reference, side by side in one invocation, on the same pages.

Whole process: the reference (../shared/eval/html_reference.py: trafilatura bare_extraction with metadata
on a 2-process pool, then spaCy NER with n_process=2) beside `newsetl run --input <pages> --db <tmp>`
(fresh PREFECT_HOME and database, no NEWSETL_* settings). Parse only: parse_html over every page on a
2-process pool beside trafilatura's bare_extraction alone on a 2-process pool, as the reference calls it.
Ratios are reference seconds / newsetl seconds (1.0 = as fast as the reference; the floor is 0.85).
With --repeat N the order of each pair alternates, so load from other processes hits both sides alike.

Run: `.venv/bin/python bench/bench_html.py [--pages DIR] [--repeat N] [--skip-run | --skip-parse]`.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = ROOT.parent / "shared" / "eval" / "html_reference.py"
PAGES = ROOT.parent / "shared" / "corpus" / "trafilatura-eval" / "pages"
PYTHON = ROOT / ".venv" / "bin" / "python"
NEWSETL = ROOT / ".venv" / "bin" / "newsetl"
SUFFIXES = (".html", ".htm", ".html.gz")


@dataclass(slots=True)
class Timed:
    seconds: float
    rc: int
    note: str  # the reference's summary line, or the end of newsetl's stderr when it exits non-zero


def page_files(pages: Path) -> list[str]:
    return sorted(str(p) for p in pages.iterdir() if p.name.endswith(SUFFIXES))


def _read(path: str) -> bytes:
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if path.endswith(".gz") else raw


def _trafilatura_one(path: str) -> int:
    """What the reference does per page (utf-8 with replacement, bare_extraction with metadata)."""
    import trafilatura

    doc = trafilatura.bare_extraction(_read(path).decode("utf-8", "replace"), with_metadata=True)
    return len(getattr(doc, "text", None) or "")


def _newsetl_one(path: str) -> int:
    from transforms.html import parse_html
    from transforms.records import RawArticle

    article = parse_html(_read(path), path)
    return len(article.body) if isinstance(article, RawArticle) else 0


def time_pool(fn: Callable[[str], int], files: list[str], workers: int) -> float:
    """Seconds for a fresh `workers`-process pool (forked after the imports) to map fn over the files."""
    t0 = time.perf_counter()
    with get_context("fork").Pool(workers) as pool:
        pool.map(fn, files, chunksize=8)
    return time.perf_counter() - t0


def time_reference(pages: Path) -> Timed:
    t0 = time.perf_counter()
    proc = subprocess.run([str(PYTHON), str(REFERENCE), str(pages)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    lines = (proc.stdout.strip() or proc.stderr.strip()).splitlines()
    return Timed(seconds, proc.returncode, lines[-1] if lines else "")


def _newsetl_env(prefect_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_") and k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PREFECT_CLI_PROMPT="false")
    return env


def time_newsetl(pages: Path) -> Timed:
    with tempfile.TemporaryDirectory(prefix="bench_html_") as tmp:
        home = Path(tmp) / "prefect"
        home.mkdir()
        cmd = [str(NEWSETL), "run", "--input", str(pages), "--db", str(Path(tmp) / "bench.duckdb")]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_newsetl_env(home), cwd=tmp, check=False)
        seconds = time.perf_counter() - t0
    tail = " | ".join(proc.stderr.strip().splitlines()[-3:]) if proc.returncode else ""
    return Timed(seconds, proc.returncode, tail)


def _pair(first_is_reference: bool, reference: Callable[[], float], ours: Callable[[], float]) -> tuple[float, float]:
    if first_is_reference:
        ref = reference()
        return ref, ours()
    mine = ours()
    return reference(), mine


def _report(name: str, pairs: list[tuple[float, float]]) -> None:
    refs, ours = [p[0] for p in pairs], [p[1] for p in pairs]
    ratios = [r / o for r, o in pairs]
    print(f"{name}: reference best {min(refs):.1f} s, newsetl best {min(ours):.1f} s, "
          f"ratio of bests {min(refs) / min(ours):.2f}, median ratio {statistics.median(ratios):.2f}")


def bench_run(pages: Path, repeat: int) -> None:
    pairs = []
    for i in range(repeat):
        if i % 2 == 0:
            r = time_reference(pages)
            o = time_newsetl(pages)
        else:
            o = time_newsetl(pages)
            r = time_reference(pages)
        pairs.append((r.seconds, o.seconds))
        print(f"[run {i + 1}] reference {r.seconds:.1f} s ({r.note}); newsetl run {o.seconds:.1f} s "
              f"(exit {o.rc}{': ' + o.note if o.note else ''}); ratio {r.seconds / o.seconds:.2f}", flush=True)
    _report("whole process", pairs)


def bench_parse(files: list[str], repeat: int, workers: int) -> None:
    import trafilatura  # noqa: F401  (imported before the fork, as parse_html's modules are)

    import transforms.html  # noqa: F401

    pairs = []
    for i in range(repeat):
        pair = _pair(i % 2 == 1, lambda: time_pool(_trafilatura_one, files, workers),
                     lambda: time_pool(_newsetl_one, files, workers))
        pairs.append(pair)
        print(f"[parse {i + 1}] trafilatura bare_extraction {pair[0]:.1f} s; parse_html {pair[1]:.1f} s; "
              f"ratio {pair[0] / pair[1]:.2f}", flush=True)
    _report(f"parse only ({workers} processes)", pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="pool size for the parse-only pair")
    skip = ap.add_mutually_exclusive_group()
    skip.add_argument("--skip-run", action="store_true", help="parse-only pair only")
    skip.add_argument("--skip-parse", action="store_true", help="whole-process pair only")
    args = ap.parse_args()
    files = page_files(args.pages)
    print(f"pages {len(files)} in {args.pages}, repeat {args.repeat}, cpus {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    if not args.skip_parse:
        bench_parse(files, args.repeat, args.workers)
    if not args.skip_run:
        bench_run(args.pages, args.repeat)
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
