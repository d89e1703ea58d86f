"""Reader for saved web pages (`.html`, `.htm`): main text by trafilatura, metadata by html_meta.

Never raises on hostile input: oversized files are refused, parser failures and runaway nesting fall
back to a plain-text strip of the markup, and anything that still yields no article is a Rejection.
"""

from __future__ import annotations

import html as html_lib
import logging
import re

import lxml.etree
import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document

from transforms.decode import decode_bytes
from transforms.html_meta import PageMeta, clean_author, clean_title, normalise_date, not_sites, page_meta
from transforms.html_title import site_keys
from transforms.reasons import InputError, Reason
from transforms.records import RawArticle, Rejection
from transforms.text import clean_line
from transforms.urls import domain_of

# libxml2 stops building the tree at 256 levels and silently drops what lies deeper; a tree that deep
# is broken or hostile, so its text is recovered by stripping tags instead.
_MAX_SANE_DEPTH = 250
# Below this many words the fallback strip is not an article (a stub, an error page, a redirect).
_MIN_FALLBACK_WORDS = 40

# A paragraph with this many words reads as prose rather than a menu item or button label.
_MIN_SENTENCE_WORDS = 8

_NOT_FOUND = re.compile(
    r"\b(?:404|page not found|not be found|access denied|enable javascript|sign in|log in)\b", re.IGNORECASE)
# favor_recall output shorter than this share of the default output means recall mode went wrong
# (nytimes-5: 42 words against 546); nowhere else on the readability pages is the ratio below 0.3.
_RECALL_COLLAPSE = 0.25
# The default run is only a second opinion, asked when the recall output holds less than this share of
# the page's visible words. Each collapse on the readability and trafilatura-eval pages (6 of 612) is
# below 0.21; 17% of those pages are below 0.3.
_RECALL_SUSPECT = 0.3
_UNUSED_DATE_SEARCH = {"original_date": True, "extensive_search": False}
_VISIBLE_TEXT = lxml.etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]",
                                 smart_strings=False)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_STRIP_BLOCKS = re.compile(r"<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
                           re.IGNORECASE | re.DOTALL)
_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|section|article|blockquote|pre|table|ul|ol)\b[^>]*>",
                         re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]{0,2000}>")

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def parse_html(data: bytes, source_path: str) -> RawArticle | Rejection:
    """One saved web page -> its article, or a Rejection(binary/empty/malformed_html/not_an_article).
    The caller bounds its size (ParseLimits.max_html_bytes)."""
    try:
        decoded = decode_bytes(data)
    except InputError as exc:
        return Rejection(source_path, exc.reason, exc.detail)
    text = _XML_DECL.sub("", decoded.text, count=1)
    if not text.strip():
        return Rejection(source_path, Reason.EMPTY, "no text after decoding")
    try:
        article = _extract(text, source_path)
    except (RecursionError, MemoryError, ValueError, lxml.etree.LxmlError) as exc:
        # Defence in depth: any parser blow-up degrades to the tag strip.
        article = _fallback(text, source_path, PageMeta(), f"{type(exc).__name__}", Reason.MALFORMED_HTML)
    if isinstance(article, RawArticle) and decoded.repaired:
        article.flags.append("encoding_repaired")
    return article


def _extract(text: str, source_path: str) -> RawArticle | Rejection:
    try:
        tree = lxml_html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        return _fallback(text, source_path, PageMeta(), f"unparseable HTML: {exc}", Reason.MALFORMED_HTML)
    meta = page_meta(tree)
    if _depth(tree) >= _MAX_SANE_DEPTH:
        return _fallback(text, source_path, meta, "markup nested too deep", Reason.NOT_AN_ARTICLE)

    _drop_hidden(tree)
    doc = _main_text(tree, meta.url)
    paras = _paragraphs(doc.text or "") if doc is not None else []
    # trafilatura's metadata only fills what page_meta did not find.
    traf = _trafilatura_meta(tree, meta) if not (meta.title and meta.authors and meta.published_at) else None
    title = meta.title or ""
    if not title and traf is not None and traf.title:
        title = clean_title(traf.title, meta.site_name, meta.h1)
    # trafilatura often keeps the headline as the first line; the body must not repeat it.
    while paras and title and _same(paras[0], title):
        paras.pop(0)
    if not paras or _only_controls(paras, tree):
        return Rejection(source_path, Reason.NOT_AN_ARTICLE, "no main text found in the page")
    authors = meta.authors or (not_sites(clean_author(traf.author.replace(";", ","), strict=True),
                                                      site_keys(meta.site_names))
                               if traf is not None and traf.author else [])
    published = meta.published_at or (normalise_date(traf.date) if traf is not None and traf.date else None)
    if not title:
        title = paras[0] if len(paras[0]) < 200 else paras[0][:200].rsplit(" ", 1)[0]
    return _article(source_path, title, paras, meta, authors, published, language=meta.language)


