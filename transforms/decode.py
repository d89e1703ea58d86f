"""Bytes to text: BOM, declared charset, detection when the declaration is missing or wrong, mojibake repair."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from transforms.text import fix_text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    repaired: bool  # ftfy changed something (mojibake, wrong declaration)


def looks_binary(data: bytes) -> bool:
    """Binary junk: NUL bytes (outside UTF-16/32 text) or a high share of control bytes in the head."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        # UTF-16 without BOM has NULs every other byte; let detection decide on that pattern.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) * 0.4 and min(even, odd) < len(head) * 0.05:
            return False
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.1


def _declared(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode bytes to text. Raises DecodeError(reason, detail) for binary or undecodable input."""
    if looks_binary(data):
        raise DecodeError("binary", "binary content (NUL or control bytes) in a text file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data[len(bom):].decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"{enc} BOM but invalid {enc}: {exc}") from exc
    candidates: list[str] = ["utf-8"]
    declared = _declared(data)
    if declared and declared not in candidates:
        candidates.append(declared)
    for enc in candidates:
        try:
            return _finish(data.decode(enc), enc)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return _finish(data.decode(best.encoding), best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    # Last resort: cp1252 maps almost every byte; mis-decoded bytes beat losing the article.
    try:
        return _finish(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:
        raise DecodeError("undecodable", f"no encoding fits: {exc}") from exc


def _finish(text: str, encoding: str) -> Decoded:
    fixed = fix_text(text)
    if "\x00" in fixed:
        raise DecodeError("binary", "NUL characters in decoded text")
    return Decoded(fixed, encoding, fixed != text)
