"""Entity stage: the sample article's expectations (../shared/gold/seed_expected.json), one test per rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.canonical import canonical_key, normalize_name
from transforms.entities import extract_entities, load_ner
from transforms.entity_rules import fix_type, repair_span
from transforms.records import ENTITY_TYPES, Entity

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "000_d89afe0183712226.txt"
EXPECTED = json.loads((SHARED / "gold" / "seed_expected.json").read_text(encoding="utf-8"))


def run(title: str, body: str = "") -> list[Entity]:
    text = title + "\n\n" + body if body else title
    return extract_entities(load_ner()(text), len(title) if body else 0)


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


@pytest.fixture(scope="module")
def seed_entities() -> list[Entity]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    title = lines[0].strip()
    body = "\n".join(lines[1:]).strip()
    body = body[: body.rfind("Original Source:")].rstrip()
    return run(title, body)


# --- the sample article -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "name"), [(t, n) for t, names in EXPECTED["entities"].items() for n in names]
)
def test_seed_entity_present_and_typed(seed_entities: list[Entity], type_: str, name: str) -> None:
    ents = by_name(seed_entities)
    assert name in ents, sorted(ents)
    assert ents[name].type == type_


@pytest.mark.parametrize(("name", "alias"), [(n, a) for n, al in EXPECTED["aliases"].items() for a in al])
def test_seed_alias_merged(seed_entities: list[Entity], name: str, alias: str) -> None:
    ent = by_name(seed_entities)[name]
    assert alias in {m.text for m in ent.mentions}
    others = [e.name for e in seed_entities if e.name != name and alias in {m.text for m in e.mentions}]
    assert not others


def test_seed_no_bogus_entities(seed_entities: list[Entity]) -> None:
    surfaces = {m.text for e in seed_entities for m in e.mentions} | {e.name for e in seed_entities}
    for bad in EXPECTED["must_not_be_entities"]:
        assert bad not in surfaces
    persons = {m.text for e in seed_entities if e.type == "person" for m in e.mentions}
    for bad in EXPECTED["must_not_be_persons"]:
        assert bad not in persons


def test_seed_mentions_index_text(seed_entities: list[Entity]) -> None:
    text = SEED.read_text(encoding="utf-8").split("\n")[0].strip()
    assert all(e.type in ENTITY_TYPES for e in seed_entities)
    # every mention's offsets reproduce its text (checked on the title's "Syria")
    syria = by_name(seed_entities)["Syria"].mentions[0]
    assert (syria.start, syria.end) == (0, 5) and text[:5] == "Syria"


# --- span repair --------------------------------------------------------------------------------


def repaired(text: str, surface: str, type_: str) -> list[tuple[str, str]]:
    i = text.index(surface)
    return [(sp.text(text), sp.type) for sp in repair_span(text, i, i + len(surface), type_)]


def test_possessive_stripped_typographic_and_ascii() -> None:
    assert repaired("met al-Shaibani\u2019s aide", "al-Shaibani\u2019s", "person") == [
        ("al-Shaibani", "person")
    ]
    assert repaired("the Ministry's plan", "Ministry's", "organization") == [("Ministry", "organization")]
    assert repaired("the States' rights", "States'", "location") == [("States", "location")]


def test_leading_lowercase_words_and_article_dropped() -> None:
    assert repaired("This visit marks al-Shaibani\u2019s first", "marks al-Shaibani\u2019s", "person") == [
        ("al-Shaibani", "person")
    ]
    assert repaired("with the United States and", "the United States", "location") == [
        ("United States", "location")
    ]


def test_name_particles_kept() -> None:
    assert repaired("said de Gaulle today", "de Gaulle", "person") == [("de Gaulle", "person")]


def test_titles_and_nationality_kept_out_of_person_names() -> None:
    text = "by Iraqi Prime Minister Mohammed Shia al-Sudani regarding"
    assert repaired(text, "Iraqi Prime Minister Mohammed Shia al-Sudani", "person") == [
        ("Mohammed Shia al-Sudani", "person")
    ]
    assert repaired("when President Joe Biden said", "President Joe Biden", "person") == [
        ("Joe Biden", "person")
    ]


def test_punctuation_trimmed_but_abbreviation_dot_kept() -> None:
    assert repaired('he said "NATO," then', '"NATO,"', "organization") == [("NATO", "organization")]
    assert repaired("in the U.S. today", "U.S.", "location") == [("U.S.", "location")]


def test_span_cut_at_line_break_and_unclosed_bracket() -> None:
    text = "the International Space Station\nImage: NASA"
    assert repaired(text, "International Space Station\nImage", "location") == [
        ("International Space Station", "location")
    ]
    text = "the World Health Organisation (WHO) said"
    assert repaired(text, "World Health Organisation (WHO", "organization") == [
        ("World Health Organisation", "organization")
    ]


def test_merged_possessive_span_split() -> None:
    text = "the elimination of IS\u2019s Abdullah Makki Muslih al-Rufayi, regarded"
    assert repaired(text, "IS\u2019s Abdullah Makki Muslih al-Rufayi", "organization") == [
        ("IS", "organization"),
        ("Abdullah Makki Muslih al-Rufayi", "person"),
    ]


def test_split_keeps_organisation_on_the_right() -> None:
    text = "said Iraq's Foreign Ministry on"
    spans = repaired(text, "Iraq's Foreign Ministry", "organization")
    assert spans[-1] == ("Foreign Ministry", "organization")


def test_group_words_are_groups() -> None:
    assert fix_type("Alawite", "person") == "group"
    assert fix_type("Shiite Muslim", "organization") == "group"
    assert fix_type("Maronite", "person") == "group"  # the "-ite" rule, not the list
    assert fix_type("Fuad Hussein", "person") == "person"


def test_curated_type_wins() -> None:
    assert fix_type("U.S.", "organization") == "location"
    assert fix_type("UN", "location") == "organization"


# --- document level -----------------------------------------------------------------------------


def test_unlabelled_occurrences_tagged_with_majority_type() -> None:
    ents = run(
        "Talks in Geneva",
        "Angela Merkel met Emmanuel Macron in Berlin. Later Merkel spoke. Merkel left Berlin on Monday.",
    )
    merkel = by_name(ents)["Angela Merkel"]
    assert merkel.type == "person"
    assert len(merkel.mentions) == 3


def test_ordinary_capitalised_word_not_propagated() -> None:
    from transforms.entities import _propagatable

    text = "White said the white house was old. White left."
    assert not _propagatable(text, "White")
    assert not _propagatable("He met May in May.", "May")
    assert not _propagatable("La Traviata and more", "La Traviata and")
    assert _propagatable(text + " Angela Merkel", "Angela Merkel")


def test_dangling_function_words_dropped() -> None:
    assert repaired("saw La Traviata and Tosca", "La Traviata and", "work") == [("La Traviata", "work")]


def test_acronym_definition_and_later_use() -> None:
    ents = run(
        "Fighting continues",
        "Troops fought the Islamic State (IS) group near Mosul. It is said a senior IS leader was killed.",
    )
    isl = by_name(ents)["Islamic State"]
    assert isl.type == "organization"
    assert [m.text for m in isl.mentions].count("IS") == 2


def test_acronym_matches_initials_of_expansion() -> None:
    ents = run(
        "Vote",
        "The Democratic Unionist Party said on Monday it would vote. The DUP leader Arlene Foster agreed.",
    )
    dup = [e for e in ents if "DUP" in {m.text for m in e.mentions}]
    assert dup and dup[0].name == "Democratic Unionist Party"


def test_curated_aliases_merge_within_article() -> None:
    ents = run("Trade", "The United States and China met. U.S. officials said the US would act.")
    us = by_name(ents)["United States"]
    assert {m.text for m in us.mentions} >= {"United States", "U.S.", "US"}


def test_short_forms_resolve_to_unique_full_name() -> None:
    ents = run(
        "Meeting",
        "Prime Minister Mohammed Shia al-Sudani spoke. Later al-Sudani said more. Mr. Sudani left.",
    )
    sudani = by_name(ents)["Mohammed Shia al-Sudani"]
    assert {m.text for m in sudani.mentions} >= {"al-Sudani", "Sudani"}


def test_ambiguous_surname_not_merged() -> None:
    ents = run("Final", "Serena Williams beat Venus Williams in London. Williams said she was tired.")
    names = by_name(ents)
    assert "Serena Williams" in names and "Venus Williams" in names
    for full in ("Serena Williams", "Venus Williams"):
        assert "Williams" not in {m.text for m in names[full].mentions}


def test_portfolio_in_title_is_not_an_organisation() -> None:
    ents = run("Policy", "On Wednesday, Home Secretary Suella Braverman told MPs about the plan.")
    assert "Home" not in by_name(ents)


def test_all_caps_headline_retagged_from_body() -> None:
    ents = run("ANGELA MERKEL VISITS PARIS", "Angela Merkel travelled to Paris on Monday to meet officials.")
    merkel = by_name(ents)["Angela Merkel"]
    assert merkel.mentions[0].text == "ANGELA MERKEL"


# --- cross-article key --------------------------------------------------------------------------


def test_canonical_key_merges_variants_not_surnames() -> None:
    assert canonical_key("U.S.", "location") == canonical_key("the United States", "location")
    assert canonical_key("UN", "organization") == canonical_key("United Nations", "organization")
    assert canonical_key("Britain", "location") == canonical_key("UK", "location")
    assert canonical_key("Bashar al-Assad", "person") == canonical_key("Bashar Al Assad", "person")
    assert canonical_key("Fran\u00e7ois Hollande", "person") == canonical_key("Francois Hollande", "person")
    assert canonical_key("Assad", "person") != canonical_key("Bashar al-Assad", "person")
    assert canonical_key("Jordan", "person") != canonical_key("Jordan", "location")


def test_normalize_name_handles_apostrophes_and_dashes() -> None:
    assert normalize_name("al\u2011Shaibani\u2019s") == normalize_name("al-Shaibani")


def test_empty_and_entity_free_text() -> None:
    assert extract_entities(load_ner()(""), 0) == []
    assert run("nothing here", "just lowercase words without names.") == []


def test_mention_offsets_reproduce_text() -> None:
    title = "Merkel meets Macron"
    body = "Angela Merkel met Emmanuel Macron in Berlin. The U.S. and the UN were absent."
    text = title + "\n\n" + body
    for ent in run(title, body):
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text