def _article(source_path: str, title: str, paras: list[str], meta: PageMeta, authors: list[str],
             published: str | None, language: str | None) -> RawArticle:
    summary = meta.description or paras[0]
    return RawArticle(
        source_path=source_path,
        title=title,
        body="\n\n".join(paras),
        summary=summary,
        url=meta.url,
        source_domain=domain_of(meta.url) if meta.url else None,
        authors=authors,
        published_at=published,
        language=language,
    )


def _fallback(text: str, source_path: str, meta: PageMeta, why: str, failed: Reason) -> RawArticle | Rejection:
    """Strip tags with regexes (no tree, no recursion) when the parser cannot be trusted; `failed` is the
    reason when the strip recovers no article either."""
    stripped = _STRIP_BLOCKS.sub(" ", text)
    stripped = _BLOCK_TAGS.sub("\n", stripped)
    stripped = html_lib.unescape(_ANY_TAG.sub(" ", stripped))
    paras = _paragraphs(stripped)
    if sum(len(p.split()) for p in paras) < _MIN_FALLBACK_WORDS:
        return Rejection(source_path, failed, f"{why}; no article text recovered")
    title = meta.title or (paras[0][:200] if len(paras) > 1 else "")
    if title and _same(paras[0], title):
        paras = paras[1:] or paras
    article = _article(source_path, title, paras, meta, meta.authors, meta.published_at, meta.language)
    article.flags.append("html_fallback_text")
    return article


def _main_text(tree: lxml_html.HtmlElement, url: str | None) -> Document | None:
    """favor_recall: +0.007 mean shingle F1 on the readability pages, but now and then it latches onto
    a small box and returns a fraction of the story; then the default run's text is used instead.
    The default run is made only when the recall text is short beside the page's visible text."""
    doc = _trafilatura(tree, url=url, favor_recall=True)
    if _words(doc) >= _RECALL_SUSPECT * _visible_words(tree):
        return doc
    default = _trafilatura(tree, url=url, favor_recall=False)
    return default if _words(doc) < _RECALL_COLLAPSE * _words(default) else doc


def _trafilatura(tree: lxml_html.HtmlElement, url: str | None, favor_recall: bool) -> Document | None:
    # bare_extraction works on its own copy of a tree it is given (trafilatura >= 2.0). Comments are
    # never article text; metadata comes from page_meta (and _trafilatura_meta where that has gaps).
    result = trafilatura.bare_extraction(tree, url=url, favor_recall=favor_recall, include_comments=False)
    return result if isinstance(result, Document) else None


def _trafilatura_meta(tree: lxml_html.HtmlElement, meta: PageMeta) -> Document | None:
    # With a date from page_meta, trafilatura's date is not used: htmldate skips its text search
    # (dateparser), its costliest part. The other fields do not depend on the date settings.
    dates = None if meta.published_at is None else _UNUSED_DATE_SEARCH
    try:
        return trafilatura.extract_metadata(tree, default_url=meta.url, date_config=dates)
    except (ValueError, TypeError):  # what bare_extraction caught when it ran extract_metadata
        return None


def _visible_words(tree: lxml_html.HtmlElement) -> int:
    texts = _VISIBLE_TEXT(tree)
    return sum(len(str(t).split()) for t in texts) if isinstance(texts, list) else 0


def _words(doc: Document | None) -> int:
    return len((doc.text or "").split()) if doc is not None else 0


def _drop_hidden(tree: lxml_html.HtmlElement) -> None:
    """Remove what a browser would not show (hidden, display:none, aria-hidden): menus, modals,
    duplicated teasers. +0.0015 mean F1 on the readability pages."""
    hidden = [el for el in tree.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body") and (
        el.get("hidden") is not None or el.get("aria-hidden") == "true" or _HIDDEN_STYLE.search(el.get("style") or ""))]
    for el in hidden:
        if el.getparent() is not None:
            el.drop_tree()


def _only_controls(paras: list[str], tree: lxml_html.HtmlElement) -> bool:
    """True when every extracted line is a link, button, label or menu entry ('Home', 'Sign in'):
    what is left of a page without an article once the extractor has dropped the chrome."""
    if any(len(p.split()) >= _MIN_SENTENCE_WORDS or len(p) >= 60 for p in paras):
        return False  # a sentence-sized paragraph (character count for unspaced CJK prose) is prose
    controls = {clean_line(el.text_content()).casefold()
                for el in tree.iter("a", "button", "label", "option", "input", "summary", "legend")}
    controls |= {clean_line(el.get("value") or el.get("placeholder") or "").casefold()
                 for el in tree.iter("input")}
    return all(p.casefold() in controls or _NOT_FOUND.search(p) for p in paras)


def _paragraphs(text: str) -> list[str]:
    return [line for line in (clean_line(x) for x in text.split("\n")) if line]


def _depth(tree: lxml_html.HtmlElement) -> int:
    """Maximum element depth, iteratively (recursion is what deep markup is meant to break)."""
    depth = deepest = 0
    for event, _el in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
        if deepest >= _MAX_SANE_DEPTH:
            break
    return deepest


def _same(a: str, b: str) -> bool:
    key = re.compile(r"\W+")
    return key.sub(" ", a.casefold()).strip() == key.sub(" ", b.casefold()).strip()
