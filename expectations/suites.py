"""The expectation suites, one per staged table plus one for the batch, declared as plain data.

Each `Check` names a GX 1.x expectation class and its arguments; `expectations.docs` turns them into GX
objects. Names (`articles.title_not_null`, `batch.min_articles_per_run`) are stable: they are the
quarantine reason codes, appear in the run's reason line and in the Data Docs, so never rename one lightly.

Checks that GX cannot express over a single column (references to another table, per-category ranges)
run on a derived "problem" column: null when the row is fine, else a short string saying what is wrong,
validated with `ExpectColumnValuesToBeNull` so the Data Docs show the offending value itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from expectations.ranges import FIGURE_CATEGORIES, FINITE_MAX, FUTURE_TOLERANCE, PUBLISHED_MIN, figure_range
from transforms.records import ENTITY_TYPES, QUALIFIERS

LANGUAGE_RE = r"^[a-z]{2,3}$"
COUNTRY_CODE_RE = r"^[A-Z]{2}$"  # ISO 3166-1 alpha-2 (and GeoNames' XK for Kosovo)


@dataclass(frozen=True)
class Check:
    name: str  # stable, human-readable: "<table>.<what must hold>"
    expectation: str  # GX class name in gx.expectations
    kwargs: dict[str, Any]  # expectation arguments (column, bounds, sets)
    description: str  # what Data Docs show; always starts with the name
    column: str | None = None  # the column whose value is reported for a failing row
    warn_only: bool = False  # failing it is reported but does not fail the run


@dataclass(frozen=True)
class TableSuite:
    table: str
    keys: tuple[str, ...]  # columns identifying a row in RowFailure.key and Data Docs
    checks: list[Check] = field(default_factory=list)


def _check(name: str, expectation: str, what: str, report: str | None = None, **kwargs: Any) -> Check:
    """`report` is the column whose value a failing row is reported with; kwargs go to the expectation."""
    return Check(name=name, expectation=expectation, kwargs=kwargs, description=f"{name}: {what}",
                 column=report)


def _not_null(table: str, column: str) -> Check:
    return _check(
        f"{table}.{column}_not_null", "ExpectColumnValuesToNotBeNull", f"{column} is never null",
        column, column=column,
    )


def _unique(table: str, column: str) -> Check:
    return _check(
        f"{table}.{column}_unique", "ExpectColumnValuesToBeUnique", f"{column} is unique in the batch",
        column, column=column,
    )


def _problem(name: str, what: str, column: str) -> Check:
    """A check on a derived column holding a description of the problem, null when the row is fine."""
    return _check(name, "ExpectColumnValuesToBeNull", what, column, column=column)


# --- articles -------------------------------------------------------------------------------------------

def articles_suite(min_body_chars: int, max_body_chars: int, now: pd.Timestamp) -> TableSuite:
    t = "articles"
    latest = now + FUTURE_TOLERANCE
    return TableSuite(t, ("article_id",), [
        _not_null(t, "article_id"),
        _unique(t, "article_id"),
        _not_null(t, "title"),
        _check(f"{t}.title_not_blank", "ExpectColumnValuesToMatchRegex", "title has a visible character",
               "title", column="title", regex=r"\S"),
        _check(f"{t}.body_length_within_bounds", "ExpectColumnValuesToBeBetween",
               f"body has {min_body_chars}..{max_body_chars} characters", "body_chars",
               column="body_chars", min_value=min_body_chars, max_value=max_body_chars),
        _check(f"{t}.language_code_format", "ExpectColumnValuesToMatchRegex",
               f"language is null or a lowercase ISO 639 code ({LANGUAGE_RE})", "language",
               column="language", regex=LANGUAGE_RE),
        _check(f"{t}.published_at_not_in_future", "ExpectColumnValuesToBeBetween",
               f"published_at is null or not after {latest.isoformat(timespec='seconds')}", "published_at",
               column="published_at", max_value=latest),
        _check(f"{t}.published_at_not_before_1900", "ExpectColumnValuesToBeBetween",
               "published_at is null or not before 1900-01-01", "published_at",
               column="published_at", min_value=PUBLISHED_MIN),
    ])


def prepare_articles(df: pd.DataFrame) -> pd.DataFrame:
    published = df["published_at"] if "published_at" in df else pd.Series(pd.NaT, index=df.index)
    if not isinstance(published.dtype, pd.DatetimeTZDtype):
        # Strings or naive datetimes: read as UTC so the bounds compare; unparseable -> caught upstream.
        published = pd.to_datetime(published, utc=True, errors="coerce")
    if "body_chars" in df:  # the flow passes lengths, not bodies, to keep the audit's memory flat
        body_chars = df["body_chars"].fillna(0).astype("int64")
    else:
        body = df["body"] if "body" in df else pd.Series(None, index=df.index, dtype=object)
        body_chars = body.map(lambda b: len(b) if isinstance(b, str) else 0).astype("int64")
    return pd.DataFrame({
        "article_id": df.get("article_id"),
        "title": df.get("title"),
        # Validate the length, not the body: a failing 2 MB body must not be copied into the Data Docs.
        "body_chars": body_chars,
        "language": df.get("language"),
        "published_at": published,
    }, index=df.index)


# --- entities -------------------------------------------------------------------------------------------

def entities_suite() -> TableSuite:
    t = "entities"
    return TableSuite(t, ("entity_id",), [
        _not_null(t, "entity_id"),
        _unique(t, "entity_id"),
        _not_null(t, "name"),
        _check(f"{t}.name_not_blank", "ExpectColumnValuesToMatchRegex", "name has a visible character",
               "name", column="name", regex=r"\S"),
        _check(f"{t}.type_allowed", "ExpectColumnValuesToBeInSet",
               f"type is one of {', '.join(ENTITY_TYPES)}", "type",
               column="type", value_set=list(ENTITY_TYPES)),
        _not_null(t, "type"),
        # Places (transforms/geo.py): null where unresolved, else within range.
        _check(f"{t}.latitude_in_range", "ExpectColumnValuesToBeBetween", "latitude is null or in -90..90",
               "latitude", column="latitude", min_value=-90, max_value=90),
        _check(f"{t}.longitude_in_range", "ExpectColumnValuesToBeBetween", "longitude is null or in -180..180",
               "longitude", column="longitude", min_value=-180, max_value=180),
        _check(f"{t}.country_code_format", "ExpectColumnValuesToMatchRegex",
               f"country_code is null or an ISO 3166-1 alpha-2 code ({COUNTRY_CODE_RE})", "country_code",
               column="country_code", regex=COUNTRY_CODE_RE),
    ])


ENTITY_GEO_COLUMNS = ("country_code", "latitude", "longitude")


def prepare_entities(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({c: df.get(c) for c in ("entity_id", "name", "type")}, index=df.index)
    # Frames staged without the geo columns (older staging reads) validate as all-null, i.e. unresolved.
    for c in ENTITY_GEO_COLUMNS:
        col = df[c] if c in df else pd.Series(None, index=df.index, dtype=object)
        out[c] = pd.to_numeric(col, errors="coerce").astype("float64") if c != "country_code" else col
    return out


# --- article_entities -----------------------------------------------------------------------------------

def article_entities_suite() -> TableSuite:
    t = "article_entities"
    return TableSuite(t, ("article_id", "entity_id"), [
        _not_null(t, "article_id"),
        _not_null(t, "entity_id"),
        _check(f"{t}.link_unique", "ExpectCompoundColumnsToBeUnique", "(article_id, entity_id) is unique",
               "entity_id", column_list=["article_id", "entity_id"]),
        _check(f"{t}.mentions_positive", "ExpectColumnValuesToBeBetween", "mentions is at least 1",
               "mentions", column="mentions", min_value=1),
        _problem(f"{t}.article_id_references_article",
                 "article_id refers to an article of the batch (shown: the dangling id)", "missing_article"),
        _problem(f"{t}.entity_id_references_entity",
                 "entity_id refers to an entity of the batch (shown: the dangling id)", "missing_entity"),
    ])


def _dangling(ids: pd.Series, known: pd.Series) -> pd.Series:
    """The id where it is not among `known`, else None (null ids are the not_null check's business)."""
    bad = ids.notna() & ~ids.isin(set(known.dropna()))
    return ids.where(bad, None).astype(object)


def prepare_article_entities(
    df: pd.DataFrame, articles: pd.DataFrame, entities: pd.DataFrame
) -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": df.get("article_id"),
        "entity_id": df.get("entity_id"),
        "mentions": df.get("mentions"),
        "missing_article": _dangling(df["article_id"], articles["article_id"]),
        "missing_entity": _dangling(df["entity_id"], entities["entity_id"]),
    }, index=df.index)


