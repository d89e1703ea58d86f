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
from typing import Any

from lxml import html as lxml_html

from transforms.html_byline import clean_author, clean_authors, text_byline, visible_byline
from transforms.html_dates import normalise_date, publication_date, url_date
from transforms.html_title import TitleSources, choose_title, is_site, site_keys, visible_headlines
from transforms.text import clean_line
from transforms.urls import domain_of

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
_DESCRIPTION_META = ("description", "og:description", "twitter:description", "dc:description")
_SITE_META = ("og:site_name", "application-name", "twitter:site")

_WS = re.compile(r"\s+")
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
    site_names: list[str] = field(default_factory=list)


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


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


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

    pm.site_names = _site_names(pm, ld)
    keys = site_keys(pm.site_names)

    # Authors: the first source that names someone other than the site ('By Jane Doe | The Post'
    # names the site as if it were a second author; 'Kath Net' is no author).
    ld_authors = [n for o in ld if not (_types(o) <= {"webpage"}) for n in _ld_names(o.get("author"))]
    meta_authors = clean_authors(meta.get(n, [None])[0] or "" for n in _AUTHOR_META if n in meta
                                 and n != "twitter:creator")
    # A JSON-LD author typed Person whom the author meta tag names too is one even when the site
    # bears their name (a personal blog): two sources agree.
    persons = {n.casefold() for o in ld for a in _as_list(o.get("author")) if isinstance(a, dict)
               and "person" in _types(a) for n in clean_authors(_ld_names(a))}
    agreed = persons & {n.casefold() for n in meta_authors}
    pm.authors = [n for n in clean_authors(ld_authors) if n.casefold() in agreed or not_sites([n], keys)]
    if not pm.authors:
        pm.authors = not_sites(meta_authors, keys)
    if not pm.authors:
        pm.authors = not_sites(visible_byline(tree), keys)
    if not pm.authors:
        pm.authors = not_sites(text_byline(tree), keys)

    urls = [pm.url, _first(meta, ("og:url",)), *(_ld_str(o.get(k)) for o in ld for k in ("url", "mainEntityOfPage"))]
    pm.published_at = publication_date(tree, meta, ld, next((u for u in urls if url_date(u)), None))

    pm.title = choose_title(_title_sources(tree, meta, ld, pm))

    pm.description = _first(meta, _DESCRIPTION_META) or next(
        (_txt(o["description"]) for o in ld
         if isinstance(o.get("description"), str) and o["description"].strip()),
        None)

    pm.language = _language(tree, meta, ld)
    return pm


def _title_sources(tree: lxml_html.HtmlElement, meta: dict[str, list[str]], ld: list[dict[str, Any]],
                   pm: PageMeta) -> TitleSources:
    ld_title = next((_ld_title(o, pm.title_tag) for o in ld
                     if isinstance(o.get("headline"), str) and o["headline"].strip()
                     and not (_types(o) <= {"webpage", "creativework"})), None)
    machine = [t for t in (ld_title, *(_first(meta, (n,)) for n in _TITLE_META)) if t]
    return TitleSources(visible_headlines(tree), machine, pm.title_tag, pm.site_names)


def _site_names(pm: PageMeta, ld: list[dict[str, Any]]) -> list[str]:
    """og:site_name (or the like), JSON-LD publisher names and the domain."""
    # A Person publishing their own blog is its author too, not a site name to filter out.
    publishers = [_txt(o["publisher"]["name"]) for o in ld
                  if isinstance(o.get("publisher"), dict) and isinstance(o["publisher"].get("name"), str)
                  and "person" not in _types(o["publisher"])]
    return [s for s in (pm.site_name, *publishers, domain_of(pm.url) if pm.url else None) if s]


__all__ = ["PageMeta", "clean_author", "clean_title", "normalise_date", "not_sites", "page_meta"]


def not_sites(names: list[str], keys: set[str]) -> list[str]:
    """Authors that are not the site's own name."""
    return [n for n in names if not is_site(n, keys, loose=True)]


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
