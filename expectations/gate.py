"""The audit step of write-audit-publish: validate a staged batch, drop bad rows, decide whether to publish.

`audit()` runs four row-level suites (articles, entities, article_entities, figures) and one batch suite
through Great Expectations, writes Data Docs, and returns one `RemovalPlan` (the keys to remove from each
staged table, cascade included; `StagingArea.apply_removals` carries it out), the frames it leaves, and what
failed:

- a row failing a row-level check is removed (an article takes its links, mentions, figures and signature
  with it; an entity its links and mentions; a link or figure only itself; an entity that only removed links
  referred to goes too) and reported as a `RowFailure` for the quarantine table;
- a failing batch-level check fails the audit (`success=False`): the caller must not publish.

Batch rules, decided here so the flow need not:
- `batch.min_articles_per_run` counts articles that passed the row checks (capped by `stats.articles_new`).
  It does not apply when the run brought no new content (no new articles, nothing quarantined, every new
  file a duplicate or none at all): a rerun on unchanged inputs has nothing to publish and is not a failure.
- `batch.max_quarantine_ratio` is files_quarantined / files_new; not applicable when files_new == 0.
- `batch.max_no_entity_ratio` is over the cleaned articles; not applicable without articles.
- `batch.max_new_language_share` compares the cleaned articles' languages with `history` (languages and
  source domains of published articles): the share of articles in a language never published fails the
  run above the threshold, and only once the history holds `min_history_articles` (a young warehouse has
  no distribution to compare with). `batch.new_source_share` does the same for source domains but only
  warns: new sources are normal news growth, a sudden flood of them is worth a look, not a blocked run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from expectations import suites
from expectations.suites import BatchCheck, Check, TableSuite

TABLES = ("articles", "entities", "article_entities", "figures")
# Columns a missing frame is given, so an empty batch validates (the union of what the suites read).
_EMPTY_COLUMNS: dict[str, list[str]] = {
    "articles": ["article_id", "title", "body", "language", "published_at", "source_domain"],
    "entities": ["entity_id", "name", "type", "country_code", "latitude", "longitude"],
    "article_entities": ["article_id", "entity_id", "mentions"],
    "figures": ["figure_id", "article_id", "value", "category", "qualifier"],
}
SAMPLE_VALUES = 5  # offending values kept per failed expectation for reports
MAX_VALUE_CHARS = 200  # long values (titles) are cut in RowFailure.value


@dataclass(frozen=True, slots=True)
class GateThresholds:
    """A view of the Settings fields the audit reads (same names and meanings; no defaults of its own)."""

    min_articles_per_run: int
    max_quarantine_ratio: float
    max_no_entity_ratio: float
    min_body_chars: int
    max_body_chars: int
    max_new_language_share: float  # share of articles in never-published languages that fails
    warn_new_source_share: float  # share of articles from never-published domains that warns
    min_history_articles: int  # distribution checks need this many published articles

    @classmethod
    def from_settings(cls, settings: Any) -> GateThresholds:
        """Every field from the settings field of the same name (a missing one is an AttributeError)."""
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})


@dataclass
class BatchStats:
    files_new: int  # new or changed input files of this run
    files_quarantined: int  # of those, quarantined before staging (unreadable, empty, ...)
    articles_new: int  # new or changed articles staged
    files_duplicate: int = 0  # new files whose every article duplicates published content


@dataclass
class RowFailure:
    table: str
    key: str  # article_id / entity_id / figure_id; "article_id/entity_id" for links; "(null)" if missing
    expectation: str  # stable check name, used as the quarantine reason
    value: str  # the offending value


@dataclass
class FailedExpectation:
    table: str
    expectation: str
    kind: str  # "row" (rows removed, run goes on) | "batch" (run fails) | "warning" (reported only)
    detail: str = ""
    sample_values: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    """What the audit removes from the staged tables, the cascade already worked out: `links` holds every
    (article_id, entity_id) link of a removed article or entity as well as the failing links themselves, and
    `entities` the entities left with no link. Mentions go with their link, a signature with its article
    (warehouse/remove_audited.sql)."""

    articles: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str]] = frozenset()
    figures: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.articles or self.entities or self.links or self.figures)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The removed keys as frames, one per table (the shape the staging area's SQL joins against)."""
        return {
            "articles": pd.DataFrame({"article_id": sorted(self.articles)}, dtype=object),
            "entities": pd.DataFrame({"entity_id": sorted(self.entities)}, dtype=object),
            "links": pd.DataFrame(sorted(self.links), columns=["article_id", "entity_id"], dtype=object),
            "figures": pd.DataFrame({"figure_id": sorted(self.figures)}, dtype=object),
        }


