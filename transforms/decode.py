"""Bytes to text: BOM, declared charset, detection when the declaration is missing or wrong, mojibake repair.

Order of trust: a BOM; strict UTF-8 (most text is UTF-8 whatever it declares); the declared charset; then,
for bytes that are neither, a Windows-1252 reading when the non-ASCII bytes are few (Western text with a
handful of accents or smart quotes, where statistical detectors guess badly) and charset-normalizer when
they are many (Greek, Cyrillic, CJK). Invalid bytes inside otherwise valid UTF-8 are read as Windows-1252,
the usual cause (cp1252 text pasted into a UTF-8 page). No decoder here ever substitutes U+FFFD, so
accepted text holds U+FFFD only when the source does.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer
import ftfy
from ftfy import chardata
from ftfy.badness import BADNESS_RE

from transforms.reasons import InputError, Reason

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
# Declarations that cannot describe ASCII-compatible bytes the regexes above could read.
_WIDE = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
# Labels that in practice mean Windows-1252 (the WHATWG encoding standard maps them so).
_AS_CP1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}
# Share of non-ASCII among non-space bytes below which undeclared, non-UTF-8 bytes are read as cp1252.
# Western-European prose stays under ~5%; single-byte Greek/Cyrillic and CJK run at 40-90%.
_WESTERN_HIGH_SHARE = 0.15
# A well-formed UTF-8 multi-byte sequence; when these carry most non-ASCII bytes, the text is UTF-8 with
# strays.
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

# transforms.text.fix_text's settings, as a config for the line-by-line fast path below; with entity
# unescaping off for what follows the first '<' (ftfy's "auto" switches it off there for good).
_FTFY = ftfy.TextFixerConfig(explain=False, uncurl_quotes=False, fix_latin_ligatures=True,
                             fix_character_width=True, normalization="NFC")
_FTFY_MARKUP = _FTFY._replace(unescape_html=False)
# A character some ftfy step may change; a line without one (printable ASCII and tabs) is left as it is.
# Before the first '<', '&' counts too (an entity ftfy would unescape).
_FTFY_WORK = re.compile(r"[^\t\n\x20-\x7e]")
_CRLF = re.compile(r"(?<!\r)\r\n")
# Characters that one of fix_text's character-level steps rewrites: C1 controls, ligatures, full/half width
# forms, control characters and terminal escapes, line breaks other than \n, lone surrogates.
_FTFY_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(
    {*range(0x80, 0xA0), *chardata.LIGATURES, *chardata.WIDTH_MAP, *chardata.CONTROL_CHARS,
     0x0D, 0x1B, 0x85, 0x2028, 0x2029})) + "\ud800-\udfff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Every alternative of ftfy's mojibake pattern holds a non-ASCII character and spans at most 7 characters.
_BADNESS_REACH = 6
_FTFY_WORK_OR_ENTITY = re.compile(r"[^\t\n\x20-\x25\x27-\x7e]")


def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return ""  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: unassigned in cp1252, C1 controls elsewhere; drop


_CP1252_TABLE = tuple(_cp1252_char(b) for b in range(256))


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the offending bytes as Windows-1252 instead of failing or writing U+FFFD."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_CP1252_TABLE[b] for b in bad), exc.end


def _drop(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "", exc.end


codecs.register_error("newsetl_cp1252", _cp1252_fallback)
codecs.register_error("newsetl_drop", _drop)


class DecodeError(InputError):
    """Bytes that are no text (`binary`). Anything else decodes: a last-resort cp1252 reading is flagged
    `encoding_repaired` rather than refused, so there is no `undecodable` reason."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    repaired: bool  # ftfy changed something, or bytes were read with a fallback (mojibake, wrong declaration)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16/32 without a BOM: NULs in every other byte (3 of 4 for UTF-32) for Latin script; their place
    says the byte order."""
    if len(head) < 4:
        return None
    quarter = [head[i::4].count(0) for i in range(4)]
    n = len(head) / 4
    if min(quarter[0:3]) > n * 0.9 and quarter[3] < n * 0.1:
        return "utf-32-be"
    if min(quarter[1:4]) > n * 0.9 and quarter[0] < n * 0.1:
        return "utf-32-le"
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) * 0.4 and even < len(head) * 0.05:
        return "utf-16-le"
    if even > len(head) * 0.4 and odd < len(head) * 0.05:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """Binary junk: NUL bytes (outside UTF-16/32 text) or a high share of control bytes in the head."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return _utf16_without_bom(head) is None
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.1


def declared_encoding(data: bytes) -> str | None:
    """The charset named by an XML declaration or HTML meta tag in the head, as a Python codec name."""
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, repair: bool = True) -> Decoded:
    """Decode bytes to text. Raises DecodeError (reason `binary`) for binary input; everything else decodes.

    repair=False skips the ftfy pass: for structured formats (JSON, XML) whose readers repair each field,
    since ftfy on the raw document would unescape `&quot;` inside a JSON string and break the line.
    """
    if looks_binary(data):
        raise DecodeError(Reason.BINARY, "binary content (NUL or control bytes) in a text file")
    text, encoding, forced = _read(data)
    fixed = repair_text(text) if repair else text
    if "\x00" in fixed:
        raise DecodeError(Reason.BINARY, "NUL characters in decoded text")
    return Decoded(fixed, encoding, forced or fixed != text)


