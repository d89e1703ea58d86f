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
    from transforms.entities import _WORDS, _propagatable

    def propagatable(text: str, surface: str) -> bool:
        return _propagatable(text, surface, set(_WORDS.findall(text)))

    text = "White said the white house was old. White left."
    assert not propagatable(text, "White")
    assert not propagatable("He met May in May.", "May")
    assert not propagatable("La Traviata and more", "La Traviata and")
    assert propagatable(text + " Angela Merkel", "Angela Merkel")


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


# --- layout and gazetteer rules (data/entity_rules.json) ------------------------------------------


def spans_of(text: str, spans: list) -> list[tuple[str, str]]:
    return [(sp.text(text), sp.type) for sp in spans]


def test_caps_line_restored_from_article_and_gazetteer() -> None:
    from transforms.entity_rules import caps_lines, restored_text

    text = "KENYA POLICE ARREST OKELLO IN MOMBASA\nPolice said Okello was held in the port city on Monday."
    regions = caps_lines(text)
    assert regions == [(0, 37)]
    restored = restored_text(text, regions)
    assert restored[:37] == "Kenya police arrest Okello in Mombasa"
    assert restored[37:] == text[37:] and len(restored) == len(text)


def test_caps_line_entities_found_by_ner_on_restored_copy() -> None:
    text = "NIGERIA SAYS ABACHA WILL MEET MANDELA\nLAGOS 1997-03-02\nGeneral Sani Abacha will meet Nelson Mandela."
    ents = extract_entities(load_ner()(text), 0)
    caps = {m.text: (e.name, e.type) for e in ents for m in e.mentions if m.start < text.index("\n")}
    assert caps == {"NIGERIA": ("NIGERIA", "location"), "ABACHA": ("Sani Abacha", "person"),
                    "MANDELA": ("Nelson Mandela", "person")}


def test_datelines() -> None:
    from transforms.entity_rules import dateline_spans

    t1 = "LONDON 1996-08-30\nShares fell."
    assert spans_of(t1, dateline_spans(t1)) == [("LONDON", "location")]
    t2 = "AL-AIN , United Arab Emirates 1996-12-06\nRain fell."
    assert spans_of(t2, dateline_spans(t2)) == [("AL-AIN", "location"), ("United Arab Emirates", "location")]
    t3 = "Intro.\nWASHINGTON, Aug 30 (Reuters) - Stocks rose."
    assert spans_of(t3, dateline_spans(t3)) == [("WASHINGTON", "location")]
    assert dateline_spans("SOCCER - RESULTS\nGoals came late.") == []


def test_results_table_rows() -> None:
    from transforms.entity_rules import result_row_spans

    text = "Results:\nManchester United 2 Arsenal 1\nGermany 2 Italy 1\nHe scored 2 goals in 1 game"
    assert spans_of(text, result_row_spans(text)) == [
        ("Manchester United", "organization"), ("Arsenal", "organization"),
        ("Germany", "location"), ("Italy", "location"),
    ]


def test_score_cut_from_team_name() -> None:
    assert repaired("putting Sweden 1 \u2013 0 up", "Sweden 1", "organization") == [("Sweden", "organization")]
    assert repaired("the Apollo 11 crew", "Apollo 11", "product") == [("Apollo 11", "product")]


def test_org_suffix_joins_the_name() -> None:
    from transforms.entity_rules import Span, extend_org_suffix

    text = "shares of Sumitomo Corp. fell while Broken Hill Proprietary Co Ltd rose"
    a = extend_org_suffix(text, Span(10, 18, "person"))
    assert (a.text(text), a.type) == ("Sumitomo Corp.", "organization")
    b = extend_org_suffix(text, Span(36, 59, "organization"))
    assert b.text(text) == "Broken Hill Proprietary Co Ltd"
    c = extend_org_suffix(text, Span(0, 6, "other"))
    assert c.text(text) == "shares"


def test_place_before_organisation_merged() -> None:
    from transforms.entities import _merge_orgs
    from transforms.entity_rules import Span

    text = "the Pakistan Muslim League and Iraq said"
    out = _merge_orgs(text, [Span(4, 12, "location"), Span(13, 26, "organization"), Span(31, 35, "location")])
    assert spans_of(text, out) == [("Pakistan Muslim League", "organization"), ("Iraq", "location")]


