"""The headline of a saved web page, chosen among its candidates by agreement, not by a fixed order.

Candidates: visible headlines (<h1> and headline-marked elements, those inside the article container
first), the machine titles (JSON-LD headline, og:title, twitter:title, dc:title) and the browser-tab
<title>. Site and section names are stripped from the edges of the machine and tab titles when they
match og:site_name, the publisher, the domain or a visible site banner. A visible headline that another
source confirms wins (it is what the reader sees); without confirmation the machine titles vote.
Rules and word lists: transforms/data/html_title.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from transforms.text import clean_line

DATA = Path(__file__).with_name("data") / "html_title.json"


@dataclass(slots=True)
class Headline:
    text: str
    in_article: bool  # inside <article>/<main>
    in_chrome: bool  # inside nav/footer/aside, or a page header outside the article


@dataclass(slots=True)
class TitleSources:
    visible: list[Headline] = field(default_factory=list)
    machine: list[str] = field(default_factory=list)  # JSON-LD headline, og:title, twitter:title, dc:title
    tab: str | None = None  # <title>
    site_names: list[str] = field(default_factory=list)  # og:site_name, publisher, domain


@cache
def _rules() -> dict[str, Any]:
    rules: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return rules


@cache
def _separator() -> re.Pattern[str]:
    """Pieces of a title: '|', '–', '»' ... with any spacing; '-', '/', ':' and the like only with a space
    after them (and before, except ':'), so 'Corona-Pandemie' and 'Halle/Saale' stay whole."""
    seps = sorted(_rules()["separators"], key=len, reverse=True)
    loose = [re.escape(s) for s in seps if not re.fullmatch(r"[-/:~]", s)]
    return re.compile(rf"\s*(?:{'|'.join(loose)})\s*|\s+[-/~]\s+|\s*:\s+")


def _txt(s: str) -> str:
    return clean_line(re.sub(r"\s+", " ", s))


def key(s: str) -> str:
    """Comparison key: casefolded words only, one space apart."""
    return " ".join(re.findall(r"\w+", s.replace("\u00ad", "").casefold()))


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _compact(s: str) -> str:
    """'Nalas Löwenseiten' and 'nalas-loewenseiten.info' compare alike."""
    return re.sub(r"\W+|_", "", s.replace("\u00ad", "").casefold().translate(_FOLD))


def pieces(title: str) -> tuple[list[str], list[str]]:
    """'A | B - C' -> (['A', 'B', 'C'], [' | ', ' - ']): the pieces and the separators between them."""
    sep = _separator()
    parts = sep.split(title)
    return [p.strip() for p in parts], sep.findall(title)


def _join(parts: list[str], seps: list[str], i: int, j: int) -> str:
    out = parts[i]
    for k in range(i + 1, j):
        out += seps[k - 1] + parts[k]
    return out.strip()


def site_keys(names: list[str]) -> set[str]:
    """Compact keys for a site: 'The Estuary Post', 'lebensmittelpraxis.de' and its bare label."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        out.add(_compact(name))
        if "." in name and " " not in name.strip():
            labels = name.strip().lower().removeprefix("www.").split(".")
            if len(labels) >= 2:
                out.add(_compact(labels[-2] if len(labels[-2]) > 3 or len(labels) < 3 else labels[-3]))
    return {k for k in out if len(k) >= 3}


