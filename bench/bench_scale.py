"""Scaling on a Dask cluster of separate processes on (simulated) hosts, side by side in one run.

For each layout (1 or 2 hosts, 1 or 2 `dask worker` processes per host; hosts are network namespaces on a
bridge, see tests/dask_hosts.py, or loopback addresses when namespaces cannot be made):

1. **NLP rate**: the BBC sample, parsed once in this process, cut into 4 pieces per worker and sent to the
   cluster as `flows.steps.annotate_articles` calls (what the flow's extract tasks run): articles/s over the
   NLP stage alone, workers warm (model loaded at start by `--preload flows.workers`);
2. **whole run**: `newsetl run` on the same files into a fresh database with NEWSETL_DASK_ADDRESS set
   (discover, parse and extract on the cluster; dedup, staging, validation and publish in the flow process).

Then a projection for one day of GDELT-scale news (100k articles) from the measured per-worker NLP rate and
the measured per-article cost of the flow-process stages. Every worker-core shares this machine's cores:
with 2 cores, 4 workers cannot beat 2, and "2 hosts" are two namespaces on the same 2 cores.

Run: `.venv/bin/python bench/bench_scale.py [--per-category 60]` (as root for namespaces; ~6 minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.dask_hosts import DaskCluster, HostNetwork, prefect_server, process_env  # noqa: E402

BBC = ROOT.parent / "shared" / "corpus" / "bbc"
DAY_ARTICLES = 100_000
# Flow-process stages: they run once per run on the flow's host, whatever the number of workers.
SERIAL_STAGES = ("dedup", "stage", "validate", "publish")


@dataclass
class Run:
    seconds: float  # wall time of the `newsetl run` process, start-up included
    stages: dict[str, float]  # the run's stage_seconds, as recorded in its `runs` row
    articles: int  # articles the run loaded (exact and near duplicates of the sample are not loaded)


@dataclass
class Layout:
    hosts: int
    per_host: int
    nlp_seconds: float = 0.0
    run: Run | None = None

    @property
    def workers(self) -> int:
        return self.hosts * self.per_host

    @property
    def name(self) -> str:
        return f"{self.hosts}x{self.per_host}"


def sample(folder: Path, per_category: int) -> Path:
    for cat in sorted(p for p in BBC.iterdir() if p.is_dir()):
        (folder / cat.name).mkdir(parents=True)
        for src in sorted(cat.glob("*.txt"))[:per_category]:
            shutil.copy2(src, folder / cat.name / src.name)
    return folder


def parsed_articles(inputs: Path) -> list[object]:
    from flows.settings import Settings
    from flows.sources import discover
    from flows.steps import StepConfig, parse_files

    files, _ = discover([inputs])
    cfg = StepConfig.from_settings(Settings())
    return [a for o in parse_files(files, cfg, {}) for a in o.articles]


def nlp_rate(address: str, articles: list[object], workers: int) -> float:
    """Seconds for the cluster to annotate every article (4 pieces per worker, longest texts spread first)."""
    from distributed import Client

    from flows.pipeline import _balance
    from flows.settings import Settings
    from flows.steps import StepConfig, annotate_articles

    cfg = StepConfig.from_settings(Settings())
    pieces = _balance(articles, 4 * workers)  # type: ignore[arg-type]
    with Client(address, timeout=30, set_as_default=False) as client:
        # Every worker runs spaCy once on one article (client.run: on each worker, not wherever the scheduler
        # puts a task; this client is not the default one, so distributed.wait() would not find it).
        warmed = client.run(annotate_articles, pieces[0][:1], cfg)
        assert len(warmed) == workers, (sorted(warmed), workers)
        t0 = time.perf_counter()
        futures = client.map(annotate_articles, pieces, [cfg] * len(pieces), pure=False)
        done = sum(len(f.result()) for f in futures)
        seconds = time.perf_counter() - t0
    assert done == len(articles), (done, len(articles))
    return seconds


def whole_run(inputs: Path, db: Path, home: Path, api: str, address: str | None, workers: int | None) -> Run:
    """`newsetl run` on the sample into a fresh database; on Dask with NEWSETL_WORKERS = the cluster's workers,
    so the flow cuts its chunks into 4 NLP pieces per Dask worker (by default it counts this host's cores)."""
    extra = {"NEWSETL_DASK_ADDRESS": address} if address else {}
    if workers:
        extra["NEWSETL_WORKERS"] = str(workers)
    env = process_env(home, api, NEWSETL_REPORT_AFTER_RUN="false", **extra)
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--db", str(db)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"newsetl run failed ({res.returncode}): {res.stderr[-2000:]}")
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT stage_seconds, articles_loaded FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
    assert row is not None, f"no runs row in {db}"
    stages = {k: float(v) for k, v in json.loads(row[0] or "{}").items()}
    # The runs row is staged before publish, so publish's seconds come from the printed summary (0.1 s steps).
    line = next((x for x in res.stdout.splitlines() if x.startswith("stages: ")), "")
    publish = re.search(r"\bpublish ([\d.]+)s", line)
    if publish:
        stages["publish"] = float(publish[1])
    return Run(seconds, stages, int(row[1]))


def measure(layout: Layout, net: HostNetwork, inputs: Path, articles: list[object], home: Path, api: str,
            tmp: Path) -> None:
    sub = HostNetwork(layout.hosts)  # never entered: the first `hosts` hosts of `net`, which owns them
    sub.hosts, sub.gateway, sub.isolated = net.hosts[:layout.hosts], net.gateway, net.isolated
    with DaskCluster(sub, layout.per_host, tmp / f"logs-{layout.name}", process_env(home, api)) as c:
        layout.nlp_seconds = nlp_rate(c.address, articles, layout.workers)
        layout.run = whole_run(inputs, tmp / f"run-{layout.name}.duckdb", home, api, c.address, layout.workers)


def serial_seconds(run: Run) -> float:
    """Seconds of the run's flow-process stages (they run once, on the flow's host, whatever the workers)."""
    return sum(run.stages.get(s, 0.0) for s in SERIAL_STAGES)


def label(lay: Layout) -> str:
    return f"{lay.hosts} host{'s' * (lay.hosts > 1)} x {lay.per_host} worker{'s' * (lay.per_host > 1)}"


def print_table(layouts: list[Layout], n: int, local: Run) -> None:
    base = layouts[0]
    assert base.run is not None
    print(f"{'layout':<24}{'workers':>8}{'NLP s':>8}{'NLP art/s':>10}{'/worker':>9}{'x 1x1':>7}"
          f"{'run s':>8}{'run art/s':>10}{'x 1x1':>7}{'serial s':>9}")
    for lay in layouts:
        assert lay.run is not None
        rate = n / lay.nlp_seconds
        print(f"{label(lay):<24}{lay.workers:>8}{lay.nlp_seconds:>8.1f}{rate:>10.1f}"
              f"{rate / lay.workers:>9.1f}{base.nlp_seconds / lay.nlp_seconds:>7.2f}{lay.run.seconds:>8.1f}"
              f"{lay.run.articles / lay.run.seconds:>10.1f}{base.run.seconds / lay.run.seconds:>7.2f}"
              f"{serial_seconds(lay.run):>9.2f}")
    print(f"{'local pool (no Dask)':<24}{os.cpu_count() or 1:>8}{'':>8}{'':>10}{'':>9}{'':>7}{local.seconds:>8.1f}"
          f"{local.articles / local.seconds:>10.1f}{base.run.seconds / local.seconds:>7.2f}"
          f"{serial_seconds(local):>9.2f}")
    print("\nstage seconds of each whole run (flow process; '(wait)' = waiting for the workers):")
    for name, run in [*((lay.name, lay.run) for lay in layouts), ("local", local)]:
        assert run is not None
        print(f"  {name:<6} " + ", ".join(f"{k} {v:.2f}" for k, v in run.stages.items()))


def print_projection(layouts: list[Layout], n: int, local: Run) -> None:
    rates = {lay.name: n / lay.nlp_seconds / lay.workers for lay in layouts}
    base = layouts[0].run
    assert base is not None
    print(f"\nprojection for {DAY_ARTICLES:,} articles/day (NLP stage; per-worker rate measured above):")
    for name in ("1x1", "1x2"):
        if name not in rates:
            continue
        hours = DAY_ARTICLES / rates[name] / 3600
        need = ", ".join(f"{math.ceil(hours / h)} in {h} h" for h in (24, 8, 4, 1))
        print(f"  at {rates[name]:.1f} art/s/worker ({name}): {hours:.1f} worker-hours/day; workers needed: {need}")
    print(f"flow-process stages ({', '.join(SERIAL_STAGES)}), one writer per warehouse, whatever the workers:")
    for name, run in (("1x1", base), ("local", local)):
        per = serial_seconds(run) / run.articles
        print(f"  {name}: {per * 1000:.1f} ms/article on {run.articles} articles -> "
              f"{DAY_ARTICLES * per / 3600:.2f} h/day at that cost (publish also rebuilds the search index over the "
              "whole warehouse: grows with its size, not the run's)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-category", type=int, default=60, help="BBC files per category (5 categories)")
    ap.add_argument("--no-netns", action="store_true", help="loopback addresses instead of network namespaces")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as t, HostNetwork(2, netns=not args.no_netns) as net:
        print(f"hosts: {net.describe()}", flush=True)
        tmp = Path(t)
        inputs = sample(tmp / "inputs", args.per_category)
        articles = parsed_articles(inputs)
        home = tmp / "prefect-home"
        home.mkdir()
        with prefect_server(home, net.gateway, tmp / "server.log") as api:
            local = whole_run(inputs, tmp / "local.duckdb", home, api, None, None)
            print(f"measured local: run {local.seconds:.1f}s", flush=True)
            layouts = [Layout(1, 1), Layout(1, 2), Layout(2, 1), Layout(2, 2)]
            for lay in layouts:
                measure(lay, net, inputs, articles, home, api, tmp)
                assert lay.run is not None
                print(f"measured {lay.name}: NLP {lay.nlp_seconds:.1f}s, run {lay.run.seconds:.1f}s", flush=True)
        hosts = net.describe()  # before the network is torn down
    print(f"\nsample: {len(articles)} BBC articles parsed ({args.per_category} files per category); hosts: {hosts}; "
          f"{os.cpu_count() or 1} CPU cores on this machine, shared by every host and worker\n")
    print_table(layouts, len(articles), local)
    print_projection(layouts, len(articles), local)


if __name__ == "__main__":
    main()
