"""Publication dates of saved web pages: JSON-LD datePublished, article:published_time and other meta
fields, <time datetime>, in that order of trust; modified/updated dates only when nothing else dates
the page. Field names: transforms/data/html_dates.json.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from transforms.figures.lexicon import FULL_MONTHS

DATA = Path(__file__).with_name("data") / "html_dates.json"
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)")

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
                       r"(Z|[+-]\d{2}:?\d{2})?)?")
# the first three letters of each month (transforms/data/months.json, shared with figures and entities)
_MONTHS = {m[:3].lower(): i for i, m in enumerate(FULL_MONTHS, start=1)}
_TEXT_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+)?({'|'.join(_MONTHS)})[a-z]*\.?\s+(?:(\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?"
    r"(\d{4})\b", re.IGNORECASE)




def normalise_date(value: str | None) -> str | None:
    """ISO 8601 from the date forms pages use; keeps the page's own offset (the local calendar date
    is what a reader sees), `Z` becomes `+00:00`. None when no date is recognised."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_DATE.search(value)
    if m:
        y, mo, d, hh, mi, ss, tz = m.groups()
        try:
            dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        except ValueError:
            return None
        if not 1900 <= dt.year <= 2100:
            return None
        if hh is None:
            return dt.date().isoformat()
        out = dt.isoformat()
        if tz:
            out += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
        return out
    m2 = _TEXT_DATE.search(value)
    if m2:
        d1, mon, d2, y = m2.groups()
        day = d1 or d2
        if day:
            try:
                return datetime(int(y), _MONTHS[mon[:3].lower()], int(day)).date().isoformat()
            except ValueError:
                return None
    return None


def _prefer_local(dates: list[str]) -> str | None:
    if not dates:
        return None
    first = dates[0]
    if not first.endswith("+00:00"):
        return first
    try:
        instant = datetime.fromisoformat(first)
        for d in dates[1:]:
            if len(d) > 10 and not d.endswith("+00:00") and (other := datetime.fromisoformat(d)).tzinfo \
                    and other == instant:
                return d
    except ValueError:
        pass
    return first


def _time_element_date(tree: lxml_html.HtmlElement) -> str | None:
    """The first <time datetime> marked as publication time, else the first <time datetime> at all."""
    first: str | None = None
    for el in tree.iter("time"):
        dt = normalise_date(el.get("datetime") or "")
        if not dt:
            continue
        marks = " ".join(filter(None, (el.get("itemprop"), el.get("class"), el.get("pubdate"), el.get("id"))))
        if el.get("pubdate") is not None or re.search(_rules()["time_published_marks"], marks, re.I):
            return dt
        if first is None and not re.search(_rules()["time_modified_marks"], marks, re.I):
            first = dt
    return first




@cache
def _rules() -> dict[str, Any]:
    rules: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return rules


def _ld_value(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, str) and value.strip() else None


def url_date(url: str | None) -> str | None:
    """'/2017/7/12/' or '/2017-07-12-' in a URL path -> '2017-07-12'."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3))).date().isoformat()
    except ValueError:
        return None


def publication_date(tree: lxml_html.HtmlElement, meta: dict[str, list[str]], ld: list[dict[str, Any]],
                     url: str | None = None) -> str | None:
    """JSON-LD (one date per object, its first publication field), meta publication fields, the
    <time> marked as publication; modified fields only when these give nothing; a date in the URL
    when nothing else dates the page, or when it is earlier than all of them (pages republished or
    re-dated keep their first date in the URL)."""
    r = _rules()
    dates = [d for o in ld if (d := next((x for k in r["ld_published"]
                                          if (x := normalise_date(_ld_value(o.get(k))))), None))]
    dates += [d for name in r["meta_published"] for v in meta.get(name, []) if (d := normalise_date(v))]
    if (t := _time_element_date(tree)):
        dates.append(t)
    if not dates:
        dates = [d for name in r["meta_modified"] for v in meta.get(name, []) if (d := normalise_date(v))]
    in_url = url_date(url)
    if in_url and (not dates or all(d[:10] > in_url for d in dates)):
        return in_url
    return choose_date(dates)


def choose_date(dates: list[str]) -> str | None:
    """The most trusted source's date (JSON-LD, then meta, then <time>; a vote by calendar day among
    them lost a JSON-LD datePublished to two copies of the modified time on the readability pages),
    read in the page's local time when another source shows it."""
    chosen = _prefer_local(dates)
    return _local_reading(chosen, dates) if chosen else None


def _local_reading(chosen: str, dates: list[str]) -> str:
    """A UTC time that another source shows as a naive local clock time of the same minute and
    second, whole hours away ('05:30:59Z' shown as '23:30:59' the day before): the local one."""
    if not chosen.endswith("+00:00") or len(chosen) <= 10:
        return chosen
    try:
        instant = datetime.fromisoformat(chosen).replace(tzinfo=None)
        for d in dates:
            if len(d) <= 10 or "+" in d[10:] or d.count("-") > 2:
                continue
            local = datetime.fromisoformat(d)
            shift = local - instant
            hours = shift / timedelta(hours=1)
            if shift and abs(hours) <= _rules()["max_local_offset_hours"] and shift % timedelta(minutes=15) == \
                    timedelta(0):
                return d
    except ValueError:
        pass
    return chosen