def is_site(piece: str, keys: set[str], loose: bool = False) -> bool:
    """The piece names the site: equal to a site key, a repetition of one, or part of one ('BLINKER').
    loose (for authors): also the site key with up to 3 more letters ('OÖ Volksblatt')."""
    c = _compact(piece)
    if len(c) < 2:
        return False
    for k in keys:
        if c == k or (len(c) % len(k) == 0 and c == k * (len(c) // len(k))):
            return True
        if len(c) >= 4 and k.startswith(c) and k[len(c):] in _rules()["site_suffixes"]:  # 'BLINKER', blinker.de
            return True
        if c.startswith(k) and c[len(k):] in _rules()["site_suffixes"]:
            return True
        if loose and len(k) >= 6 and len(c) - len(k) <= 3 and (c.startswith(k) or c.endswith(k)):  # 'OÖ Volksblatt'
            return True
    return False


def strip_site(title: str, keys: set[str]) -> str:
    """Drop site-name pieces from both ends of a title ('Headline | Section | Site' keeps 'Headline |
    Section' unless the section too names the site). Nothing is dropped when nothing would remain."""
    title = _txt(title)
    parts, seps = pieces(title)
    i, j = 0, len(parts)
    while j - i > 1 and is_site(parts[j - 1], keys):
        j -= 1
    while j - i > 1 and is_site(parts[i], keys):
        i += 1
    return _join(parts, seps, i, j) if (i, j) != (0, len(parts)) else title


def _leading_span(h: str, title: str) -> bool:
    """h is the first piece(s) of title: 'Headline' of 'Headline | Site'."""
    parts, seps = pieces(title)
    return any(key(_join(parts, seps, 0, j)) == key(h) for j in range(1, len(parts)))


def _trailing_span(h: str, title: str) -> bool:
    """h is only the last piece(s) of title: the site banner 'Site' of 'Headline | Site'."""
    parts, seps = pieces(title)
    return any(key(_join(parts, seps, i, len(parts))) == key(h) for i in range(1, len(parts)))


def _confirmed(h: str, title: str) -> str | None:
    """What of the headline h a title confirms: h itself when it is the title or its leading piece(s)
    ('Headline' of 'Headline | Site'); the title's leading piece(s) when h ends with them after a
    kicker or a date ('Kicker: Headline', '1. Februar 2022 Headline')."""
    parts, seps = pieces(title)
    hk = key(h)
    for j in range(len(parts), 0, -1):
        span = _join(parts, seps, 0, j)
        sk = key(span)
        if sk == hk:
            return h
        if len(sk.split()) >= 3 and hk.endswith(" " + sk):
            return span
    return None


def choose_title(src: TitleSources) -> str | None:
    keys = site_keys(src.site_names)
    # A visible headline equal to the trailing piece of <title> is the site's banner ('DimidoBlog').
    for h in src.visible:
        if src.tab and _trailing_span(h.text, src.tab) and not _leading_span(h.text, src.tab):
            keys.add(_compact(h.text))
    machine = [strip_site(t, keys) for t in src.machine]
    tab = strip_site(src.tab, keys) if src.tab else None
    visible = [h for h in src.visible if not is_site(h.text, keys)]
    ordered = [h for h in visible if h.in_article and not h.in_chrome] + \
              [h for h in visible if not h.in_article and not h.in_chrome]
    # Machine titles confirm first (they are the article's own), then the tab title.
    for group in (machine, [tab] if tab else []):
        for h in ordered:
            for t in group:
                if (found := _confirmed(h.text, t)) is not None:
                    return found
    return _vote([*machine, *([tab] if tab else [])]) or (ordered[0].text if ordered else None)


def _vote(titles: list[str]) -> str | None:
    """The machine/tab title most others agree with (ties: the first, most trusted)."""
    if not titles:
        return None
    counts = [sum(key(t) == key(o) for o in titles) for t in titles]
    return titles[counts.index(max(counts))]


# ---------------------------------------------------------------- candidates from the tree


def _marks(el: lxml_html.HtmlElement) -> list[str]:
    return f"{el.get('class', '')} {el.get('itemprop', '')} {el.get('id', '')}".lower().split()


def visible_headlines(tree: lxml_html.HtmlElement, limit: int = 10) -> list[Headline]:
    rules = _rules()
    tags, marks = set(rules["headline_tags"]), set(rules["headline_marks"])
    containers, chrome = set(rules["article_containers"]), set(rules["chrome_containers"])
    out: list[Headline] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "script", "style", "link", "title", "html", "body"):
            continue
        if el.tag not in tags and not (marks & set(_marks(el))):
            continue
        text = _txt(el.text_content())
        if not text or len(text) > rules["max_headline_chars"]:
            continue
        ancestors = [a.tag for a in el.iterancestors() if isinstance(a.tag, str)]
        in_article = any(a in containers for a in ancestors)
        in_chrome = any(a in chrome for a in ancestors) or ("header" in ancestors and not in_article)
        out.append(Headline(text, in_article, in_chrome))
        if len(out) >= limit:
            break
    return out
