"""`newsetl extract`: the flow's parse, clean and extraction steps on files, JSON Lines to stdout, no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from flows.settings import Settings
from flows.sources import discover
from flows.steps import StepConfig, annotate_articles, parse_files

_OUTPUT_KEYS = ("source_path", "source_id", "article_id", "title", "summary", "body", "text", "url",
                "source_domain", "authors", "published_at", "language", "entities", "figures")


def extract_paths(paths: list[Path], settings: Settings, out: TextIO, err: TextIO, batch: int = 200) -> int:
    files, refused = discover(paths)
    for rej in refused:
        print(f"{rej.source_path}: {rej.reason}: {rej.detail}", file=err)
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
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return 0