@dataclass
class AuditResult:
    success: bool
    frames: dict[str, pd.DataFrame]  # what the plan leaves of the staged frames (the batch checks read these)
    row_failures: list[RowFailure]
    failed: list[FailedExpectation]
    docs_index: Path | None
    plan: RemovalPlan = field(default_factory=RemovalPlan)
    docs_pages: dict[str, Path] = field(default_factory=dict)  # table (or "batch") -> result page
    metrics: dict[str, float | None] = field(default_factory=dict)  # the batch suite's inputs
    seconds: float = 0.0

    @property
    def failed_names(self) -> list[str]:
        """Names of the expectations that failed the run (for runs.failed_expectations)."""
        return [f.expectation for f in self.failed if f.kind == "batch"]

    def reason(self) -> str:
        if self.success:
            rows = len(self.row_failures)
            return "validation passed" + (f" ({rows} rows quarantined)" if rows else "")
        fatal = [f for f in self.failed if f.kind == "batch"]
        return "validation failed: " + "; ".join(f"{f.expectation} ({f.detail})" for f in fatal)


def audit(
    frames: dict[str, pd.DataFrame],
    stats: BatchStats,
    thresholds: GateThresholds,
    reports_dir: Path,
    run_id: str,
    history: pd.DataFrame | None = None,
    now: datetime | None = None,
    docs: bool = True,
) -> AuditResult:
    """Validate a staged batch; see the module docstring for what is removed and what fails the run.

    `now` fixes the clock for the future-date check (tests); `docs=False` skips rendering Data Docs.
    """
    from expectations.docs import GxRunner, Validation

    started = time.perf_counter()
    now_ts = pd.Timestamp(now or datetime.now().astimezone()).tz_convert("UTC")
    staged = {t: _frame(frames, t) for t in TABLES}
    runner = GxRunner(reports_dir)

    prepared: dict[str, tuple[pd.DataFrame, TableSuite]] = {
        "articles": (suites.prepare_articles(staged["articles"]),
                     suites.articles_suite(thresholds.min_body_chars, thresholds.max_body_chars, now_ts)),
        "entities": (suites.prepare_entities(staged["entities"]), suites.entities_suite()),
        "article_entities": (
            suites.prepare_article_entities(
                staged["article_entities"], staged["articles"], staged["entities"]),
            suites.article_entities_suite()),
        "figures": (suites.prepare_figures(staged["figures"], staged["articles"]), suites.figures_suite()),
    }

    row_failures: list[RowFailure] = []
    failed: list[FailedExpectation] = []
    validations: dict[str, Validation] = {}
    bad_keys: dict[str, set[tuple[Any, ...]]] = {t: set() for t in TABLES}
    for table, (frame, suite) in prepared.items():
        validation = runner.validate(table, frame, suite.checks, suite.keys, run_id)
        validations[table] = validation
        for res in validation.results:
            if res.success:
                continue
            if res.error:
                failed.append(FailedExpectation(table, res.check.name, "batch",
                                                f"could not be evaluated: {res.error}"))
                continue
            rows = [_row_failure(table, suite.keys, res.check, r) for r in res.unexpected_rows]
            row_failures.extend(rows)
            bad_keys[table].update(tuple(_norm(r.get(k)) for k in suite.keys) for r in res.unexpected_rows)
            failed.append(FailedExpectation(
                table, res.check.name, "row",
                f"{res.unexpected_count} of {len(frame)} rows failed and were removed",
                _samples(rows),
            ))

    plan = _plan(staged, bad_keys)
    clean = _apply(staged, plan)
    metrics = _batch_metrics(clean, staged, stats, thresholds, history)
    checks = suites.batch_suite(thresholds.min_articles_per_run, thresholds.max_quarantine_ratio,
                                thresholds.max_no_entity_ratio, thresholds.max_new_language_share,
                                thresholds.warn_new_source_share)
    batch_frame = pd.DataFrame([{c.metric: metrics[c.metric] for c in checks}], dtype=object)
    for c in checks:  # numeric columns, nulls = not applicable (GX skips nulls)
        batch_frame[c.metric] = pd.to_numeric(batch_frame[c.metric]).astype("float64")
    validation = runner.validate("batch", batch_frame, [c.check for c in checks], (), run_id)
    validations["batch"] = validation
    by_name: dict[str, BatchCheck] = {c.check.name: c for c in checks}
    for res in validation.results:
        if res.success:
            continue
        bc = by_name[res.check.name]
        got = metrics[bc.metric]
        detail = (f"could not be evaluated: {res.error}" if res.error
                  else f"expect {bc.expect}, got {_fmt(got)}")
        failed.append(FailedExpectation("batch", res.check.name, "warning" if bc.check.warn_only else "batch",
                                        detail, [_fmt(got)]))

    success = not any(f.kind == "batch" for f in failed)
    pages = runner.build_docs(validations) if docs else {}
    return AuditResult(
        success=success, frames=clean, plan=plan, row_failures=row_failures, failed=failed,
        docs_index=runner.docs_index if docs and runner.docs_index.exists() else None, docs_pages=pages,
        metrics=metrics, seconds=time.perf_counter() - started,
    )


