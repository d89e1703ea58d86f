"""The crawl against its politeness bound: hosts on loopback, each serving a feed of article pages.

For each host, politeness alone needs (requests - 1) x delay seconds (robots.txt, the feed, the pages); the
slowest host sets the bound for a crawl whose hosts run in parallel, and the sum over hosts is what a crawl
that visits hosts one after another would need. Printed side by side, measured in one run:
  bound (slowest host), sum over hosts, the crawl's wall time, and wall / bound.

  .venv/bin/python bench/bench_fetch.py [--hosts 6] [--pages 8] [--delay 0.5] [--latency 0.02] [--repeat 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.fetch import Crawl, FetchPolicy  # noqa: E402
from flows.settings import Settings  # noqa: E402
from flows.sources import WebSource  # noqa: E402
from tests.websites import Response, Site, WebServer, politeness_report  # noqa: E402
from transforms.web import PriorWeb  # noqa: E402

BBC = ROOT.parent / "shared" / "corpus" / "bbc"


def _page(text: str) -> bytes:
    title, _, rest = text.partition("\n")
    paras = "".join(f"<p>{p}</p>" for p in rest.split("\n") if p.strip())
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paras}</article></body></html>" \
        .encode()


def _sites(hosts: int, pages: int, latency: float) -> list[Site]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(BBC.glob("business/*.txt"))]
    sites = []
    for h in range(hosts):
        site = Site(f"127.0.1.{h + 1}", {"/robots.txt": Response(200, {"Content-Type": "text/plain"},
                                                                 b"User-agent: *\nDisallow:\n")})
        items = ""
        for i in range(pages):
            path = f"/news/{i}"
            site.routes[path] = Response(200, {"Content-Type": "text/html; charset=utf-8"},
                                         _page(texts[(h * pages + i) % len(texts)]), delay_s=latency)
            items += f"<item><title>{i}</title><link>{site.url(path)}</link></item>"
        site.routes["/feed.xml"] = Response(200, {"Content-Type": "application/rss+xml"},
                                            f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
                                            .encode())
        sites.append(site)
    return sites


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=6)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--delay", type=float, default=0.5)
    ap.add_argument("--latency", type=float, default=0.02, help="server think time per page")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    settings = Settings(allow_private_hosts="127.0.0.0/8", host_delay_s=args.delay, keep_archive=False)
    requests = args.pages + 2  # robots.txt + feed + pages
    bound = (requests - 1) * args.delay
    print(f"hosts={args.hosts} pages/host={args.pages} delay={args.delay}s: politeness bound {bound:.2f}s "
          f"(slowest host), one host after another {args.hosts * bound:.2f}s")
    for rep in range(args.repeat):
        sites = _sites(args.hosts, args.pages, args.latency)
        with WebServer(sites) as server, tempfile.TemporaryDirectory() as tmp:
            crawl = Crawl(FetchPolicy.from_settings(settings), PriorWeb(), Path(tmp), "bench", None)
            t0 = time.monotonic()
            result = crawl.run([WebSource(s.url("/feed.xml"), s.address, "feed") for s in sites])
            wall = time.monotonic() - t0
            log = server.log
        gaps = [politeness_report(log, s.address) for s in sites]
        print(f"run {rep + 1}: wall {wall:.2f}s = {wall / bound:.3f}x the bound, "
              f"{args.hosts * bound / wall:.2f}x faster than host after host; pages {len(result.pages)}, "
              f"requests {result.requests}; min gap {min(g for g, _ in gaps):.3f}s, "
              f"max concurrent per host {max(c for _, c in gaps)}")


if __name__ == "__main__":
    main()
