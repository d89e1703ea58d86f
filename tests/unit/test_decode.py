"""Bytes to text (transforms/decode.py): BOMs, declarations, detection, stray cp1252 bytes, mojibake, binary."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.decode import DecodeError, decode_bytes

TEXT = "Café owner José Müller said the “deal” was worth €5m – a record for Zürich."


@pytest.mark.parametrize("bom,enc", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_bom_decides(bom: bytes, enc: str) -> None:
    d = decode_bytes(bom + TEXT.encode(enc))
    assert d.text == TEXT
    assert not d.text.startswith("\ufeff")


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom(enc: str) -> None:
    assert decode_bytes(TEXT.encode(enc)).text == TEXT


def test_cp1252_bytes_labelled_utf8() -> None:
    data = b'<?xml version="1.0" encoding="utf-8"?><p>' + TEXT.encode("cp1252") + b"</p>"
    d = decode_bytes(data)
    assert TEXT in d.text
    assert d.repaired


def test_utf8_with_stray_cp1252_bytes() -> None:
    data = TEXT.encode("utf-8") + b"\n\n" + "He said “no” to the 2½% rise.".encode("cp1252")
    d = decode_bytes(data)
    assert d.text.startswith(TEXT)
    assert d.text.endswith("He said “no” to the 2½% rise.")
    assert "\ufffd" not in d.text


def test_latin1_without_declaration() -> None:
    text = "Arsène Wenger paid £15.8m for the Ivorian forward, the club said on Thursday."
    assert decode_bytes(text.encode("latin-1")).text == text


def test_declared_latin1_reads_as_windows_1252() -> None:
    data = b'<meta charset="iso-8859-1"><p>' + "“Quoted” – and €10".encode("cp1252")
    assert "“Quoted” – and €10" in decode_bytes(data).text


def test_declared_legacy_multibyte() -> None:
    text = "新华社北京电 国务院总理今天在北京会见了来访的外国代表团。" * 3
    data = b'<?xml version="1.0" encoding="gb2312"?>\n<t>' + text.encode("gb2312") + b"</t>"
    assert text in decode_bytes(data).text


@pytest.mark.parametrize("enc,text", [
    ("koi8-r", "Президент России Владимир Путин прибыл в Москву во вторник утром. " * 3),
    ("cp1251", "Президент России Владимир Путин прибыл в Москву во вторник утром. " * 3),
    ("iso-8859-7", "Ο πρωθυπουργός της Ελλάδας επισκέφθηκε την Αθήνα την Τρίτη το πρωί. " * 3),
])
def test_undeclared_non_latin_single_byte_detected(enc: str, text: str) -> None:
    assert decode_bytes(text.encode(enc)).text == text


def test_double_encoded_utf8_is_repaired() -> None:
    text = "Café owner José Müller paid €5m – a record for Zürich."  # no byte unassigned in cp1252
    mojibake = text.encode("utf-8").decode("cp1252").encode("utf-8")
    d = decode_bytes(mojibake)
    assert d.text == text
    assert d.repaired


def test_repair_off_keeps_raw_text() -> None:
    line = '{"body": "He said &quot;hi&quot;"}'
    assert decode_bytes(line.encode(), repair=False).text == line


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03binary\x00\xff" * 50, bytes(range(256)) * 8])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data)
    assert exc.value.reason == "binary"


def test_true_replacement_character_is_kept() -> None:
    # The source itself holds U+FFFD: it stays (we never add one, we never hide one).
    assert decode_bytes("broken \ufffd glyph".encode()).text == "broken \ufffd glyph"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")), min_size=1),
       st.sampled_from(["utf-8", "cp1252", "utf-16", "utf-8-sig"]))
def test_no_replacement_character_ever_introduced(text: str, enc: str) -> None:
    try:
        d = decode_bytes(text.encode(enc))
    except DecodeError:
        return
    assert "\ufffd" not in d.text