# --- figures --------------------------------------------------------------------------------------------

def figures_suite() -> TableSuite:
    t = "figures"
    return TableSuite(t, ("figure_id",), [
        _not_null(t, "figure_id"),
        _unique(t, "figure_id"),
        _not_null(t, "article_id"),
        _problem(f"{t}.article_id_references_article",
                 "article_id refers to an article of the batch (shown: the dangling id)", "missing_article"),
        _not_null(t, "value"),  # NaN counts as null
        _check(f"{t}.value_finite", "ExpectColumnValuesToBeBetween", "value is a finite number",
               "value", column="value", min_value=-FINITE_MAX, max_value=FINITE_MAX),
        _problem(f"{t}.value_within_category_range",
                 "value lies within the sane range of its category (see expectations/ranges.py)",
                 "out_of_range"),
        _not_null(t, "category"),
        _check(f"{t}.category_allowed", "ExpectColumnValuesToBeInSet",
               "category is one of the figure categories (transforms/data/figures/categories.json)", "category",
               column="category", value_set=list(FIGURE_CATEGORIES)),
        _check(f"{t}.qualifier_allowed", "ExpectColumnValuesToBeInSet",
               f"qualifier is one of {' '.join(QUALIFIERS)}", "qualifier",
               column="qualifier", value_set=list(QUALIFIERS)),
        _not_null(t, "qualifier"),
    ])