# --- helpers --------------------------------------------------------------------------------------------

def _frame(frames: dict[str, pd.DataFrame], table: str) -> pd.DataFrame:
    df = frames.get(table)
    if df is None:
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in _EMPTY_COLUMNS[table]})
    df = df.reset_index(drop=True)
    for c in _EMPTY_COLUMNS[table]:
        if c not in df:  # a missing column makes every row fail its not-null check, not crash the run
            df[c] = pd.Series(None, index=df.index, dtype=object)
    return df


def _norm(v: Any) -> Any:
    """Null-like (None, NaN, NaT) -> None, so keys compare."""
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):  # lists and arrays
        return v


def _key_text(values: tuple[Any, ...]) -> str:
    return "/".join("(null)" if v is None else str(v) for v in values)


def _fmt(v: Any) -> str:
    if _norm(v) is None:
        return "null"
    if isinstance(v, float):
        return f"{v:.3g}" if not v.is_integer() else str(int(v))
    text = str(v)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _row_failure(table: str, keys: tuple[str, ...], check: Check, row: dict[str, Any]) -> RowFailure:
    key = _key_text(tuple(_norm(row.get(k)) for k in keys))
    value = row.get(check.column) if check.column in row else (
        row.get(keys[-1]) if keys else None)
    return RowFailure(table, key, check.name, _fmt(value))


def _samples(rows: list[RowFailure]) -> list[str]:
    seen: list[str] = []
    for r in rows:
        if r.value not in seen:
            seen.append(r.value)
        if len(seen) == SAMPLE_VALUES:
            break
    return seen


def _has_key(df: pd.DataFrame, cols: tuple[str, ...], keys: set[tuple[Any, ...]]) -> pd.Series:
    """Rows whose key is in `keys`; a None in a key matches any null there."""
    hit = pd.Series(False, index=df.index)
    if not keys:
        return hit
    tuples = [tuple(_norm(v) for v in t) for t in zip(*(df[c].tolist() for c in cols), strict=True)]
    return pd.Series([t in keys for t in tuples], index=df.index)


