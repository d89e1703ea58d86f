"""Golden output of `extract_figures` on every text we have, to prove a refactor changes nothing.

Inputs: the seeds, the BBC corpus, the readability pages' extracted text (parsed once and cached, so that a
change elsewhere in the HTML path cannot move the figures' input), the shared gold sentences and the project's
news sentences. Output: one JSON line per text with all its figures. Usage:
    python bench/figures_golden.py OUT.jsonl [--texts /tmp/figures_golden_texts.jsonl]
Run it before and after a change and diff the two files; an empty diff means byte-identical figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.figures import extract_figures  # noqa: E402

SHARED = ROOT.parent / "shared"


def _gold_texts() -> Iterator[tuple[str, str]]:
    files = sorted((SHARED / "gold").glob("*.jsonl")) + [ROOT / "tests" / "data" / f"news_{n}.jsonl" for n in
                                                         ("figures", "units")]
    for path in files:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                yield f"{path.name}#{i}", json.loads(line)["text"]


def _raw_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "seeds").iterdir()) + sorted((SHARED / "seeds").glob("*.txt")):
        if path.is_file():
            yield f"seeds/{path.name}", path.read_bytes().decode("utf-8", errors="replace")
    for path in sorted((SHARED / "corpus" / "bbc").glob("*/*.txt")):
        yield f"bbc/{path.parent.name}/{path.name}", path.read_bytes().decode("utf-8", errors="replace")


def _page_texts() -> Iterator[tuple[str, str]]:
    from transforms.html import parse_html
    from transforms.records import RawArticle

    pages = sorted((SHARED / "corpus" / "readability").glob("*/source.html")) + sorted(
        (ROOT / "seeds").glob("*.htm*")
    )
    for path in pages:
        art = parse_html(path.read_bytes(), str(path))
        if isinstance(art, RawArticle):
            yield f"page/{path.parent.name}/{path.name}", art.title + "\n\n" + art.body


def texts(cache: Path) -> list[tuple[str, str]]:
    """All (name, text) inputs; the parsed pages come from `cache` once it exists."""
    if not cache.exists():
        rows = list(_page_texts())
        cache.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    pages = [tuple(json.loads(line)) for line in cache.read_text(encoding="utf-8").splitlines()]
    return [*_raw_texts(), *((str(a), str(b)) for a, b in pages), *_gold_texts()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--texts", type=Path, default=Path("/tmp/figures_golden_texts.jsonl"))
    args = ap.parse_args()
    n_figs = 0
    with args.out.open("w", encoding="utf-8") as out:
        for name, text in texts(args.texts):
            figs = [dataclasses.asdict(f) for f in extract_figures(text)]
            n_figs += len(figs)
            out.write(json.dumps({"text": name, "figures": figs}, ensure_ascii=False) + "\n")
    print(f"{n_figs} figures written to {args.out}")


if __name__ == "__main__":
    main()