def _out_of_range(value: Any, category: Any) -> str | None:
    if not isinstance(value, int | float) or not np.isfinite(value):
        return None  # value_not_null / value_finite report these
    low, high = figure_range(category if isinstance(category, str) else None)
    if low <= value <= high:
        return None
    return f"{category}={value:g} (allowed {low:g}..{high:g})"


def prepare_figures(df: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    values = pd.to_numeric(df.get("value"), errors="coerce").astype("float64")
    out = pd.DataFrame({
        "figure_id": df.get("figure_id"),
        "article_id": df.get("article_id"),
        "value": values,
        "category": df.get("category"),
        "qualifier": df.get("qualifier"),
        "missing_article": _dangling(df["article_id"], articles["article_id"]),
    }, index=df.index)
    out["out_of_range"] = pd.Series(
        [_out_of_range(v, c) for v, c in zip(values.tolist(), out["category"].tolist(), strict=True)],
        index=df.index, dtype=object,
    )
    return out


# --- batch ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BatchCheck:
    check: Check
    metric: str  # column of the one-row batch frame
    expect: str  # human-readable condition for the reason line: ">= 1000"


def batch_suite(
    min_articles_per_run: int,
    max_quarantine_ratio: float,
    max_no_entity_ratio: float,
    max_new_language_share: float,
    warn_new_source_share: float,
) -> list[BatchCheck]:
    t = "batch"

    def between(name: str, metric: str, what: str, expect: str, warn: bool = False, **kw: Any) -> BatchCheck:
        c = Check(f"{t}.{name}", "ExpectColumnValuesToBeBetween", {"column": metric, **kw},
                  f"{t}.{name}: {what}", metric, warn_only=warn)
        return BatchCheck(c, metric, expect)

    return [
        between("min_articles_per_run", "articles_new",
                f"at least {min_articles_per_run} new or changed articles pass the row checks "
                "(not applicable when the run brought no new content)",
                f">= {min_articles_per_run}", min_value=min_articles_per_run),
        between("max_quarantine_ratio", "quarantine_ratio",
                f"at most {max_quarantine_ratio:g} of the new input files are quarantined",
                f"<= {max_quarantine_ratio:g}", min_value=0, max_value=max_quarantine_ratio),
        between("max_no_entity_ratio", "no_entity_ratio",
                f"at most {max_no_entity_ratio:g} of the articles have no entity",
                f"<= {max_no_entity_ratio:g}", min_value=0, max_value=max_no_entity_ratio),
        between("max_new_language_share", "new_language_share",
                f"at most {max_new_language_share:g} of the articles are in a language never published "
                "before (not applicable without enough history)",
                f"<= {max_new_language_share:g}", min_value=0, max_value=max_new_language_share),
        between("new_source_share", "new_source_share",
                f"warning only: at most {warn_new_source_share:g} of the articles come from a source domain "
                "never published before (not applicable without enough history)",
                f"<= {warn_new_source_share:g}", warn=True, min_value=0, max_value=warn_new_source_share),
    ]