def _plan(staged: dict[str, pd.DataFrame], bad: dict[str, set[tuple[Any, ...]]]) -> RemovalPlan:
    """The failing rows' keys, with what each removal takes along (see RemovalPlan). A null key stays None
    (frames given to `audit` directly may hold one; staged tables cannot)."""
    arts, ents, links, figs = (staged["articles"], staged["entities"], staged["article_entities"],
                               staged["figures"])
    removed_articles = _keys(arts["article_id"], _has_key(arts, ("article_id",), bad["articles"]))
    removed_entities = _keys(ents["entity_id"], _has_key(ents, ("entity_id",), bad["entities"]))
    link_out = (_has_key(links, ("article_id", "entity_id"), bad["article_entities"])
                | links["article_id"].isin(removed_articles) | links["entity_id"].isin(removed_entities))
    # Entities only the removed links referred to would be published without any article: they go too.
    orphaned = set(links["entity_id"].dropna()) - set(links["entity_id"][~link_out].dropna())
    fig_out = _has_key(figs, ("figure_id",), bad["figures"]) | figs["article_id"].isin(removed_articles)
    return RemovalPlan(
        articles=frozenset(removed_articles),
        entities=frozenset(removed_entities | orphaned),
        links=frozenset(_norm_tuple(t) for t in zip(links["article_id"][link_out], links["entity_id"][link_out],
                                                    strict=True)),
        figures=frozenset(_keys(figs["figure_id"], fig_out)),
    )


def _keys(column: pd.Series, mask: pd.Series) -> set[Any]:
    return {_norm(v) for v in column[mask]}


def _norm_tuple(t: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(_norm(v) for v in t)


def _apply(staged: dict[str, pd.DataFrame], plan: RemovalPlan) -> dict[str, pd.DataFrame]:
    """The staged frames without the plan's rows (the removal the staging area's SQL makes)."""
    return {
        "articles": _without(staged["articles"], ("article_id",), {(k,) for k in plan.articles}),
        "entities": _without(staged["entities"], ("entity_id",), {(k,) for k in plan.entities}),
        "article_entities": _without(staged["article_entities"], ("article_id", "entity_id"), set(plan.links)),
        "figures": _without(staged["figures"], ("figure_id",), {(k,) for k in plan.figures}),
    }


def _without(df: pd.DataFrame, cols: tuple[str, ...], keys: set[tuple[Any, ...]]) -> pd.DataFrame:
    return df[~_has_key(df, cols, keys)].reset_index(drop=True)


def _new_share(values: pd.Series, known: pd.Series) -> float | None:
    values = values.dropna()
    if values.empty:
        return None
    return float((~values.isin(set(known.dropna()))).mean())


def _batch_metrics(
    clean: dict[str, pd.DataFrame],
    staged: dict[str, pd.DataFrame],
    stats: BatchStats,
    thresholds: GateThresholds,
    history: pd.DataFrame | None,
) -> dict[str, float | None]:
    articles = clean["articles"]
    nothing_new = (stats.articles_new == 0 and stats.files_quarantined == 0
                   and stats.files_new <= stats.files_duplicate and articles.empty)
    linked = set(clean["article_entities"]["article_id"].dropna())
    enough_history = history is not None and len(history) >= thresholds.min_history_articles
    metrics: dict[str, float | None] = {
        "articles_new": None if nothing_new else float(min(stats.articles_new, len(articles))),
        "quarantine_ratio": stats.files_quarantined / stats.files_new if stats.files_new > 0 else None,
        "no_entity_ratio": (float((~articles["article_id"].isin(linked)).mean()) if len(articles) else None),
        "new_language_share": None,
        "new_source_share": None,
    }
    if enough_history and history is not None:
        if "language" in history:
            metrics["new_language_share"] = _new_share(articles["language"], history["language"])
        if "source_domain" in history and "source_domain" in articles:
            metrics["new_source_share"] = _new_share(articles["source_domain"], history["source_domain"])
    return metrics
