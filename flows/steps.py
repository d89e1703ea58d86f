"""Batch steps shared by the Prefect flow and `newsetl extract`: read + parse files, annotate articles.

Plain functions over batches; the flow wraps them in tasks, `extract` calls them directly. Each runs
well in a worker process: the spaCy model is loaded once per process and reused.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from flows.settings import Settings
from flows.sources import InputFile, file_hash, read_bytes
from transforms.articles import annotate, build_article
from transforms.dedup import signature, to_bytes
from transforms.ingest import ParseLimits, parse_file
from transforms.records import Article, Rejection


@dataclass(slots=True)
class FileOutcome:
    file: InputFile
    file_hash: str = ""
    unchanged: bool = False
    articles: list[Article] = field(default_factory=list)
    signatures: list[bytes] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StepConfig:
    """The part of Settings the worker steps need (small and picklable)."""

    max_file_bytes: int
    max_decompressed_bytes: int
    max_nlp_chars: int
    spacy_model: str
    nlp_batch_size: int

    @classmethod
    def from_settings(cls, s: Settings) -> StepConfig:
        return cls(s.max_file_bytes, s.max_decompressed_bytes, s.max_nlp_chars, s.spacy_model, s.nlp_batch_size)


def parse_files(files: list[InputFile], cfg: StepConfig, prior_hashes: dict[str, str] | None = None,
                with_signatures: bool = True) -> list[FileOutcome]:
    """Read and parse each file. A file whose bytes hash like its prior version is marked unchanged.
    One bad file never fails the batch: any error becomes a rejection against that file."""
    prior_hashes = prior_hashes or {}
    limits = ParseLimits(max_decompressed_bytes=cfg.max_decompressed_bytes)
    out: list[FileOutcome] = []
    for f in files:
        res = FileOutcome(f)
        out.append(res)
        data = read_bytes(f, cfg.max_file_bytes)
        if isinstance(data, Rejection):
            res.rejections.append(data)
            continue
        res.file_hash = file_hash(data)
        if prior_hashes.get(f.path) == res.file_hash:
            res.unchanged = True
            continue
        try:
            parsed = parse_file(data, f.path, f.path.rsplit("/", 1)[-1], limits)
            res.rejections.extend(parsed.rejections)
            for raw in parsed.articles:
                art = build_article(raw)
                if not art.body.strip() and not art.title.strip():
                    res.rejections.append(Rejection(f.path, "empty", "no text in article"))
                    continue
                res.articles.append(art)
                if with_signatures:
                    res.signatures.append(to_bytes(signature(art.body or art.title)))
        except Exception as exc:  # failure isolation: report against the input, keep the batch going
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            res.articles.clear()
            res.signatures.clear()
            res.rejections.append(Rejection(f.path, "parse_error", tb[:500]))
    return out


def annotate_articles(articles: list[Article], cfg: StepConfig) -> list[Article]:
    """Entities and figures for a batch, with the process's cached NER model."""
    from transforms.entities import load_ner

    if articles:
        annotate(articles, load_ner(cfg.spacy_model), cfg.max_nlp_chars, cfg.nlp_batch_size)
    return articles
