"""Bylines read as text with structure: names from 'By JANE DOE and John Smith, Staff Writer | 3 May 2021'.

A byline is cut at separators and conjunctions; roles, dates, times, "By"/"von"/"par", e-mail
addresses, handles, profile-link labels ('More Posts', 'Zeige alle Beiträge von') and comment
markers ('X says') are dropped, and only name-shaped pieces are kept, in order. Visible bylines are
found in common markup: rel=author, itemprop=author, class/id/data-testid containing byline/author.
Word lists: transforms/data/html_byline.json.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from transforms.text import clean_line

DATA = Path(__file__).with_name("data") / "html_byline.json"

_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bwith\b|\bavec\b|\bmit\b|\bpar\b|"
                    r"\bedited by\b|\bwritten by\b|\bby\b|·|•|/|\n)\s*", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*(?:(?:written|reported|posted|edited|text|words|story|photos?)\s+)?"
                     r"(?:by|par|por|von|di|door|av|af|de)\s*[:\-]?\s+", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_CLOCK_OR_NUMBER = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b\d+\b",
                              re.IGNORECASE)
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)
_GLUED_BY = re.compile(r"^((?i:by|von|par|por))(?=[A-ZÄÖÜ])")
_LINKS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|(?<!\w)@\w+|\(\s*\)|\[\s*\]")


@cache
def _rules() -> dict[str, Any]:
    rules: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return rules


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    r = _rules()
    months = _alternation(r["months"])
    return {
        "date": re.compile(rf"\b(?:\d{{1,2}}\.?\s+)?(?:{months})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\.?,?\s+)?\d{{4}}\b",
                           re.IGNORECASE),
        # Phrases end where they end: 'Veröffentlicht vonChris Jung' is glued by the layout.
        # or a lower-case letter before a capital ('karstenruppertMore Posts').
        "drop": re.compile(rf"(?:(?<!\w)|(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ]))(?i:{_alternation(r['drop_phrases'])})"),
        "roles": re.compile(rf"\b(?:{_alternation(r['roles'])})\b", re.IGNORECASE),
        "cut": re.compile(rf"\b(?:{_alternation(r['cut_after'])}).*$", re.IGNORECASE),
        "comment": re.compile(rf"\b(?:{_alternation(r['comment_words'])})\s*:?\s*$", re.IGNORECASE),
        "marks": re.compile(r["byline_marks"]),
        "glued_day": re.compile(rf"(?<=[^\W\d_])(?=\d{{1,2}}\.?\s*(?:{months})\b)|(?<=\d)(?=(?:{months})\b)",
                                re.IGNORECASE),
        "text_prefix": re.compile(rf"^(?:{_alternation(r['byline_prefixes'])})\s+(?=[^\W\d_])", re.IGNORECASE),
    }


@cache
def _not_name() -> frozenset[str]:
    r = _rules()
    return frozenset(w.casefold() for w in [*r["not_name"], *r["months"]])


@cache
def _date_words() -> frozenset[str]:
    r = _rules()
    return frozenset(w.casefold() for w in [*r["months"], *r["weekdays"]])


@cache
def _particles() -> frozenset[str]:
    return frozenset(w.casefold() for w in _rules()["name_particles"])


@cache
def _org_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in _rules()["org_words"])


def _txt(s: str) -> str:
    return clean_line(re.sub(r"\s+", " ", html_lib.unescape(s)))


def _name(part: str, strict: bool) -> str | None:
    """One piece of a byline -> a name, or None when it is not name-shaped (strict: for visible text,
    where phrases stand beside names; metadata may name 'Contributors to Wikimedia projects')."""
    part = _PREFIX.sub("", " " + part.strip() + " ").strip(" -–—:|,()[]")
    part = re.sub(r"^(?:by|par|por|von)\s+", "", part, flags=re.IGNORECASE).strip()
    if _DOMAIN.match(part):  # 'stol.it' names the site
        return None
    tokens = [t for t in _NAME_TOKEN.findall(part) if t.casefold().strip(".") not in _date_words()]
    if not tokens or len(tokens) > 5 or any(t.casefold() in _org_words() for t in tokens):
        return None
    if all(t.casefold().strip(".") in _not_name() for t in tokens):
        return None
    # A name has a capitalised word (in scripts with case) and is more than initials ('J J').
    cased = [t for t in tokens if t[0].lower() != t[0].upper()]
    if cased and len(cased) == len(tokens) and not any(t[0].isupper() for t in cased) and len(tokens) > 1:
        return None
    if all(len(t.strip(".")) <= 2 for t in tokens):
        return None
    # In a name of several words every lower-case word is a particle ('Ursula von der Leyen'):
    # 'Helsingborg nach Göteborg' and 'selbst ist der Mann' are phrases.
    if strict and len(tokens) > 1 and any(t[0].islower() and t.casefold() not in _particles() for t in tokens):
        return None
    name = " ".join(tokens)
    if name.isupper() and len(name) > 3:  # wire bylines in capitals: JOE HILDEBRAND -> Joe Hildebrand
        name = " ".join(t.capitalize() if len(t) > 2 else t for t in tokens)
    return name


def clean_author(raw: str, strict: bool = False) -> list[str]:
    """Names from one byline string: 'By JANE DOE and John Smith | Site' -> ['Jane Doe', 'John Smith'].
    strict (visible text): every lower-case word of a several-word name must be a particle."""
    s = _txt(raw)
    if not s or len(s) > 300:
        return []
    p = _patterns()
    if p["comment"].search(s):  # 'Art Edwards says:' heads a comment, not the story
        return []
    s = p["glued_day"].sub(" ", s)  # 'Nolan22 Dec' glued by the layout ('freeman1984' is a name)
    s = _GLUED_BY.sub(r"\1 ", s)  # 'ByAlex Bozarjian'
    s = _LINKS.sub(" ", s)
    s = p["cut"].sub(" ", s)
    s = p["date"].sub(" ", s)
    s = _CLOCK_OR_NUMBER.sub(" ", s)
    s = p["drop"].sub(" ", s)
    s = p["roles"].sub(" ", s)
    out: list[str] = []
    for part in _SPLIT.split(s):
        name = _name(part, strict)
        if name and name.casefold() not in {o.casefold() for o in out}:
            out.append(name)
    return out


def clean_authors(raws: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in raws:
        if re.match(r"^\s*https?://", raw):  # article:author is often a profile URL
            continue
        for name in clean_author(raw):
            if name.casefold() not in {o.casefold() for o in out}:
                out.append(name)
    return out


def _is_byline(el: lxml_html.HtmlElement) -> bool:
    marks = _patterns()["marks"]
    values = " ".join(el.get(a, "") for a in _rules()["byline_attributes"]).lower().split()
    return any(marks.match(v) for v in values)


def visible_byline(tree: lxml_html.HtmlElement) -> list[str]:
    """Names from rel=author links or byline/author-marked elements, when no metadata names any.
    Inside <article>/<main> first: sidebars list other stories' authors."""
    limit = _rules()["max_byline_chars"]
    scopes = [el for tag in ("article", "main") for el in tree.iter(tag)][:3] + [tree]
    for scope in scopes:
        for el in scope.iter("a"):
            if "author" in (el.get("rel") or "").lower().split():
                names = clean_author(el.text_content(), strict=True)
                if names:
                    return names
        for el in scope.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta", "link", "body", "html"):
                continue
            if _is_byline(el):
                text = _txt(el.text_content())
                if 0 < len(text) < limit:
                    names = clean_author(text, strict=True)
                    if names:
                        return names
    return []


def text_byline(tree: lxml_html.HtmlElement) -> list[str]:
    """Names from a short visible line that starts like a byline ('Von Andreas Kürten', 'Autor: ...'),
    inside <article>/<main> when the page has them. Only names of two or more words count: 'Von
    Berlin' is no byline."""
    rules, prefix = _rules(), _patterns()["text_prefix"]
    tags, limit = set(rules["text_byline_tags"]), rules["max_text_byline_chars"]
    scopes = [el for tag in ("article", "main") for el in tree.iter(tag)][:3] or [tree]
    for scope in scopes:
        for el in scope.iter(*tags):
            text = _txt(el.text_content())
            if not text or len(text) > limit or not prefix.match(text):
                continue
            names = [n for n in clean_author(text, strict=True) if len(n.split()) >= 2]
            if names:
                return names
    return []
