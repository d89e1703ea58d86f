"""From parsed inputs to articles: ids, composed text, hashes, language; then NLP annotation in batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from transforms.records import Article, RawArticle
from transforms.text import compose_text, content_hash, detect_language, normalise_block, stable_id
from transforms.urls import canonical_url, domain_of

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def article_id_for(raw: RawArticle) -> str:
    """Stable per source: the same file (and entry) keeps its id, so an edited input replaces its article."""
    return stable_id(raw.source_path, raw.entry_key or raw.source_id or "")


def build_article(raw: RawArticle) -> Article:
    # Readers have already repaired encodings (ftfy) on the decoded file or field by field; a second
    # ftfy pass here cost ~15% of parsing for nothing.
    title = normalise_block(raw.title).replace("\n", " ")
    body = normalise_block(raw.body)
    summary = normalise_block(raw.summary) if raw.summary else None
    url = canonical_url(raw.url) or (raw.url or None)
    domain = raw.source_domain or (domain_of(url) if url else None)
    # A title made up from the body's first sentence is a copy of body text: prepending it would index that
    # sentence twice (every entity mention and figure in it counted twice).
    text = body if "title_from_body" in raw.flags else compose_text(title, body)
    return Article(
        source_path=raw.source_path,
        source_id=raw.source_id,
        article_id=article_id_for(raw),
        title=title,
        summary=summary or None,
        body=body,
        text=text,
        url=url,
        source_domain=domain,
        authors=[a for a in (normalise_block(x) for x in raw.authors) if a],
        published_at=raw.published_at,
        language=raw.language or detect_language(body or title),
        content_hash=content_hash(title, body),
        flags=list(raw.flags),
        entry_key=raw.entry_key,
    )


def _title_end(art: Article) -> int:
    """Where the title ends in `text`: 0 when the title is not part of it (derived from the body)."""
    return 0 if "title_from_body" in art.flags else len(art.title)


def _pipe(nlp: Language, texts: list[str], batch_size: int, max_batch_chars: int) -> Iterator[Doc]:
    """nlp.pipe in batches capped by count and by characters (Settings.max_batch_chars): NER's working memory
    grows with the tokens of a batch (measured: 64 long articles peak at +280 MB, 16 at +65 MB, same speed)."""
    start = 0
    while start < len(texts):
        end, chars = start, 0
        while end < len(texts) and end - start < batch_size and (end == start or chars + len(texts[end]) <=
                                                                 max_batch_chars):
            chars += len(texts[end])
            end += 1
        yield from nlp.pipe(texts[start:end], batch_size=end - start)
        start = end


_WARM_TEXT = "Warm-up: officials in Paris said 13,000 workers, 40% of them from Kenya, were paid $2 million."


def warm_up(model: str) -> None:
    """Load the model and build what the steps make on first use (gazetteer and place keys ~3 s, the language
    identifier ~1 s, unit lexicon, figure patterns), so that a worker's first batch does not pay."""
    from transforms.entities import extract_entities, load_ner
    from transforms.figures import extract_figures

    detect_language(_WARM_TEXT)
    nlp = load_ner(model)
    extract_entities(nlp(_WARM_TEXT), nlp=nlp, text=_WARM_TEXT)
    extract_figures(_WARM_TEXT)


def annotate(articles: list[Article], nlp: Language, max_chars: int, batch_size: int, max_batch_chars: int) -> None:
    """Fill entities and figures in place. Texts longer than max_chars are cut for NLP and flagged;
    the limits are Settings' max_nlp_chars, nlp_batch_size and max_batch_chars."""
    from transforms.entities import extract_entities
    from transforms.figures import extract_figures
    from transforms.geo import geocode_entities

    texts: list[str] = []
    for a in articles:
        if len(a.text) > max_chars:
            a.flags.append("truncated_for_nlp")
        texts.append(a.text[:max_chars])

    # A memory zone frees the strings and lexemes the batch added to the shared vocabulary when it ends:
    # without it a long-lived worker grows with every new word it sees (measured: +23 MB per 2,400 articles
    # of fresh text). Nothing may keep a Doc, Span or Token past it; the annotations are plain records.
    with nlp.memory_zone():
        for art, text, doc in zip(articles, texts, _pipe(nlp, texts, batch_size, max_batch_chars), strict=True):
            # A rule that fails on one odd text costs that article its annotation (flagged), not the run.
            try:
                art.entities = extract_entities(doc, title_end=_title_end(art), text=text)
            except Exception as exc:
                art.entities = []
                art.flags.append(f"entities_failed: {type(exc).__name__}: {exc}"[:200])
            # Places get their country and coordinates from the article's own context (transforms.geo).
            try:
                geocode_entities(art.entities, art.text, art.source_domain)
            except Exception as exc:
                for ent in art.entities:
                    ent.geo = None
                art.flags.append(f"geo_failed: {type(exc).__name__}: {exc}"[:200])
            try:
                art.figures = extract_figures(text)
            except Exception as exc:
                art.figures = []
                art.flags.append(f"figures_failed: {type(exc).__name__}: {exc}"[:200])