def repair_text(text: str) -> str:
    """transforms.text.fix_text, same output, with ftfy run only on the lines it could change.

    ftfy works line by line anyway, and most lines of a web page are ASCII markup and script it leaves
    alone, at ~0.1 ms a line: 43% of parse_html's time on the trafilatura-eval pages went there."""
    # CRLF is all ftfy changes on most lines of a Windows-saved page; its line-break fix does the same
    # ('\r\r\n' is left to ftfy, which makes two breaks of it).
    text = _CRLF.sub("\n", text)
    first_lt = text.find("<")
    head_end = len(text) if first_lt < 0 else text.find("\n", first_lt) + 1 or len(text)
    return (_fix_lines(text, 0, head_end, _FTFY, _FTFY_WORK_OR_ENTITY)
            + _fix_lines(text, head_end, len(text), _FTFY_MARKUP, _FTFY_WORK))


def _fix_lines(text: str, start: int, end: int, config: ftfy.TextFixerConfig, work: re.Pattern[str]) -> str:
    """text[start:end] (start at a line start) with ftfy run on each line holding a `work` character."""
    out: list[str] = []
    pos = start
    while (m := work.search(text, pos, end)) is not None:
        line_start = text.rfind("\n", pos, m.start()) + 1 or pos
        line_end = text.find("\n", m.start(), end) + 1 or end
        out.append(text[pos:line_start])
        line = text[line_start:line_end]
        entities = config.unescape_html == "auto" and "<" not in line
        out.append(ftfy.fix_text(line, config) if entities or _ftfy_may_change(line) else line)
        pos = line_end
    out.append(text[pos:end])
    return "".join(out)


def _ftfy_may_change(line: str) -> bool:
    """False when no step of fix_text (entities aside) would change the line: no character a step rewrites,
    already NFC, and no mojibake by ftfy's own test (which otherwise scans the whole of a long script line)."""
    return bool(_FTFY_CHARS.search(line)) or not unicodedata.is_normalized("NFC", line) or _looks_bad(line)


def _looks_bad(line: str) -> bool:
    """ftfy.badness.is_bad(line), searched only near the non-ASCII runs every match must touch."""
    start = end = -1
    for m in _NON_ASCII.finditer(line):
        a, b = max(0, m.start() - _BADNESS_REACH), m.end() + _BADNESS_REACH
        if a > end >= 0:
            if BADNESS_RE.search(line, start, end):
                return True
            start = a
        elif start < 0:
            start = a
        end = b
    return start >= 0 and BADNESS_RE.search(line, start, end) is not None


def _read(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, read with a fallback) for bytes that passed the binary check."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, False
            except UnicodeDecodeError:
                # A BOM followed by some invalid bytes: keep the readable text rather than lose the file.
                return data[len(bom):].decode(enc, "newsetl_drop"), enc, True
    wide = _utf16_without_bom(data[:8192])
    if wide:
        try:
            return data.decode(wide), wide, False
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared and declared not in _WIDE and declared != "utf-8":
        if declared in _AS_CP1252:
            return data.decode("cp1252", "newsetl_cp1252"), "cp1252", declared != "cp1252"
        try:
            return data.decode(declared), declared, False
        except (UnicodeDecodeError, LookupError):
            pass
    share, utf8_share = _high_shares(data)
    if share < _WESTERN_HIGH_SHARE or utf8_share >= 0.5:
        # Mostly ASCII or mostly UTF-8: UTF-8 with stray cp1252 bytes, or plain cp1252/Latin-1.
        # One decoder reads both.
        return data.decode("utf-8", "newsetl_cp1252"), "utf-8+cp1252", True
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding, False
        except (UnicodeDecodeError, LookupError):
            pass
    if declared and declared not in _WIDE:
        try:
            return data.decode(declared, "newsetl_drop"), declared, True
        except LookupError:
            pass
    # Last resort: cp1252 maps almost every byte; mis-decoded bytes beat losing the article.
    return data.decode("cp1252", "newsetl_cp1252"), "cp1252", True


def _high_shares(data: bytes) -> tuple[float, float]:
    """(non-ASCII share of visible bytes, share of the non-ASCII bytes inside well-formed UTF-8 sequences)."""
    sample = data[:200_000]
    visible = len(sample) - sum(sample.count(c) for c in b" \t\r\n")
    high = len(sample) - len(sample.translate(None, bytes(range(0x80, 0x100))))
    if visible <= 0 or high == 0:
        return 0.0, 0.0
    in_utf8 = sum(len(m) for m in _UTF8_SEQ.findall(sample))
    return high / visible, in_utf8 / high