def test_event_names() -> None:
    from transforms.entity_rules import Span, event_type

    def ev(name: str) -> str | None:
        return event_type(name, Span(0, len(name), "organization"))

    assert ev("FIFA World Cup") == "event"
    assert ev("Fan Expo Canada 2016") == "event"
    assert ev("Taipei City Lantern Festival") == "event"
    assert ev("Royal Festival Hall") is None
    assert ev("World Bank") is None


def test_places_nested_in_names() -> None:
    from transforms.entity_rules import Span, nested_places

    text = "the University of Sheffield and Mexico City and Fan Expo Canada"
    uni = nested_places(text, Span(4, 27, "organization"))
    assert spans_of(text, uni) == [("Sheffield", "location")]
    assert nested_places(text, Span(32, 43, "location")) == []  # a place itself
    assert spans_of(text, nested_places(text, Span(48, 63, "event"))) == [("Canada", "location")]
    assert nested_places("Paris Hilton", Span(0, 12, "person")) == []


def test_untagged_gazetteer_places_added() -> None:
    from transforms.entity_rules import missed_places

    text = "Talks moved to New Zealand. Captain America won. He paid US$ 20. In Canada it rained."
    assert spans_of(text, missed_places(text, [])) == [("New Zealand", "location"), ("Canada", "location")]


def test_websites_are_products() -> None:
    assert fix_type("Gawker.com", "organization") == "product"
    assert fix_type("bbc.co.uk", "organization") == "product"
    assert fix_type("Gawker", "organization") == "organization"


def test_ordinary_word_opening_a_sentence_is_not_a_name() -> None:
    from transforms.entities import _ordinary_word
    from transforms.entity_rules import Span

    text = "Iodine is scarce. Salt with iodine helps. Ask Iodine Ltd. Canada agreed. canada"
    words = set(text.split())
    assert _ordinary_word(text, Span(0, 6, "person"), words)
    assert not _ordinary_word(text, Span(46, 52, "organization"), words)  # not at a sentence start
    assert not _ordinary_word(text, Span(58, 64, "location"), words)  # a gazetteer place
    assert not _ordinary_word(text, Span(0, 6, "person"), set())  # never written in lowercase


def test_common_word_read_as_a_person_is_dropped_anywhere_in_a_sentence() -> None:
    from transforms.entities import _WORDS, _ordinary_word
    from transforms.entity_rules import Span

    text = "Take enough iodine, WHO say. If Iodine deficiency grows, Mertens said. Later Mertens left."
    words = set(_WORDS.findall(text))
    iodine = text.index("Iodine")
    assert _ordinary_word(text, Span(iodine, iodine + 6, "person"), words)  # mid-sentence, also lowercase
    mertens = text.index("Mertens")
    assert not _ordinary_word(text, Span(mertens, mertens + 7, "person"), words)  # never lowercase
    assert not _ordinary_word(text, Span(iodine, iodine + 6, "organization"), words)  # persons only
    who = text.index("WHO")
    assert not _ordinary_word(text, Span(who, who + 3, "person"), words | {"who"})  # acronyms stay


def test_operations_are_events_and_time_zones_are_not_entities() -> None:
    from transforms.entity_rules import Span, event_type

    assert event_type("Operation Desert Storm", Span(0, 22, "organization")) == "event"
    assert event_type("Operation smile", Span(0, 15, "organization")) is None
    assert repaired("at 15:00 GMT on Monday", "GMT", "organization") == []


def test_curated_acronym_never_taken_as_initials() -> None:
    ents = run("Study", "The University of Sheffield led it. The US agency paid. Officials in the US agreed.")
    names = by_name(ents)
    assert names["United States"].type == "location"
    assert "University of Sheffield" not in {m.text for m in names["United States"].mentions}


