"""`newsetl extract`: the flow's fetch, parse, clean and extraction steps on files, folders or URLs, JSON Lines to
stdout, no database."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TextIO

from flows.settings import Settings
from flows.sources import InputFile, WebSource, discover
from flows.steps import StepConfig, annotate_articles, parse_files
from transforms.urls import domain_of
from transforms.web import Outcome, PriorWeb, scheme_ok

_OUTPUT_KEYS = ("source_path", "source_id", "article_id", "title", "summary", "body", "text", "url",
                "source_domain", "authors", "published_at", "language", "entities", "figures")


def extract_paths(paths: list[str], settings: Settings, out: TextIO, err: TextIO, batch: int = 200,
                  explain: bool = False) -> int:
    """Extract `paths` to JSON Lines on `out`. With `explain` each record also has "figure_rules": every number
    candidate of the text with whether it was kept as a figure or the name of the rule that dropped it."""
    urls = [p for p in paths if "://" in p]
    files, refused = discover([Path(p) for p in paths if "://" not in p])
    for rej in refused:
        print(f"{rej.source_path}: {rej.reason}: {rej.detail}", file=err)
    with tempfile.TemporaryDirectory(prefix="newsetl-extract-") as spool:
        if urls:
            files += _fetch(urls, settings, Path(spool), err)
        _extract_files(files, settings, out, err, batch, explain)
    return 0


def _fetch(urls: list[str], settings: Settings, spool: Path, err: TextIO) -> list[InputFile]:
    """Fetch URLs politely (robots, delays, safety checks), without reading or writing any warehouse state."""
    from flows.fetch import Crawl, FetchPolicy

    sources = []
    for url in urls:
        if not scheme_ok(url):
            print(f"{url}: unsupported_scheme: only http(s) URLs are fetched", file=err)
            continue
        sources.append(WebSource(url, domain_of(url) or url))
    result = Crawl(FetchPolicy.from_settings(settings), PriorWeb(), spool, "extract", None).run(sources)
    for row in result.rows:
        if row["outcome"] in (Outcome.FAILED.value, Outcome.SKIPPED.value):
            print(f"{row['url']}: {row['reason']}: {row['detail'] or ''}", file=err)
    return [p.file for p in result.pages]


def _extract_files(files: list[InputFile], settings: Settings, out: TextIO, err: TextIO, batch: int,
                   explain: bool = False) -> None:
    cfg = StepConfig.from_settings(settings)
    for i in range(0, len(files), batch):
        outcomes = parse_files(files[i:i + batch], cfg, with_signatures=False)
        articles = [a for o in outcomes for a in o.articles]
        for o in outcomes:
            for rej in o.rejections:
                print(f"{rej.source_path}: {rej.reason}: {rej.detail}", file=err)
        for art in annotate_articles(articles, cfg):
            d = art.to_json()
            record = {k: d[k] for k in _OUTPUT_KEYS}
            record["flags"] = d["flags"]
            if explain:
                record["figure_rules"] = _figure_rules(art.text[: cfg.max_nlp_chars])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()


def _figure_rules(text: str) -> list[dict[str, object]]:
    """Each number candidate of `text` (the text figures are read from) with the rule that kept or dropped it."""
    from transforms.figures import explain_figures

    return [
        {"start": d.start, "end": d.end, "number": d.surface, "kept": d.kept, "rule": d.rule,
         "figure": d.figure.surface if d.figure else None, "stages": list(d.stages)}
        for d in explain_figures(text)
    ]
