"""Text normalisation shared by every reader: Unicode, whitespace, paragraphs, hashes, language.

The normalised text is what gets hashed, so two copies of a story that differ only in encoding,
line endings or spacing hash the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

import ftfy

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_WORD = re.compile(r"\w+")


def fix_text(text: str) -> str:
    """Repair mojibake and normalise to NFC. Typographic quotes stay as they are (offsets and
    verbatim titles matter); downstream rules treat ’ and ' alike."""
    text = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=True,
        fix_character_width=True,
        normalization="NFC",
    )
    return text


def clean_line(line: str) -> str:
    line = _CONTROL.sub("", line)
    return _SPACES.sub(" ", line).strip()


def normalise_block(text: str) -> str:
    """Normalise a block of text: control characters gone, runs of spaces collapsed, lines trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [clean_line(line) for line in text.split("\n")]
    return "\n".join(lines).strip()


def paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs at blank lines; single newlines stay inside a paragraph block."""
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


def join_paragraphs(paras: list[str]) -> str:
    return "\n\n".join(p for p in paras if p)


def compose_text(title: str, body: str) -> str:
    """The string entity and figure offsets index: title, blank line, body."""
    return f"{title}\n\n{body}" if title else body


def hash_key(text: str) -> str:
    """Canonical form for exact-duplicate hashing: casefolded words only, so spacing and punctuation
    differences between copies don't matter."""
    return " ".join(_WORD.findall(text.casefold()))


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(hash_key(body or title).encode("utf-8")).hexdigest()


def stable_id(*parts: str | None, length: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@cache
def _langid():  # type: ignore[no-untyped-def]
    import py3langid

    return py3langid


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:1500]  # a paragraph or two decides the language; the whole text costs 3x for nothing
    if word_count(sample) < 3:
        return None
    lang, _score = _langid().classify(sample)
    return str(lang)