def test_reflowed_headline_dateline_and_table() -> None:
    # the JSON Lines and plain-text readers join a paragraph's lines: the layout rules still apply
    from transforms.entity_rules import caps_lines, dateline_spans, result_row_spans

    text = ("SOCCER - DUTCH FIRST DIVISION RESULTS . AMSTERDAM 1996-08-25 Results of Dutch matches on Sunday : "
            "Ajax 2 Feyenoord 1 PSV Eindhoven 3 Vitesse 0 Standings : Ajax 6")
    assert [text[a:b] for a, b in caps_lines(text)] == ["SOCCER - DUTCH FIRST DIVISION RESULTS . AMSTERDAM"]
    assert spans_of(text, dateline_spans(text)) == [("AMSTERDAM", "location")]
    assert spans_of(text, result_row_spans(text)) == [
        ("Ajax", "organization"), ("Feyenoord", "organization"), ("PSV Eindhoven", "organization"),
        ("Vitesse", "organization"),
    ]
    assert result_row_spans("Windows 7 Service Pack 1 shipped.") == []  # two pairs in prose are no table
    assert caps_lines("The UN and NATO met the BBC NEWS team.") == []


def test_caption_label_cut_from_name() -> None:
    text = "held in Washington D.C. Image: Nick Moreau."
    assert repaired(text, "Washington D.C. Image", "location") == [("Washington D.C.", "location")]
    assert repaired("the Image Comics office", "Image Comics", "organization") == [("Image Comics", "organization")]


def test_one_word_product_name_joins_its_full_name() -> None:
    from transforms.entities import _canonicalise
    from transforms.entity_rules import Span

    text = "Google Chrome is fast. Chrome gained users."
    spans = [Span(0, 13, "product"), Span(23, 29, "person")]
    ents = _canonicalise(text, spans, {}, {})
    assert [(e.name, e.type, [m.text for m in e.mentions]) for e in ents] == [
        ("Google Chrome", "product", ["Google Chrome", "Chrome"])
    ]


def test_organisation_opening_an_event_or_product_name_is_nested() -> None:
    from transforms.entity_rules import Span, nested_orgs

    text = ("the FIFA World Cup and the ABN AMRO World Tennis Tournament and Netscape Navigator and HTML 5 and "
            "Google Chrome")
    assert spans_of(text, nested_orgs(text, Span(4, 18, "event"), set())) == [("FIFA", "organization")]
    assert spans_of(text, nested_orgs(text, Span(27, 59, "event"), set())) == [("ABN AMRO", "organization")]
    navigator = Span(64, 82, "product")
    assert nested_orgs(text, navigator, set()) == []  # no evidence that Netscape is an organisation here
    assert spans_of(text, nested_orgs(text, navigator, {"netscape"})) == [("Netscape", "organization")]
    assert nested_orgs(text, Span(87, 93, "event"), set()) == []  # an acronym without an event word
    assert nested_orgs(text, Span(27, 59, "person"), set()) == []
    chrome = Span(text.index("Google"), len(text), "product")
    assert spans_of(text, nested_orgs(text, chrome, set())) == [("Google", "organization")]  # a known one


def test_a_surname_tagged_person_makes_the_full_name_a_person() -> None:
    text = ("He had to settle for bronze in Greece behind fellow American Justin Gatlin and Francis Obikwelu of "
            "Portugal. Greene crossed the line just 0.02 seconds behind Gatlin, who won in 9.87 seconds.")
    ents = by_name(extract_entities(load_ner()(text), 0))
    # the model tags "Justin Gatlin" PRODUCT and "Gatlin" PERSON
    assert (ents["Justin Gatlin"].type, len(ents["Justin Gatlin"].mentions)) == ("person", 2)
    chrome = ("Mozilla Firefox has been increasing its share while the recently released Google Chrome is also "
              "quickly gaining users. Usually Internet Explorer is the #2 browser after Firefox, but it is behind "
              "Safari - and nearly tied with Chrome. If Chrome continues to surge, IE could fall.")
    doc = load_ner()(chrome)
    assert [e.label_ for e in doc.ents if e.text == "Chrome"] == ["PERSON", "PERSON"]
    # that does not make the product a person: its first word names an organisation (nested "Google")
    assert by_name(extract_entities(doc, 0))["Google Chrome"].type == "product"


