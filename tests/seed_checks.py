"""Checks of one article against ../shared/gold/seed_expected.json, shared by the extract and warehouse tests."""

from __future__ import annotations

from typing import Any


def check_article(art: dict[str, Any], exp: dict[str, Any]) -> list[str]:
    """`art` in the `newsetl extract` shape. Returns a list of problems (empty = all expectations hold)."""
    problems: list[str] = []
    if art["title"] != exp["title"]:
        problems.append(f"title {art['title']!r}")
    if art["source_domain"] != exp["source_domain"]:
        problems.append(f"source_domain {art['source_domain']!r}")
    if not (art.get("summary") or "").startswith(exp["summary_starts_with"]):
        problems.append(f"summary {art.get('summary')!r}")
    for bad in exp["body_must_not_contain"]:
        if bad in art["body"]:
            problems.append(f"body contains {bad!r}")
    by_name = {e["name"]: e for e in art["entities"]}
    for etype, names in exp["entities"].items():
        for name in names:
            ent = by_name.get(name)
            if ent is None:
                problems.append(f"missing entity {name!r}")
            elif ent["type"] != etype:
                problems.append(f"{name!r} typed {ent['type']}, expected {etype}")
    for name, aliases in exp["aliases"].items():
        ent = by_name.get(name)
        surfaces = {m["text"] for m in ent["mentions"]} if ent else set()
        for alias in aliases:
            if alias in by_name:
                problems.append(f"alias {alias!r} is a separate entity")
            if alias not in surfaces:
                problems.append(f"alias {alias!r} not among the mentions of {name!r}")
    for bad in exp["must_not_be_entities"]:
        if bad in by_name or any(m["text"] == bad for e in art["entities"] for m in e["mentions"]):
            problems.append(f"bogus entity {bad!r}")
    for bad in exp["must_not_be_persons"]:
        if by_name.get(bad, {}).get("type") == "person":
            problems.append(f"{bad!r} typed person")
    for m in (m for e in art["entities"] for m in e["mentions"]):
        if art["text"][m["start"]:m["end"]] != m["text"]:
            problems.append(f"mention offsets wrong for {m}")
    for fexp in exp["figures"]:
        found = [f for f in art["figures"] if f["value"] == fexp["value"]]
        if not found:
            problems.append(f"missing figure {fexp['value']}")
            continue
        f = found[0]
        for k in ("qualifier", "category", "object"):
            if f[k] != fexp[k]:
                problems.append(f"figure {fexp['value']} {k}={f[k]!r}, expected {fexp[k]!r}")
        if fexp["surface"] not in art["text"][max(0, f["start"] - 10):f["end"] + 10]:
            problems.append(f"figure surface {f['surface']!r}")
    for phrase in exp["not_figures"]:
        start = art["text"].find(phrase)
        if start < 0:  # a phrase that is not there proves nothing about figures
            problems.append(f"not_figures phrase {phrase!r} is not in the text")
            continue
        if any(start <= f["start"] < start + len(phrase) for f in art["figures"]):
            problems.append(f"{phrase!r} yielded a figure")
    return problems
