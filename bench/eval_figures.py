"""Evaluate `extract_figures` on the shared number gold files and print a report.

Gold: ../shared/gold/numbers_recognizers_text_en.jsonl (Microsoft Recognizers-Text specs) and
../shared/gold/numbers_quantulum3_en.jsonl (quantulum3 tests). A gold quantity is found when a predicted
figure overlaps its span and has its value (a range matches by its start, or its midpoint for quantulum's
"value ± uncertainty"); value+unit also needs the unit after normalising the gold's unit names to our codes.
Qualifier accuracy is measured where the gold states one (interval bounds in the range models).

Subsets: Recognizers models are scored one by one. The headline "recognizers core" is the number, percent,
currency, dimension, temperature and age models minus cases the reference marks unsupported (exotic forms
such as "three twenty firsts" or "75 USD million"); range models report qualifier accuracy; ordinal models
have no figures to find, so they only count false figures on ordinals. Every set is split by a hash of the
case
id into a "tune" half (rules were tuned on it) and a "confirm" half (only checked).

Usage: python bench/eval_figures.py [--errors N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.figures import extract_figures  # noqa: E402
from transforms.records import Figure  # noqa: E402
from transforms.units import lexicon  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
# Sentences written for this project in news style (not copied from any corpus) and annotated with value, unit,
# range end and qualifier. Sets A-D and F were used to tune rules (each measured first: see README); E and G were
# only measured.
NEWS = ROOT / "tests" / "data" / "news_figures.jsonl"
NEWS_HALF = {"A": "tune", "B": "tune", "C": "tune", "D": "tune", "E": "confirm", "F": "tune", "G": "confirm"}
# Unit conventions (issue 15 item 6), written before measuring: currency codes and symbols, percent vs percentage
# points, per-unit rates, "a year", metric and imperial abbreviations. U1 is tuned on, U2 only measured. Kept out
# of the "news" group so the news floors stay comparable.
UNITS = ROOT / "tests" / "data" / "news_units.jsonl"
UNITS_HALF = {"U1": "tune", "U2": "confirm"}
CORE_MODELS = {
    "NumberModel",
    "PercentModel",
    "CurrencyModel",
    "DimensionModel",
    "TemperatureModel",
    "AgeModel",
}
RANGE_MODELS = {"NumberRangeModel", "NumberRangeModelExperimentalMode"}
ORDINAL_MODELS = {"OrdinalModel", "OrdinalModelSuppressExtendedTypes"}

# Gold unit names (lower-cased) -> our codes. None = plain number.
UNIT_MAP: dict[str, str | None] = {
    "dimensionless": None,
    "": None,
    "dollar": "USD",
    "united states dollar": "USD",
    "euro": "EUR",
    "pound": "GBP",
    "british pound": "GBP",
    "pound sterling": "GBP",
    "chinese yuan": "CNY",
    "japanese yen": "JPY",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "new zealand dollar": "NZD",
    "hong kong dollar": "HKD",
    "cent": "USD_cent",
    "pence": "GBP_pence",
    "penny": "GBP_pence",
    "franc": "CHF",
    "swiss franc": "CHF",
    "rupee": "INR",
    "turkish lira": "TRY",
    "mexican peso": "MXN",
    "bitcoin": "BTC",
    "c": "celsius",
    "f": "fahrenheit",
    "degree": "degree",
    "degree celsius": "celsius",
    "degree fahrenheit": "fahrenheit",
    "kelvin": "kelvin",
    "year": "year",
    "age": "year",
    "month": "month",
    "week": "week",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
    "foot": "ft",
    "meter": "m",
    "metre": "m",
    "kilometer": "km",
    "kilometre": "km",
    "mile": "mile",
    "inch": "inch",
    "gallon": "gallon",
    "ton": "tonne",
    "metric ton": "tonne",
    "tonne": "tonne",
    "kilogram": "kg",
    "microgram": "microgram",
    "milligram": "mg",
    "gram": "g",
    "millimeter": "mm",
    "millimetre": "mm",
    "decimeter": "dm",
    "picometer": "pm",
    "picometre": "pm",
    "nanometre": "nm",
    "nanometer": "nm",
    "square meter": "m2",
    "square metre": "m2",
    "square kilometer": "km2",
    "square kilometre": "km2",
    "square mile": "mile2",
    "kilometer per hour": "km/h",
    "kilometre per hour": "km/h",
    "mile per hour": "mph",
    "barrel": "barrel",
    "ounce": "oz",
    "acre": "acre",
    "cubic foot": "ft3",
    "cubic kilometre": "km3",
    "cubic centimetre": "cm3",
    "megabyte": "MB",
    "megabit": "Mbit",
    "bit": "bit",
    "byte": "byte",
    "gigahertz": "GHz",
    "watt": "W",
    "pound-mass": "lb",
    "percentage": "percent",
    "percent": "percent",
    "litre": "litre",
    "liter": "litre",
    "milliliter": "ml",
    "centilitre": "cl",
    "tablespoon": "tablespoon",
    "cup": "cup",
    "teaspoon": "teaspoon",
    "megawatt hour": "MWh",
    "watt hour": "Wh",
    "exabyte": "EB",
    "kibibyte": "KB",
    "ton per day": "tonne/day",
    "electronvolt": "eV",
    "teraelectronvolt": "TeV",
}


@dataclass
class GoldQ:
    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str | None = None  # only where the gold states it
    range_end: float | None = None
    midpoint: bool = False  # quantulum ranges: value is the midpoint


@dataclass
class Case:
    source: str  # "recognizers" / "quantulum"
    subset: str  # model name or "quantulum"
    cid: str
    text: str
    gold: list[GoldQ] = field(default_factory=list)
    ordinal_spans: list[tuple[int, int]] = field(default_factory=list)
    supported: bool = True
    fixed_half: str | None = None  # authored news sets: tuned on (A-D, F) or only measured (E, G)

    @property
    def half(self) -> str:
        if self.fixed_half:
            return self.fixed_half
        return "tune" if int(hashlib.md5(self.cid.encode()).hexdigest(), 16) % 2 == 0 else "confirm"


def _norm_unit(name: str | None) -> str | None:
    if name is None:
        return None
    key = name.strip().lower()
    if " per " in key and key not in UNIT_MAP:
        # Rates: "dollar per hour" -> "USD/hour", as extract_figures writes them.
        num, den = key.split(" per ", 1)
        return f"{UNIT_MAP.get(num, num)}/{UNIT_MAP.get(den, den)}"
    return UNIT_MAP.get(key, key)


def _interval(s: str) -> tuple[float | None, float | None, str]:
    """'[20,30]' -> (20, 30, '='), '(20,)' -> (20, None, '>'), '(,700]' -> (None, 700, '<=')."""
    lo_s, hi_s = s[1:-1].split(",")
    lo = float(lo_s) if lo_s.strip() else None
    hi = float(hi_s) if hi_s.strip() else None
    if lo is not None and hi is None:
        return lo, None, ">" if s[0] == "(" else ">="
    if lo is None and hi is not None:
        return hi, None, "<" if s[-1] == ")" else "<="
    return lo, hi if hi != lo else None, "=" if hi == lo else "range"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for line in (GOLD / "numbers_recognizers_text_en.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        model = r["model"].split("/")[-1].removesuffix(".json")
        case = Case(
            "recognizers",
            model,
            r["id"],
            r["text"],
            supported=r["not_supported"] is None and r["not_supported_by_design"] is None,
        )
        for q in r["quantities"]:
            res = q["resolution"]
            if model in ORDINAL_MODELS or q["type"].startswith("ordinal"):
                case.ordinal_spans.append((q["start"], q["end"]))
                continue
            val = res.get("value")
            if val in (None, "null"):
                continue  # a unit word alone ("convert to fahrenheit"): not a figure
            if q["type"] == "numberrange":
                lo, hi, qual = _interval(val)
                if lo is None:
                    continue
                # Two-sided intervals are ranges, not qualified values; the issue scores =, ~, >, < only.
                qual_or_none = qual if hi is None and qual in ("=", "~", ">", "<") else None
                case.gold.append(GoldQ(q["start"], q["end"], lo, None, qual_or_none, hi))
                continue
            unit: str | None
            if q["type"] == "percentage":
                unit, v = "percent", float(val.rstrip("%"))
            else:
                v = float(val)
                unit = res.get("isoCurrency") or _norm_unit(res.get("unit"))
            case.gold.append(GoldQ(q["start"], q["end"], v, unit))
        cases.append(case)
    for line in (GOLD / "numbers_quantulum3_en.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        case = Case("quantulum", "quantulum", r["id"], r["text"])
        cursor = 0
        for q in r["quantities"]:
            st = r["text"].find(q["surface"], cursor)
            if st < 0:
                st = r["text"].find(q["surface"])
            if st < 0:
                continue
            cursor = st + len(q["surface"])
            case.gold.append(
                GoldQ(
                    st,
                    st + len(q["surface"]),
                    float(q["value"]),
                    _norm_unit(q["unit"]),
                    midpoint=bool(q.get("uncertainty")),
                )
            )
        cases.append(case)
    authored = [(line, "news", NEWS_HALF) for line in NEWS.read_text(encoding="utf-8").splitlines()]
    authored += [(line, "units", UNITS_HALF) for line in UNITS.read_text(encoding="utf-8").splitlines()]
    for line, source, halves in authored:
        r = json.loads(line)
        case = Case(source, f"{source} {r['set']}", r["id"], r["text"], fixed_half=halves[r["set"]])
        cursor = 0
        for q in r["quantities"]:
            st = r["text"].find(q["surface"], cursor)
            st = st if st >= 0 else r["text"].find(q["surface"])
            cursor = st + len(q["surface"])
            news_qual = q["qualifier"] if q["qualifier"] in ("=", "~", ">", "<") else None
            case.gold.append(GoldQ(st, cursor, float(q["value"]), q["unit"], news_qual, q.get("range_end")))
        cases.append(case)
    return cases


def _value_ok(g: GoldQ, f: Figure) -> bool:
    def close(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-6 * max(1.0, abs(a)) or (abs(b) > 0 and abs(a / b - 1) < 1e-3)

    if close(g.value, f.value):
        return True
    if g.midpoint and f.range_end is not None:
        return close(g.value, (f.value + f.range_end) / 2)
    return False


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    tp_value: int = 0
    tp_unit: int = 0
    gold_u: int = 0  # value+unit counts only on cases whose gold annotates units
    pred_u: int = 0
    qual_total: int = 0
    qual_right: int = 0
    ordinal_fp: int = 0
    ordinal_total: int = 0

    def add(self, o: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(o, k))

    @staticmethod
    def _f1(tp: int, pred: int, gold: int) -> float:
        p = tp / pred if pred else 1.0
        r = tp / gold if gold else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value_f1(self) -> float:
        return self._f1(self.tp_value, self.pred, self.gold)

    @property
    def unit_f1(self) -> float:
        return self._f1(self.tp_unit, self.pred_u, self.gold_u)

    @property
    def qualifier_acc(self) -> float | None:
        return self.qual_right / self.qual_total if self.qual_total else None


_TEMPERATURE_UNITS = {"celsius", "fahrenheit", "kelvin", "degree"}
# Single-type Recognizers models annotate only their own type ("fell 19% to $1.17 billion" has one currency
# gold and no percent gold), so only our figures of that type count as predictions there.
TYPED_MODELS = {
    "CurrencyModel": lambda f: f.category == "money",
    "DimensionModel": lambda f: f.category == "quantity" and f.unit not in _TEMPERATURE_UNITS,
    "TemperatureModel": lambda f: f.unit in _TEMPERATURE_UNITS,
    "AgeModel": lambda f: f.category == "age",
    "PercentModel": lambda f: f.category == "percent",
    "PercentModelPercentMode": lambda f: f.category == "percent",
}


def _measure_codes() -> frozenset[str]:
    lex = lexicon()
    return frozenset(lex.prefix.values()) | {c for c, _ in lex.symbols.values()} | {c for c, _ in lex.words.values()}


MEASURE_CODES = _measure_codes()


def scored_unit(f: Figure, source: str) -> str | None:
    """Our unit as the gold's convention writes it: the number gold files (quantulum3, Recognizers-Text) give a
    count no unit ("dimensionless"), where ours carries the counted noun ("13,000 workers" -> "worker")."""
    if source in ("news", "units") or f.unit is None:
        return f.unit
    base = f.unit.split("/")[0]
    return f.unit if base in MEASURE_CODES or "_" in base else None


def score_case(case: Case, errors: list[str] | None = None) -> Tally:
    figs = extract_figures(case.text)
    keep = TYPED_MODELS.get(case.subset)
    if keep is not None:
        figs = [f for f in figs if keep(f) or any(f.start < g.end and g.start < f.end for g in case.gold)]
    t = Tally(gold=len(case.gold), pred=len(figs))
    # Number and range models never annotate units ("$10000" is gold 10000 with no unit): value only there.
    unit_annotated = case.source in ("quantulum", "news", "units") or case.subset in TYPED_MODELS
    if unit_annotated:
        t.gold_u, t.pred_u = t.gold, t.pred
    used: set[int] = set()
    for g in case.gold:
        hit = None
        for i, f in enumerate(figs):
            if i not in used and f.start < g.end and g.start < f.end and _value_ok(g, f):
                hit = i
                break
        if hit is None:
            if errors is not None:
                errors.append(
                    f"{case.half} MISS {case.subset} {case.text[:90]!r} "
                    f"gold={case.text[g.start : g.end]!r} {g.value} {g.unit}"
                )
            continue
        used.add(hit)
        f = figs[hit]
        t.tp_value += 1
        if not unit_annotated:
            pass
        elif scored_unit(f, case.source) == g.unit:
            t.tp_unit += 1
        elif errors is not None:
            errors.append(f"{case.half} UNIT {case.subset} {f.surface!r} ours={f.unit} gold={g.unit}")
        if g.qualifier is not None:
            t.qual_total += 1
            t.qual_right += f.qualifier == g.qualifier
            if errors is not None and f.qualifier != g.qualifier:
                errors.append(
                    f"{case.half} QUAL {case.subset} {f.surface!r} ours={f.qualifier} gold={g.qualifier}"
                )
    if errors is not None:
        for i, f in enumerate(figs):
            if i not in used:
                errors.append(
                    f"{case.half} EXTRA {case.subset} {case.text[:90]!r} "
                    f"ours={f.surface!r} {f.value} {f.unit}"
                )
    for s, e in case.ordinal_spans:
        t.ordinal_total += 1
        t.ordinal_fp += any(f.start < e and s < f.end for f in figs)
    return t


def evaluate(errors: list[str] | None = None) -> dict[str, dict[str, Tally]]:
    """Tallies per group ('recognizers core', 'quantulum', each model ...) and half (tune, confirm, all)."""
    out: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for case in load_cases():
        t = score_case(case, errors)
        groups = [f"model {case.subset}{'' if case.supported else ' (unsupported)'}"]
        if case.source == "quantulum":
            groups.append("quantulum")
        elif case.source in ("news", "units"):
            groups.append(case.source)
        elif case.subset in CORE_MODELS and case.supported:
            groups.append("recognizers core")
            if case.subset != "NumberModel":
                # Quantities with units (money, dimensions, temperatures, ages, percents): the news-like part;
                # NumberModel is mostly number-format puzzles ("2.5^-1", "1.111,11", ...).
                groups.insert(-1, "recognizers with units")
        if case.subset in RANGE_MODELS:
            groups.append("recognizers ranges")
        if case.subset in ORDINAL_MODELS:
            groups.append("recognizers ordinals")
        if groups[-1] in ("quantulum", "recognizers core"):
            groups.append("headline (core + quantulum)")
        for g in groups:
            for half in (case.half, "all"):
                out[g][half].add(t)
    return out


def metrics(results: dict[str, dict[str, Tally]]) -> dict[str, float]:
    """The numbers the floors in tests/eval_floors/figures.json guard."""
    m: dict[str, float] = {}
    for group in ("headline (core + quantulum)", "recognizers core", "recognizers with units", "quantulum"):
        t = results[group]["all"]
        key = group.split(" (")[0].replace(" ", "_")
        m[f"{key}.value_f1"] = round(t.value_f1, 4)
        m[f"{key}.value_unit_f1"] = round(t.unit_f1, 4)
    for half in ("all", "confirm"):
        t = results["news"][half]
        if t.gold:
            suffix = "" if half == "all" else "_confirm"
            m[f"news.value_f1{suffix}"] = round(t.value_f1, 4)
            m[f"news.value_unit_f1{suffix}"] = round(t.unit_f1, 4)
            m[f"news.qualifier_acc{suffix}"] = round(t.qualifier_acc or 0.0, 4)
    for half in ("tune", "confirm"):
        t = results["units"][half]
        if t.gold:
            m[f"units.value_f1_{half}"] = round(t.value_f1, 4)
            m[f"units.value_unit_f1_{half}"] = round(t.unit_f1, 4)
    q = results["recognizers ranges"]["all"].qualifier_acc
    m["ranges.qualifier_acc"] = round(q or 0.0, 4)
    o = results["recognizers ordinals"]["all"]
    m["ordinals.false_figure_rate"] = round(o.ordinal_fp / o.ordinal_total if o.ordinal_total else 0.0, 4)
    return m


def report(results: dict[str, dict[str, Tally]]) -> str:
    lines = [
        f"{'group':48} {'half':8} {'gold':>5} {'pred':>5} {'valF1':>6} {'v+uF1':>6} {'qual':>6} {'ordFP':>6}"
    ]
    order = [
        "news",
        "units",
        "headline (core + quantulum)",
        "recognizers core",
        "recognizers with units",
        "quantulum",
        "recognizers ranges",
        "recognizers ordinals",
    ]
    for g in order + sorted(k for k in results if k not in order):
        for half in ("tune", "confirm", "all"):
            t = results[g][half]
            q = t.qualifier_acc
            ordfp = f"{t.ordinal_fp}/{t.ordinal_total}" if t.ordinal_total else ""
            lines.append(
                f"{g:48} {half:8} {t.gold:5d} {t.pred:5d} {t.value_f1:6.3f} {t.unit_f1:6.3f} "
                f"{'' if q is None else f'{q:.3f}':>6} {ordfp:>6}"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors")
    ap.add_argument("--grep", default="", help="only errors matching this regex")
    args = ap.parse_args()
    errors: list[str] | None = [] if args.errors else None
    res = evaluate(errors)
    print(report(res))
    print(json.dumps(metrics(res), indent=1))
    if errors:
        shown = [e for e in errors if re.search(args.grep, e)][: args.errors]
        print("\n".join(shown))


if __name__ == "__main__":
    main()
