"""Article metadata from a parsed HTML page: JSON-LD, og:/article:/Dublin Core meta, <time>, bylines.

Pure functions over an lxml tree. Each field is read from the most specific source first (a
`NewsArticle` JSON-LD object beats page-wide meta tags, which beat visible markup), because those
are written for machines and carry fewer layout artefacts than the visible page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import html as lxml_html

from transforms.text import clean_line

# JSON-LD @type values that describe the page's main story (schema.org Article and subtypes).
_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "socialmediaposting", "liveblogposting",
    "scholarlyarticle", "techarticle", "report", "webpage", "posting", "creativework", "review",
}
# Meta names/properties, most trusted first.
_TITLE_META = ("dc:title", "dcterm:title", "dcterms:title", "og:title", "twitter:title", "parsely-title",
               "sailthru:title")
_AUTHOR_META = ("dc:creator", "dcterm:creator", "dcterms:creator", "author", "article:author",
                "parsely-author", "sailthru:author", "byl", "citation_author", "twitter:creator")
_DATE_META = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
              "date", "pubdate", "publishdate", "publish-date", "publish_date", "parsely-pub-date",
              "sailthru:date", "dc:date", "dc:date.issued", "dcterms:date", "dcterms:created",
              "citation_date", "citation_publication_date", "article:published", "originalpublicationdate",
              "displaydate",
              "og:updated_time", "article:modified_time", "datemodified", "last-modified")
_DESCRIPTION_META = ("description", "og:description", "twitter:description", "dc:description")
_SITE_META = ("og:site_name", "application-name", "twitter:site")

_WS = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
                       r"(Z|[+-]\d{2}:?\d{2})?)?")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_TEXT_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?"
    r"(\d{4})\b", re.IGNORECASE)


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    url: str | None = None
    site_name: str | None = None
    description: str | None = None
    language: str | None = None
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)


def _txt(s: object) -> str:
    return clean_line(_WS.sub(" ", str(s))) if s is not None else ""


# ---------------------------------------------------------------- JSON-LD


def _walk_ld(obj: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON-LD blob (@graph and nested lists); depth-capped against hostile nesting."""
    if depth > 6:
        return
    if isinstance(obj, list):
        for item in obj:
            yield from _walk_ld(item, depth + 1)
    elif isinstance(obj, dict):
        yield obj
        if "@graph" in obj:
            yield from _walk_ld(obj["@graph"], depth + 1)
        for key in ("mainEntity", "itemReviewed"):
            if isinstance(obj.get(key), dict | list):
                yield from _walk_ld(obj[key], depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", [])
    values = t if isinstance(t, list) else [t]
    return {str(v).rsplit("/", 1)[-1].casefold() for v in values}


def json_ld_objects(tree: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        raw = script.text.strip()
        if len(raw) > 2_000_000:
            continue
        # Sites often leave CDATA wrappers, trailing semicolons or raw newlines in strings.
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw).strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        out.extend(_walk_ld(data))
    return out


def _article_ld(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Article-like objects, news articles first, generic WebPage last."""
    def rank(o: dict[str, Any]) -> int:
        t = _types(o)
        if t & {"newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle"}:
            return 0
        if t & (_ARTICLE_TYPES - {"webpage", "creativework"}):
            return 1
        return 2
    return sorted((o for o in objs if _types(o) & _ARTICLE_TYPES), key=rank)


def _ld_title(obj: dict[str, Any], title_tag: str | None) -> str:
    """headline, or name when both exist, differ, and only name is in the page's <title> (some sites
    put a subtitle or description into headline)."""
    headline, name = _txt(obj["headline"]), _txt(obj.get("name") or "")
    if name and name != headline and title_tag:
        tag = _key(title_tag)
        if tag.startswith(_key(name)) and _key(headline) not in tag:
            return name
    return headline


def _ld_names(value: Any, depth: int = 0) -> list[str]:
    if depth > 3 or value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v, depth + 1)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [str(n) for n in name if isinstance(n, str)]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) or isinstance(family, str):
            return [" ".join(str(p) for p in (given, family) if isinstance(p, str))]
    return []


def _ld_str(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name")
    return value if isinstance(value, str) and value.strip() else None


# ---------------------------------------------------------------- meta tags


def meta_tags(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Meta name/property/itemprop (lower-cased; space-separated property lists split) -> contents."""
    out: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None or not content.strip():
            continue
        keys: list[str] = []
        for attr in ("property", "name", "itemprop", "http-equiv"):
            if el.get(attr):
                keys.extend(el.get(attr, "").lower().split())
        for key in keys:
            # dc.title, DC.Title and dc:title are one property.
            out.setdefault(key.replace(".", ":"), []).append(content.strip())
    return out


def _first(meta: dict[str, list[str]], names: Iterable[str]) -> str | None:
    for n in names:
        for v in meta.get(n, []):
            if _txt(v):
                return _txt(v)
    return None


# ---------------------------------------------------------------- dates


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
        if el.get("pubdate") is not None or re.search(r"publish|pubdate|created|posted", marks, re.I):
            return dt
        if first is None and not re.search(r"modif|updat", marks, re.I):
            first = dt
    return first


# ---------------------------------------------------------------- bylines

_BYLINE_DROP = re.compile(
    r"(?:\bE-?mail (?:the )?author\b|\bFollow(?: on \w+)?\b|\b(?:Staff|Senior|Chief|Contributing|Special)?\s*"
    r"(?:Writer|Reporter|Correspondent|Editor|Columnist)s?\b|\bUpdated\b.*$|\bPublished\b.*$|\bPosted\b.*$|"
    r"\bLast updated\b.*$|https?://\S+|\S+@\S+|@\w+|\(\s*\)|\[\s*\])",
    re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^\s*(?:(?:written|reported|posted|edited|text|words|story|photos?)\s+)?"
                            r"(?:by|par|por|von|di|door|av|af|de)\s*[:\-]?\s+", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bwith\b|\bavec\b|\bpar\b|"
                           r"\bedited by\b|\bwritten by\b|\bby\b|·|•|/|\n)\s*", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_NOT_NAME = {"staff", "admin", "administrator", "editor", "editors", "news", "desk", "team", "guest",
             "contributor", "reuters", "ap", "afp", "associated", "press", "agencies", "agency", "wire",
             "more", "view", "all",
             "posts", "profile", "unknown", "anonymous", "null", "none", "follow", "author", "authors", "the",
             "health", "updated", "published", "min", "read", "comments", "share",
             *_MONTHS, "sept", "january", "february", "march", "april", "june", "july", "august", "september",
             "october", "november", "december", "am", "pm", "at", "on"}


def clean_author(raw: str) -> list[str]:
    """Names from one byline string: 'By JANE DOE and John Smith | Site' -> ['Jane Doe', 'John Smith']."""
    s = _txt(raw)
    if not s or len(s) > 300:
        return []
    s = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", s)  # 'Nolan22 Dec' glued by the layout
    s = _TEXT_DATE.sub(" ", s)
    s = re.sub(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\b\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\b|\b\d+\b", " ", s,
               flags=re.IGNORECASE)
    s = _BYLINE_DROP.sub(" ", s)
    out: list[str] = []
    for part in _BYLINE_SPLIT.split(s):
        part = _BYLINE_PREFIX.sub("", " " + part.strip() + " ").strip(" -–—:|,()[]")
        part = re.sub(r"^(?:by|par|por|von)\s+", "", part, flags=re.IGNORECASE).strip()
        tokens = _NAME_TOKEN.findall(part)
        if not tokens or len(tokens) > 5:
            continue
        if all(t.casefold().strip(".") in _NOT_NAME for t in tokens):
            continue
        # A name has a capitalised word (in scripts with case) and is more than initials ('J J').
        cased = [t for t in tokens if t[0].lower() != t[0].upper()]
        if cased and len(cased) == len(tokens) and not any(t[0].isupper() for t in cased):
            continue
        if all(len(t.strip(".")) <= 2 for t in tokens):
            continue
        name = " ".join(tokens)
        if name.isupper() and len(name) > 3:  # wire bylines in capitals: JOE HILDEBRAND -> Joe Hildebrand
            name = " ".join(t.capitalize() if len(t) > 2 else t for t in tokens)
        if name.casefold() not in {o.casefold() for o in out}:
            out.append(name)
    return out


def _clean_authors(raws: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in raws:
        if re.match(r"^\s*https?://", raw):  # article:author is often a profile URL
            continue
        for name in clean_author(raw):
            if name.casefold() not in {o.casefold() for o in out}:
                out.append(name)
    return out


_BYLINE_CLASS = re.compile(
    r"^(?:[a-z0-9]+[-_])*(?:byline|byl|author|authors|author-?name|writer|contributor|reporter)"
    r"(?:[-_](?:name|names|link|links|wrap|wrapper|block|info|container|text))?$")


def _visible_byline(tree: lxml_html.HtmlElement) -> list[str]:
    """Names from rel=author links or byline/author-classed elements, when no metadata names any.
    Inside <article>/<main> first: sidebars list other stories' authors."""
    scopes = [el for tag in ("article", "main") for el in tree.iter(tag)][:3] + [tree]
    for scope in scopes:
        for el in scope.iter("a"):
            if "author" in (el.get("rel") or "").lower().split():
                names = clean_author(el.text_content())
                if names:
                    return names
        for el in scope.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta", "link", "body", "html"):
                continue
            tokens = f"{el.get('class', '')} {el.get('itemprop', '')} {el.get('id', '')}".lower().split()
            if any(_BYLINE_CLASS.match(t) for t in tokens):
                text = _txt(el.text_content())
                if 0 < len(text) < 120:
                    names = clean_author(text)
                    if names:
                        return names
    return []


# ---------------------------------------------------------------- titles

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]\s+")


def clean_title(title: str, site_name: str | None, h1: list[str]) -> str:
    """Drop a ' - Site Name' / 'Site | ' affix when it names the site, or when an <h1> matches the rest."""
    title = _txt(title)
    if site_name and (site := _txt(site_name)):
        # 'Headline | Site', 'Site: Headline' (the colon form only next to the site's own name).
        esc = re.escape(site)
        for pattern in (rf"^(.+?)\s*[|\-–—:·•»/]\s*{esc}$", rf"^{esc}\s*[|\-–—:·•»/]\s*(.+)$"):
            if (m := re.match(pattern, title, re.IGNORECASE)) and m.group(1).strip():
                return m.group(1).strip()
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_keys = set()
    if site_name:
        site_keys.add(_key(site_name))
    h1_keys = {_key(h) for h in h1}
    # Exact h1 match for a piece (or a prefix/suffix join) is the strongest evidence; short pieces
    # ('Mozilla' of 'Mozilla - Wikipedia') stay whole, as readers title such pages.
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            if (i, j) == (0, len(parts)):
                continue
            candidate = _join_span(title, parts, i, j)
            if _key(candidate) in h1_keys and len(candidate.split()) >= 5:
                return candidate
    first, last = _key(parts[0]), _key(parts[-1])
    if site_keys and (last in site_keys or any(k and (k in last or last in k) for k in site_keys)):
        return _join_span(title, parts, 0, len(parts) - 1)
    if site_keys and (first in site_keys or any(k and (k in first or first in k) for k in site_keys)):
        return _join_span(title, parts, 1, len(parts))
    # No evidence which piece is the site: drop a trailing '| Site' / '- Site' only when a
    # headline-length remainder is left ('Mozilla - Wikipedia' stays whole, as readers title it).
    seps = _TITLE_SEPARATORS.findall(title)
    if seps[-1].strip() in "|–—-" and len(_join_span(title, parts, 0, len(parts) - 1).split()) >= 5:
        return _join_span(title, parts, 0, len(parts) - 1)
    return title


def _join_span(title: str, parts: list[str], i: int, j: int) -> str:
    # Re-cut the original string so the separators inside the kept span survive as written.
    seps = _TITLE_SEPARATORS.findall(title)
    out = parts[i]
    for k in range(i + 1, j):
        out += seps[k - 1] + parts[k]
    return out.strip()


def _key(s: str) -> str:
    return re.sub(r"\W+", " ", s.casefold()).strip()


# ---------------------------------------------------------------- page


def page_meta(tree: lxml_html.HtmlElement) -> PageMeta:
    meta = meta_tags(tree)
    ld = _article_ld(json_ld_objects(tree))
    pm = PageMeta()
    title_el = tree.find(".//title")
    pm.title_tag = _txt(title_el.text_content()) if title_el is not None else None
    pm.h1 = [t for t in (_txt(h.text_content()) for h in tree.iter("h1")) if t and len(t) < 400][:5]

    pm.site_name = _first(meta, _SITE_META)
    for obj in ld:
        pub = obj.get("publisher")
        if not pm.site_name and isinstance(pub, dict) and isinstance(pub.get("name"), str):
            pm.site_name = _txt(pub["name"])

    # Title: the article's own headline; page <title> needs its site affix removed.
    ld_title = next((_ld_title(o, pm.title_tag) for o in ld
                     if isinstance(o.get("headline"), str) and o["headline"].strip()
                     and not (_types(o) <= {"webpage", "creativework"})), None)
    meta_title = _first(meta, _TITLE_META)
    # Headlines written for machines (JSON-LD, og:title) are kept as the publisher wrote them: on the
    # readability pages stripping their site affixes lost more titles than it fixed. Only the <title>
    # tag, which is built for browser tabs, gets its site affix removed.
    if ld_title or meta_title:
        pm.title = ld_title or meta_title
    elif pm.title_tag:
        pm.title = clean_title(pm.title_tag, pm.site_name, pm.h1)
    elif pm.h1:
        pm.title = pm.h1[0]

    # Authors.
    ld_authors = [n for o in ld if not (_types(o) <= {"webpage"}) for n in _ld_names(o.get("author"))]
    pm.authors = _clean_authors(ld_authors)
    if not pm.authors:
        pm.authors = _clean_authors(meta.get(n, [None])[0] or "" for n in _AUTHOR_META if n in meta
                                    and n != "twitter:creator")
    if not pm.authors:
        pm.authors = _visible_byline(tree)
    if pm.site_name:
        # 'By Jane Doe | The Post' names the site as if it were a second author.
        site = _key(pm.site_name)
        pm.authors = [a for a in pm.authors if _key(a) != site]

    # Publication date: JSON-LD, then meta, then <time>. When another source gives the same instant
    # with the page's local offset, that one is kept: the local calendar date is what readers see.
    dates = [d for o in ld for key in ("datePublished", "dateCreated", "uploadDate")
             if (d := normalise_date(_ld_str(o.get(key))))]
    dates += [d for name in _DATE_META for v in meta.get(name, []) if (d := normalise_date(v))]
    if (t := _time_element_date(tree)):
        dates.append(t)
    pm.published_at = _prefer_local(dates)

    # Canonical URL.
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").startswith("http"):
            pm.url = el.get("href", "").strip()
            break
    if not pm.url:
        og = _first(meta, ("og:url", "twitter:url"))
        if og and og.startswith("http"):
            pm.url = og
    if not pm.url:
        pm.url = next((u for o in ld for u in (_ld_str(o.get("url")), _ld_str(o.get("mainEntityOfPage")))
                       if u and u.startswith("http")), None)

    pm.description = _first(meta, _DESCRIPTION_META) or next(
        (_txt(o["description"]) for o in ld
         if isinstance(o.get("description"), str) and o["description"].strip()),
        None)

    pm.language = _language(tree, meta, ld)
    return pm


def _language(tree: lxml_html.HtmlElement, meta: dict[str, list[str]],
              ld: list[dict[str, Any]]) -> str | None:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
                  _first(meta, ("content-language", "language", "dc:language", "og:locale")),
                  next((_ld_str(o.get("inLanguage")) for o in ld if o.get("inLanguage")), None)]
    for c in candidates:
        if c and (m := re.match(r"\s*([A-Za-z]{2,3})(?:$|[-_\s,;])", c)):
            code = m.group(1).lower()
            if len(code) == 2:
                return code
    return None
