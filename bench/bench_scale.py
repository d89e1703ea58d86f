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
class Layout:
    hosts: int
    per_host: int
    nlp_seconds: float = 0.0
    run_seconds: float = 0.0
    stages: dict[str, float] | None = None

    @property
    def workers(self) -> int:
        return self.hosts * self.per_host


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
    from distributed import Client, wait

    from flows.pipeline import _balance
    from flows.settings import Settings
    from flows.steps import StepConfig, annotate_articles

    cfg = StepConfig.from_settings(Settings())
    pieces = _balance(articles, 4 * workers)  # type: ignore[arg-type]
    with Client(address, timeout=30, set_as_default=False) as client:
        warm = client.map(annotate_articles, [pieces[0][:1]] * workers, [cfg] * workers, pure=False)
        wait(warm)  # every worker has run spaCy once
        t0 = time.perf_counter()
        futures = client.map(annotate_articles, pieces, [cfg] * len(pieces), pure=False)
        done = sum(len(f.result()) for f in futures)
        seconds = time.perf_counter() - t0
    assert done == len(articles), (done, len(articles))
    return seconds


def whole_run(inputs: Path, db: Path, home: Path, api: str, address: str | None) -> tuple[float, dict[str, float]]:
    extra = {"NEWSETL_DASK_ADDRESS": address} if address else {}
    env = process_env(home, api, NEWSETL_REPORT_AFTER_RUN="false", **extra)
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--db", str(db)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"newsetl run failed: {res.stderr[-2000:]}")
    line = next((x for x in res.stdout.splitlines() if x.startswith("stages: ")), "")
    stages = {m[1]: float(m[2]) for m in re.finditer(r"([a-z ()]+?) ([\d.]+)s", line.removeprefix("stages: "))}
    return seconds, {k.strip(", "): v for k, v in stages.items()}


def measure(layout: Layout, net: HostNetwork, inputs: Path, articles: list[object], home: Path, api: str,
            tmp: Path) -> None:
    sub = HostNetwork(layout.hosts)
    sub.hosts, sub.gateway, sub.isolated = net.hosts[:layout.hosts], net.gateway, net.isolated
    logs = tmp / f"logs-{layout.hosts}x{layout.per_host}"
    with DaskCluster(sub, layout.per_host, logs, process_env(home, api)) as c:
        layout.nlp_seconds = nlp_rate(c.address, articles, layout.workers)
        layout.run_seconds, layout.stages = whole_run(inputs, tmp / f"run-{layout.hosts}x{layout.per_host}.duckdb",
                                                      home, api, c.address)


def report(layouts: list[Layout], n: int, local: tuple[float, dict[str, float]], net: HostNetwork) -> None:
    cores = os.cpu_count() or 1
    print(f"\nsample: {n} BBC articles; hosts: {net.describe()}; {cores} CPU cores on this machine\n")
    base = layouts[0]
    print(f"{'layout':<22}{'workers':>8}{'NLP s':>8}{'NLP art/s':>11}{'x 1x1':>7}{'run s':>8}{'run art/s':>11}"
          f"{'x 1x1':>7}")
    for lay in layouts:
        print(f"{lay.hosts} host(s) x {lay.per_host} worker(s){lay.workers:>6}{lay.nlp_seconds:>8.1f}"
              f"{n / lay.nlp_seconds:>11.1f}{base.nlp_seconds / lay.nlp_seconds:>7.2f}{lay.run_seconds:>8.1f}"
              f"{n / lay.run_seconds:>11.1f}{base.run_seconds / lay.run_seconds:>7.2f}")
    print(f"{'local pool (no Dask)':<22}{cores:>8}{'':>8}{'':>11}{'':>7}{local[0]:>8.1f}{n / local[0]:>11.1f}"
          f"{base.run_seconds / local[0]:>7.2f}")
    for lay in layouts:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in (lay.stages or {}).items())
        print(f"  stages {lay.hosts}x{lay.per_host}: " + stages)

    per_worker = n / base.nlp_seconds  # one worker-core, alone on the machine
    serial = sum((base.stages or {}).get(s, 0.0) for s in SERIAL_STAGES) / n
    core_hours = DAY_ARTICLES / per_worker / 3600
    print(f"\nprojection for {DAY_ARTICLES:,} articles/day (from the 1x1 layout: {per_worker:.1f} articles/s per "
          f"worker-core for NLP; flow-process stages {serial * 1000:.1f} ms/article on this {n}-article run):")
    print(f"  NLP: {core_hours:.2f} worker-core-hours per day")
    for k in (1, 2, 4, 8, 16):
        print(f"  {k:>2} worker-cores: NLP {core_hours / k:5.2f} h/day wall (if they scale linearly)")
    print(f"  flow process (dedup, staging, GX, publish): {DAY_ARTICLES * serial / 3600:.2f} h/day at this run's "
          "per-article cost, on one host whatever the workers")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-category", type=int, default=60, help="BBC files per category (5 categories)")
    ap.add_argument("--no-netns", action="store_true", help="loopback addresses instead of network namespaces")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as t, HostNetwork(2, netns=not args.no_netns) as net:
        tmp = Path(t)
        inputs = sample(tmp / "inputs", args.per_category)
        articles = parsed_articles(inputs)
        home = tmp / "prefect-home"
        home.mkdir()
        with prefect_server(home, net.gateway, tmp / "server.log") as api:
            local = whole_run(inputs, tmp / "local.duckdb", home, api, None)
            layouts = [Layout(1, 1), Layout(1, 2), Layout(2, 1), Layout(2, 2)]
            for lay in layouts:
                measure(lay, net, inputs, articles, home, api, tmp)
                print(f"measured {lay.hosts}x{lay.per_host}: NLP {lay.nlp_seconds:.1f}s, run {lay.run_seconds:.1f}s",
                      flush=True)
        report(layouts, len(articles), local, net)


if __name__ == "__main__":
    main()
