"""The audit gate: one crafted bad batch per expectation, each failing for the right reason.

Row-level expectations must remove exactly the offending rows (with cascades) and report the failed
expectation with the offending value; batch-level ones must fail the run with a reason naming them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from expectations.gate import AuditResult, BatchStats, GateThresholds, RemovalPlan, audit
from flows.settings import Settings

NOW = datetime(2025, 6, 1, tzinfo=UTC)
N = 6


def good_frames(n: int = N) -> dict[str, pd.DataFrame]:
    """A clean batch: n articles, each linked to a person and an organization, each with a figure."""
    ids = [f"a{i}" for i in range(n)]
    articles = pd.DataFrame({
        "article_id": ids,
        "source_path": [f"in/{i}.txt" for i in range(n)],
        "title": [f"Title number {i}" for i in range(n)],
        "summary": ["A summary."] * n,
        "body": [f"Body of article {i}, long enough to pass the minimum." for i in range(n)],
        "url": [None] * n,
        "source_domain": ["example.com"] * n,
        "authors": [["Jane Doe"]] * n,
        "published_at": pd.to_datetime(["2024-03-01T12:00:00Z"] * n, utc=True),
        "language": ["en"] * n,
        "content_hash": [f"h{i}" for i in range(n)],
        "flags": [[]] * n,
    })
    entities = pd.DataFrame({
        "entity_id": ["e1", "e2", "e3"],
        "name": ["Jane Doe", "Acme Corp", "Springfield"],
        "type": ["person", "organization", "location"],
    })
    links = pd.DataFrame({
        "article_id": ids + ids + ["a0"],
        "entity_id": ["e1"] * n + ["e2"] * n + ["e3"],
        "mentions": [1] * (2 * n + 1),
    })
    figures = pd.DataFrame({
        "figure_id": [f"f{i}" for i in range(n)],
        "article_id": ids,
        "value": [float(10 * (i + 1)) for i in range(n)],
        "unit": [None] * n,
        "object": ["civilians"] * n,
        "category": ["killed"] * n,
        "qualifier": [">"] * n,
        "surface": ["over 10 civilians"] * n,
    })
    return {"articles": articles, "entities": entities, "article_entities": links, "figures": figures}


def good_stats(n: int = N) -> BatchStats:
    return BatchStats(files_new=n, files_quarantined=0, articles_new=n)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


def run(reports: Path, frames: dict[str, pd.DataFrame], stats: BatchStats | None = None,
        history: pd.DataFrame | None = None, docs: bool = False, **thresholds: float) -> AuditResult:
    limits = GateThresholds.from_settings(Settings(**thresholds))  # type: ignore[arg-type]
    return audit(frames, stats or good_stats(), limits, reports, "test-run", history=history, now=NOW, docs=docs)


def test_good_batch_passes(reports: Path) -> None:
    frames = good_frames()
    result = run(reports, frames)
    assert result.success, result.failed
    assert result.row_failures == [] and result.failed == []
    assert result.reason() == "validation passed"
    assert {t: len(df) for t, df in result.frames.items()} == {t: len(df) for t, df in frames.items()}


# --- row level: (expectation, mutation, expected row failures {(expectation, key, value)}) ---------------

Mutation = Callable[[dict[str, pd.DataFrame]], None]


def _set(table: str, row: int, column: str, value: object) -> Mutation:
    def mutate(f: dict[str, pd.DataFrame]) -> None:
        f[table][column] = f[table][column].astype(object)
        f[table].at[row, column] = value
    return mutate


def _append(table: str, row: dict[str, object]) -> Mutation:
    def mutate(f: dict[str, pd.DataFrame]) -> None:
        f[table] = pd.concat([f[table], pd.DataFrame([row])], ignore_index=True)
    return mutate


def _percent_out_of_range(f: dict[str, pd.DataFrame]) -> None:
    _set("figures", 3, "category", "percent")(f)
    _set("figures", 3, "value", 5e7)(f)


ROW_CASES: list[tuple[str, Mutation, set[tuple[str, str, str]]]] = [
    ("articles.article_id_not_null", _set("articles", 0, "article_id", None), {
        ("articles.article_id_not_null", "(null)", "null"),
        # a0's links and figure now point at nothing: the reference checks say so too.
        ("article_entities.article_id_references_article", "a0/e1", "a0"),
        ("article_entities.article_id_references_article", "a0/e2", "a0"),
        ("article_entities.article_id_references_article", "a0/e3", "a0"),
        ("figures.article_id_references_article", "f0", "a0"),
    }),
    ("articles.article_id_unique", _set("articles", 1, "article_id", "a0"), {
        ("articles.article_id_unique", "a0", "a0"),
        # a1 no longer exists, so its links and figure dangle.
        ("article_entities.article_id_references_article", "a1/e1", "a1"),
        ("article_entities.article_id_references_article", "a1/e2", "a1"),
        ("figures.article_id_references_article", "f1", "a1"),
    }),
    ("articles.title_not_null", _set("articles", 2, "title", None),
     {("articles.title_not_null", "a2", "null")}),
    ("articles.title_not_blank", _set("articles", 2, "title", "  \n "),
     {("articles.title_not_blank", "a2", "  \n ")}),
    ("articles.body_length_within_bounds (short)", _set("articles", 3, "body", "tiny"),
     {("articles.body_length_within_bounds", "a3", "4")}),
    ("articles.body_length_within_bounds (long)", _set("articles", 3, "body", "x" * 2_000_001),
     {("articles.body_length_within_bounds", "a3", "2000001")}),
    ("articles.language_code_format", _set("articles", 4, "language", "EN"),
     {("articles.language_code_format", "a4", "EN")}),
    ("articles.published_at_not_in_future", _set("articles", 5, "published_at",
                                                  pd.Timestamp("2025-07-01", tz="UTC")),
     {("articles.published_at_not_in_future", "a5", "2025-07-01 00:00:00+00:00")}),
    ("articles.published_at_not_before_1900", _set("articles", 5, "published_at",
                                                    pd.Timestamp("1850-01-01", tz="UTC")),
     {("articles.published_at_not_before_1900", "a5", "1850-01-01 00:00:00+00:00")}),
    ("entities.entity_id_not_null", _set("entities", 2, "entity_id", None), {
        ("entities.entity_id_not_null", "(null)", "null"),
        ("article_entities.entity_id_references_entity", "a0/e3", "e3"),
    }),
    ("entities.entity_id_unique", _set("entities", 2, "entity_id", "e1"),
     {("entities.entity_id_unique", "e1", "e1"),
      ("article_entities.entity_id_references_entity", "a0/e3", "e3")}),
    ("entities.name_not_null", _set("entities", 1, "name", None), {("entities.name_not_null", "e2", "null")}),
    ("entities.name_not_blank", _set("entities", 1, "name", ""), {("entities.name_not_blank", "e2", "")}),
    ("entities.type_allowed", _set("entities", 0, "type", "PERSON"),
     {("entities.type_allowed", "e1", "PERSON")}),
    ("entities.type_not_null", _set("entities", 0, "type", None), {("entities.type_not_null", "e1", "null")}),
    ("article_entities.article_id_not_null", _set("article_entities", 0, "article_id", None),
     {("article_entities.article_id_not_null", "(null)/e1", "null")}),
    ("article_entities.entity_id_not_null", _set("article_entities", 0, "entity_id", None),
     {("article_entities.entity_id_not_null", "a0/(null)", "null")}),
    ("article_entities.link_unique", _append("article_entities", {"article_id": "a1", "entity_id": "e1",
                                                                  "mentions": 2}),
     {("article_entities.link_unique", "a1/e1", "e1")}),
    ("article_entities.mentions_positive", _set("article_entities", 1, "mentions", 0),
     {("article_entities.mentions_positive", "a1/e1", "0")}),
    ("article_entities.article_id_references_article", _set("article_entities", 1, "article_id", "zz"),
     {("article_entities.article_id_references_article", "zz/e1", "zz")}),
    ("article_entities.entity_id_references_entity", _set("article_entities", 1, "entity_id", "ezz"),
     {("article_entities.entity_id_references_entity", "a1/ezz", "ezz")}),
    ("figures.figure_id_not_null", _set("figures", 0, "figure_id", None),
     {("figures.figure_id_not_null", "(null)", "null")}),
    ("figures.figure_id_unique", _set("figures", 1, "figure_id", "f0"),
     {("figures.figure_id_unique", "f0", "f0")}),
    ("figures.article_id_not_null", _set("figures", 1, "article_id", None),
     {("figures.article_id_not_null", "f1", "null")}),
    ("figures.article_id_references_article", _set("figures", 1, "article_id", "zz"),
     {("figures.article_id_references_article", "f1", "zz")}),
    ("figures.value_not_null", _set("figures", 2, "value", math.nan),
     {("figures.value_not_null", "f2", "null")}),
    ("figures.value_finite", _set("figures", 2, "value", math.inf), {("figures.value_finite", "f2", "inf")}),
    ("figures.value_within_category_range (negative toll)", _set("figures", 3, "value", -5.0),
     {("figures.value_within_category_range", "f3", "killed=-5 (allowed 0..1e+08)")}),
    ("figures.value_within_category_range (percent)", _percent_out_of_range,
     {("figures.value_within_category_range", "f3", "percent=5e+07 (allowed -1000..1e+06)")}),
    ("figures.category_not_null", _set("figures", 4, "category", None),
     {("figures.category_not_null", "f4", "null")}),
    ("figures.category_allowed", _set("figures", 4, "category", "casualties"),
     {("figures.category_allowed", "f4", "casualties")}),
    ("figures.qualifier_allowed", _set("figures", 5, "qualifier", "about"),
     {("figures.qualifier_allowed", "f5", "about")}),
    ("figures.qualifier_not_null", _set("figures", 5, "qualifier", None),
     {("figures.qualifier_not_null", "f5", "null")}),
]


@pytest.mark.parametrize(("case", "mutate", "expected"), ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_row_expectation_quarantines_rows(reports: Path, case: str, mutate: Mutation,
                                          expected: set[tuple[str, str, str]]) -> None:
    frames = good_frames()
    mutate(frames)
    result = run(reports, frames)
    got = {(r.expectation, r.key, r.value) for r in result.row_failures}
    assert got == expected
    # Row problems do not fail the batch; they are listed as "row" failures with samples.
    assert result.success, result.reason()
    names = {f.expectation for f in result.failed}
    assert names == {e[0] for e in expected}
    assert all(f.kind == "row" and f.sample_values for f in result.failed)
    # The offending rows are gone from what would be published.
    clean = result.frames
    assert clean["articles"]["article_id"].notna().all()
    assert clean["articles"]["article_id"].is_unique
    assert set(clean["article_entities"]["article_id"]) <= set(clean["articles"]["article_id"])
    assert set(clean["article_entities"]["entity_id"]) <= set(clean["entities"]["entity_id"])
    assert set(clean["figures"]["article_id"]) <= set(clean["articles"]["article_id"])


def test_failing_article_takes_its_links_and_figures(reports: Path) -> None:
    frames = good_frames()
    _set("articles", 0, "title", None)(frames)
    result = run(reports, frames)
    clean = result.frames
    # one plan, cascade worked out: a0's links and figure, and e3, linked only from a0
    assert result.plan == RemovalPlan(articles=frozenset({"a0"}), entities=frozenset({"e3"}),
                                      links=frozenset({("a0", "e1"), ("a0", "e2"), ("a0", "e3")}),
                                      figures=frozenset({"f0"}))
    assert "a0" not in set(clean["articles"]["article_id"])
    assert "a0" not in set(clean["article_entities"]["article_id"])
    assert "a0" not in set(clean["figures"]["article_id"])
    # e3 was linked only from a0: published alone it would be an orphan, so it goes too.
    assert list(clean["entities"]["entity_id"]) == ["e1", "e2"]
    assert len(clean["figures"]) == N - 1 and len(clean["articles"]) == N - 1


def test_failing_figure_or_entity_removes_only_itself_and_its_links(reports: Path) -> None:
    frames = good_frames()
    _set("figures", 1, "qualifier", "roughly")(frames)
    _set("entities", 1, "type", "company")(frames)
    clean = run(reports, frames).frames
    assert len(clean["articles"]) == N
    assert list(clean["figures"]["figure_id"]) == [f"f{i}" for i in range(N) if i != 1]
    assert "e2" not in set(clean["entities"]["entity_id"])
    assert "e2" not in set(clean["article_entities"]["entity_id"])
    assert len(clean["article_entities"]) == N + 1


# --- batch level --------------------------------------------------------------------------------------------

def test_min_articles_per_run_fails_the_batch(reports: Path) -> None:
    frames = good_frames(1)
    result = run(reports, frames, BatchStats(files_new=1, files_quarantined=0, articles_new=1),
                 min_articles_per_run=1000)
    assert not result.success
    assert result.reason() == "validation failed: batch.min_articles_per_run (expect >= 1000, got 1)"
    assert result.failed_names == ["batch.min_articles_per_run"]


def test_min_articles_counts_articles_that_pass_row_checks(reports: Path) -> None:
    frames = good_frames(1)
    _set("articles", 0, "body", "")(frames)
    result = run(reports, frames, BatchStats(files_new=1, files_quarantined=0, articles_new=1))
    assert result.failed_names == ["batch.min_articles_per_run"]
    assert "got 0" in result.reason()


def test_rerun_with_nothing_new_passes(reports: Path) -> None:
    empty = {t: df.iloc[0:0] for t, df in good_frames().items()}
    result = run(reports, empty, BatchStats(files_new=0, files_quarantined=0, articles_new=0),
                 min_articles_per_run=5)
    assert result.success, result.reason()
    # Every new file a duplicate of published content is also "nothing new".
    result = run(reports, {}, BatchStats(files_new=2, files_quarantined=0, articles_new=0, files_duplicate=2))
    assert result.success, result.reason()


def test_max_quarantine_ratio_fails_the_batch(reports: Path) -> None:
    result = run(reports, good_frames(), BatchStats(files_new=20, files_quarantined=14, articles_new=N))
    assert result.failed_names == ["batch.max_quarantine_ratio"]
    assert result.reason() == "validation failed: batch.max_quarantine_ratio (expect <= 0.5, got 0.7)"


def test_max_no_entity_ratio_fails_the_batch(reports: Path) -> None:
    frames = good_frames()
    frames["article_entities"] = frames["article_entities"][frames["article_entities"]["article_id"] == "a0"]
    result = run(reports, frames)
    assert result.failed_names == ["batch.max_no_entity_ratio"]
    assert "expect <= 0.5, got 0.833" in result.reason()


def _history(n: int, language: str = "en", domain: str = "example.com") -> pd.DataFrame:
    return pd.DataFrame({"language": [language] * n, "source_domain": [domain] * n})


def test_max_new_language_share_fails_against_history(reports: Path) -> None:
    frames = good_frames()
    frames["articles"]["language"] = ["fr", "fr", "fr", "fr", "en", "en"]
    result = run(reports, frames, history=_history(50))
    assert result.failed_names == ["batch.max_new_language_share"]
    assert "got 0.667" in result.reason()
    # Without enough history there is no distribution to compare with: not applicable.
    assert run(reports, frames, history=_history(5)).success
    assert run(reports, frames, history=None).success


def test_new_source_share_only_warns(reports: Path) -> None:
    result = run(reports, good_frames(), history=_history(50, domain="other.org"))
    assert result.success, result.reason()
    assert [(f.expectation, f.kind) for f in result.failed] == [("batch.new_source_share", "warning")]


def test_data_docs_name_the_failed_expectation(reports: Path) -> None:
    result = run(reports, good_frames(1), BatchStats(1, 0, 1), docs=True, min_articles_per_run=1000)
    assert result.docs_index is not None and result.docs_index.exists()
    page = result.docs_pages["batch"].read_text()
    assert "batch.min_articles_per_run" in page
    assert set(result.docs_pages) == {"articles", "entities", "article_entities", "figures", "batch"}