def test_news_outlets_are_organisations() -> None:
    from transforms.entity_rules import Span, fix_type, missed_media

    assert fix_type("Salt Lake Tribune", "location") == "organization"
    assert fix_type("Sydney Morning Herald", "event") == "organization"
    assert fix_type("Emily Post", "person") == "person"
    assert fix_type("Post", "location") == "location"  # one word: no outlet's name
    text = ("The Deseret News observed that the Financial Times and the Daily Times Herald were late; "
            "the Times Square crowd and the New York Times Company waited.")
    taken = [Span(text.index("Financial"), text.index(" and the Daily"), "organization")]
    # "Times Square" and "New York Times Company" go on with a capitalised word: no outlet ends there
    assert spans_of(text, missed_media(text, taken)) == [("Deseret News", "organization"),
                                                           ("Daily Times Herald", "organization")]


def test_known_organisations_the_model_missed_are_found() -> None:
    from transforms.entity_rules import Span, fix_type, missed_orgs

    text = ("Facebook creator Mark Zuckerberg met Walt Disney fans. Disney said the Financial Times's story and "
            "the Google Chrome team were wrong.")
    zuckerberg = Span(text.index("Mark"), text.index(" met"), "person")
    found = spans_of(text, missed_orgs(text, [zuckerberg]))
    # "Walt Disney" is a longer capitalised name and "Google" opens one: neither is taken alone
    assert found == [("Facebook", "organization"), ("Disney", "organization"),
                     ("Financial Times", "organization")]
    assert fix_type("YouTube", "location") == "organization"
    assert fix_type("Disney", "person") == "person"  # a person reading is left alone


def test_product_named_before_a_product_noun_everywhere() -> None:
    text = ("Firefox gained users in March. The Firefox browser now leads Safari. "
            "US software makers cheered.")
    ents = by_name(extract_entities(load_ner()(text), 0))
    # the model tags both Firefox mentions PERSON; "Firefox browser" makes the name a product throughout
    assert (ents["Firefox"].type, len(ents["Firefox"].mentions)) == ("product", 2)
    assert ents["Safari"].type == "person"  # no product noun: left to the model
    assert ents["United States"].type == "location"  # a place before a product noun names the market


def test_handles_hashtags_and_doctrines_are_not_names() -> None:
    text = ("US President Barack Obama tweeted using his @POTUS account. Critics said he faced Islamophobia "
            "and joined the #MeToo movement.")
    # the model tags "@POTUS" ORG, "Islamophobia" ORG and "MeToo" PERSON
    ents = [(e.name, e.type) for e in extract_entities(load_ner()(text), 0)]
    assert ents == [("United States", "location"), ("Barack Obama", "person"), ("Islamophobia", "other")]
    assert fix_type("Zionism", "organization") == "other"


def test_a_handle_found_again_by_later_stages_is_still_a_handle() -> None:
    # "#Scotland": the place gazetteer finds it again; "#Obama": propagation of the name found first (the
    # model tags both, and the first stage drops them). Both are tags; only the written names count.
    text = ("Barack Obama spoke in Edinburgh on Monday. Supporters posted #Scotland and #Obama all day, "
            "and Obama thanked them.")
    ents = {e.name: [m.start for m in e.mentions] for e in extract_entities(load_ner()(text), 0)}
    assert ents == {"Barack Obama": [0, text.rindex("Obama")], "Edinburgh": [text.index("Edinburgh")]}
    assert fix_type("Internet Explorer 6", "person") == "product"
    assert fix_type("Barack Obama", "person") == "person"


def test_propagation_finds_what_the_regex_alternation_found() -> None:
    import re

    from transforms.entities import _occurrences

    text = ("May Day: Mayor Sadiq Khan met Khan-Smith, Sadiq Khan's aide and U.S. officials in Khan. "
            "The U.S.-led talks (Khan) ended; Sadiq Khan, Khan_x and .Khan left. Khan")
    surfaces = {"Khan", "Sadiq Khan", "U.S.", "May", "Day"}
    alternation = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.-])(?:{alternation})(?![\w-])")
    for start in (0, 9, 40):
        expected = [(m.start(), m.end()) for m in pattern.finditer(text, start)]
        assert _occurrences(text, surfaces, start) == expected
