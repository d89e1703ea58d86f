"""Reader for the plain-text article layout (`.txt`).

Layout: the first non-empty line is the title; then paragraphs separated by blank lines; an optional
trailing line `Original Source: <domain or URL>` names the source and is not part of the body.
"""

from __future__ import annotations

import re

from transforms.feeds import title_from_body
from transforms.records import RawArticle
from transforms.text import normalise_block, paragraphs
from transforms.urls import domain_of

_SOURCE_LINE = re.compile(r"^\s*(?:original\s+)?source\s*:\s*(\S+)\s*$", re.IGNORECASE)


def parse_plaintext(text: str, source_path: str) -> RawArticle | None:
    """Parse the .txt layout; None when the file has no text line at all."""
    text = normalise_block(text)
    lines = text.split("\n")
    # Trailing source line (possibly followed by blank lines, already stripped by normalise_block).
    source: str | None = None
    if lines and (m := _SOURCE_LINE.match(lines[-1])):
        source = m.group(1)
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    title = lines[0].strip()
    paras = paragraphs("\n".join(lines[1:]))
    flags: list[str] = []
    if not paras:
        # One line only (a sentence or a lead saved on its own): it is the body, and a stand-in title is
        # made from it, as for feed entries and JSON Lines records without a title.
        paras = [title]
        title = title_from_body(title)
        flags.append("title_from_body")
    # Inside a block, single newlines separate paragraphs too (the sample article does this);
    # keep them as paragraph breaks in the body.
    body_paras: list[str] = []
    for block in paras:
        body_paras.extend(line for line in block.split("\n") if line.strip())
    body = "\n\n".join(body_paras)
    summary = paras[0].split("\n")[0]
    url = source if source and "/" in source.split("://")[-1] else None
    return RawArticle(
        source_path=source_path,
        title=title,
        body=body,
        summary=summary,
        url=url if url and "://" in url else (f"https://{url}" if url else None),
        source_domain=domain_of(source) if source else None,
        flags=flags,
    )
