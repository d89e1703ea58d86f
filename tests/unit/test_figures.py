"""Unit tests for transforms.figures: one group per rule of issue 5."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.figures import extract_figures
from transforms.records import QUALIFIERS, Figure

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_d89afe0183712226.txt"


def one(text: str) -> Figure:
    figs = extract_figures(text)
    assert len(figs) == 1, [f.surface for f in figs]
    return figs[0]


def values(text: str) -> list[float]:
    return [f.value for f in extract_figures(text)]


# --- the sample article ----------------------------------------------------------------------------------


def test_seed_article_figure_matches_gold() -> None:
    gold = json.loads((SHARED / "gold" / "seed_expected.json").read_text(encoding="utf-8"))
    text = SEED.read_text(encoding="utf-8")
    figs = extract_figures(text)
    for want in gold["figures"]:
        hits = [f for f in figs if f.value == want["value"]]
        assert hits, want
        f = hits[0]
        assert (f.qualifier, f.category, f.object) == (want["qualifier"], want["category"], want["object"])
        assert f.surface == want["surface"]
        assert "1,380" in f.sentence
    for bad in gold["not_figures"]:
        start = text.index(bad)
        assert not any(f.start < start + len(bad) and start < f.end for f in figs), bad


def test_offsets_index_text_and_sentence_contains_surface() -> None:
    text = "Prices rose 3%. Officials said about 40 homes were damaged.\nOver $2bn was pledged."
    for f in extract_figures(text):
        assert text[f.start : f.end] == f.surface
        assert f.surface in f.sentence
        assert f.qualifier in QUALIFIERS
    assert extract_figures(text)[1].sentence == "Officials said about 40 homes were damaged."


# --- numbers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It had 1,380 members.", 1380),
        ("It weighed 3.75 kg.", 3.75),
        ("They spent 3.5 million on it.", 3.5e6),
        ("They raised $2bn.", 2e9),
        ("They raised £3.5m.", 3.5e6),
        ("Debt reached 1.2 trillion yen.", 1.2e12),
        ("He saw two dozen birds.", 24),
        ("He saw three million birds.", 3e6),
        ("He saw a hundred birds.", 100),
        ("He saw a hundred and two birds.", 102),
        ("He saw twenty-one birds.", 21),
        ("Temperatures hit -5C overnight.", -5),
        ("Temperatures hit minus 5 degrees.", -5),
        ("Half of the voters stayed home.", 0.5),
        ("A third of the workers left.", 1 / 3),
        ("Two-thirds of members agreed.", 2 / 3),
        ("It is 2 1/2 inches long.", 2.5),
    ],
)
def test_number_values(text: str, value: float) -> None:
    assert one(text).value == pytest.approx(value)


def test_ranges() -> None:
    f = one("The route is 252 to 287 miles long.")
    assert (f.value, f.range_end, f.unit) == (252, 287, "mile")
    f = one("Growth of 10-15% is expected.")
    assert (f.value, f.range_end, f.unit) == (10, 15, "percent")
    f = one("between 20 and 30 people came")
    assert (f.value, f.range_end) == (20, 30)
    f = one("It costs 2-3 million dollars.")
    assert (f.value, f.range_end, f.unit) == (2e6, 3e6, "USD")


@pytest.mark.parametrize(
    ("text", "pct", "money", "code"),
    [
        ("Profits jumped 76% to $1.13bn in the quarter.", 76, 1.13e9, "USD"),
        ("Its sales rose 2% to $11.1bn.", 2, 11.1e9, "USD"),
        ("Revenue was up 4.3% to £1.97bn.", 4.3, 1.97e9, "GBP"),
        ("Spending rose 12.3% to $1.15 trillion last year.", 12.3, 1.15e12, "USD"),
    ],
)
def test_change_to_level_is_two_figures(text: str, pct: float, money: float, code: str) -> None:
    # Regression (BBC corpus): "X% to $Y" was one percent figure with the money scale leaking into it.
    figs = extract_figures(text)
    assert [(f.category, f.unit) for f in figs] == [("percent", "percent"), ("money", code)]
    assert figs[0].value == pytest.approx(pct) and figs[0].range_end is None and figs[0].direction == "up"
    assert figs[1].value == pytest.approx(money) and figs[1].qualifier == "="


def test_range_needs_one_unit_kind() -> None:
    f = one("It grew 3 to 5 million.")
    assert (f.value, f.range_end) == (3e6, 5e6)
    f = one("a bill of between $2bn and $3bn")
    assert (f.value, f.range_end, f.unit) == (2e9, 3e9, "USD")
    assert [f.unit for f in extract_figures("from 5km to 10 miles")] == ["km", "mile"]


# --- units -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "category"),
    [
        ("They paid $5 for it.", "USD", "money"),
        ("They paid US$5 for it.", "USD", "money"),
        ("They paid €5 for it.", "EUR", "money"),
        ("They paid ¥500 for it.", "JPY", "money"),
        ("They paid Rs 500 for it.", "INR", "money"),
        ("They paid 300 shekels for it.", "ILS", "money"),
        ("They paid 300 euros for it.", "EUR", "money"),
        ("They paid 50p for it.", "GBP_pence", "money"),
        ("Inflation is 7.4%.", "percent", "percent"),
        ("Inflation is 7.4 per cent.", "percent", "percent"),
        ("Rates rose 2 percentage points.", "percentage point", "percent"),
        ("The road is 29km long.", "km", "quantity"),
        ("The road is 29 kilometres long.", "km", "quantity"),
        ("They shipped 400 tonnes of rice.", "tonne", "quantity"),
        ("Output is 2 million barrels per day.", "barrel/day", "quantity"),
        ("The flat is 50 square metres.", "m2", "quantity"),
        ("It was 35C in the shade.", "celsius", "quantity"),
        ("It was 95 degrees Fahrenheit.", "fahrenheit", "quantity"),
        ("Winds reached 70mph.", "mph", "quantity"),
        ("The phone has 64GB of storage.", "GB", "quantity"),
        ("The talks lasted three days.", "day", "duration"),
        ("He served 12 years in jail.", "year", "duration"),
    ],
)
def test_units(text: str, unit: str, category: str) -> None:
    f = one(text)
    assert (f.unit, f.category) == (unit, category)


def test_pounds_of_weight_is_lb() -> None:
    assert one("He bought 20 pounds of rice.").unit == "lb"


@pytest.mark.parametrize("text", ["A 45-year-old man was held.", "The victim, aged 45, died.", "She is 45 years old."])
def test_age(text: str) -> None:
    f = [f for f in extract_figures(text) if f.value == 45][0]
    assert (f.category, f.unit) == ("age", "year")


# --- object, qualifier, direction, category ----------------------------------------------------------------


def test_object() -> None:
    assert one("About 40 homes were damaged.").object == "homes"
    assert one("They shipped 3,000 tonnes of rice.").object == "rice"
    assert one("Police found 12 Palestinian children.").object == "Palestinian children"


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("It cost 40 dollars.", "="),
        ("It cost about 40 dollars.", "~"),
        ("It cost around 40 dollars.", "~"),
        ("It cost nearly 40 dollars.", "~"),
        ("It cost some 40 dollars.", "~"),
        ("It cost roughly 40 dollars.", "~"),
        ("It hurt an estimated 40 people.", "~"),
        ("It cost over 40 dollars.", ">"),
        ("It cost more than 40 dollars.", ">"),
        ("It cost above 40 dollars.", ">"),
        ("It cost under 40 dollars.", "<"),
        ("It had fewer than 40 members.", "<"),
        ("It cost below 40 dollars.", "<"),
        ("It cost up to 40 dollars.", "<"),
        ("It cost at least 40 dollars.", ">="),
        ("It cost at most 40 dollars.", "<="),
        ("It cost no more than 40 dollars.", "<="),
        ("It had 1,000+ members.", ">="),
        ("It had 50 or more members.", ">="),
    ],
)
def test_qualifier(text: str, qualifier: str) -> None:
    assert one(text).qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Unemployment rose to 7.4%.", "up"),
        ("Sales rose by 5%.", "up"),
        ("Shares fell 3%.", "down"),
        ("Profits were down 12% on the year.", "down"),
        ("Unemployment is 7.4%.", None),
    ],
)
def test_direction(text: str, direction: str | None) -> None:
    assert one(text).direction == direction


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The blast killed 12 people.", "killed"),
        ("At least 12 people died.", "killed"),
        ("The death toll rose to 50.", "killed"),
        ("Some 30 people were injured.", "wounded"),
        ("Police detained 45 people.", "arrested"),
        ("Gunmen kidnapped 20 students.", "kidnapped"),
        ("About 2,000 residents fled the fighting.", "displaced"),
        ("Officials evacuated 300 families.", "evacuated"),
        ("The floods affected 1.2 million people.", "affected"),
        ("Thousands marched as 5,000 protesters gathered.", "protesters"),
        ("The club has 300 members.", "count"),
    ],
)
def test_event_category(text: str, category: str) -> None:
    assert one(text).category == category


# --- not figures -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It was their first diplomatic engagement.",
        "The law was passed in 2004.",
        "The plan runs from 1990-2030.",
        "They met on May 4.",
        "They met on 4 May.",
        "They met at 10:30.",
        "They met at 3pm.",
        "The 22nd amendment was cited.",
        "It happened in the 1980s.",
        "Call 020 7946 0018 now.",
        "Call 555-1234 now.",
        "The 5G rollout began.",
        "COVID-19 spread fast.",
        "Section 427 applies.",
        "The Big 12 conference met.",
        "He played an MP3 file.",
        "See page 5 for details.",
        "He lives at No. 10 now.",
        "No one knows why.",
        "One of them left.",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_empty_and_numberless_text() -> None:
    assert extract_figures("") == []
    assert extract_figures("No numbers here at all.") == []


# --- BBC corpus regressions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "He beat Petrova 6-3 6-2 to reach the final.",
        "a 2-1 Uefa Cup win over Graz",
        "Hearts 2-1 Livingston",
        "after going 2-0 up in the second set",
        "Wales led 33-8 at the break.",
        "England ended up losing 28-17.",
        "He won 7-6 (7-5) 4-6 6-3.",
        "at odds of 8-1.",
        "the 1980-81 season",
        "until at least 2008, helped by exports",
        "commitments beyond 2009.",
        "BBC Radio Five Live said",
        "the RBS Six Nations.",
    ],
)
def test_scores_years_and_names_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_rising_pairs_stay_ranges() -> None:
    assert one("It has 20-30 staff.").range_end == 30
    assert one("He scored 2-3 goals a game.").range_end == 3
    assert one("over 2000 people died").value == 2000


def test_scale_before_currency_word_and_change_then_level() -> None:
    f = one("a 400m euro loan")
    assert (f.value, f.unit) == (4e8, "EUR")
    figs = extract_figures("The population will increase by 46% to 420 million by 2050.")
    assert [(f.value, f.unit, f.range_end) for f in figs] == [(46, "percent", None), (4.2e8, None, None)]


def test_spelled_range_scale_years_and_one_of() -> None:
    f = one("The library receives between three and four million requests a year.")
    assert (f.value, f.range_end) == (3e6, 4e6)
    assert values("sales fell from 36,185 in 2003 to 28,041 in 2004") == [36185, 28041]
    assert extract_figures("the first gain since 2000/01.") == []
    assert extract_figures("a film built around one of the genre's best-known figures") == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("a loan of 35 lakh rupees", 3.5e6, "INR"),
        ("a Rs 1,200 crore project", 1.2e10, "INR"),
        ("It costs USD115.", 115, "USD"),
        ("Revenue was $-99.99.", -99.99, "USD"),
        ("a 12-cent-a-share dividend", 12, "USD_cent"),
        ("the 16-bit chip", 16, "bit"),
        ("an area of 4 km squared", 4, "km2"),
    ],
)
def test_scale_words_codes_and_hyphen_units(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (pytest.approx(value), unit)


def test_object_stops_at_the_next_number() -> None:
    assert [(f.value, f.unit) for f in extract_figures("five of the three-ton satellites")] == [
        (5, None),
        (3, "tonne"),
    ]


def test_conjoined_numbers_share_a_unit() -> None:
    assert [f.unit for f in extract_figures("They were given 45 and 50 mg of ethanol.")] == ["mg", "mg"]
    assert [f.unit for f in extract_figures("for two or three days")] == ["day", "day"]
    assert [f.unit for f in extract_figures("5, 10 and 20 km")] == ["km"] * 3
    assert [f.unit for f in extract_figures("He has 3 children and 4 dollars")] == ["child", "USD"]


def test_spelled_list_positions_are_not_figures() -> None:
    assert values("The album moved from 13 to number four.") == [13]
    assert extract_figures("This is part two of the series.") == []


# --- currencies written apart, rates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("exports fell to hk $ 10.05 billion .", 10.05e9, "HKD"),
        ("The fund raised HK $200 million.", 2e8, "HKD"),
        ("about US $200 each", 200, "USD"),
        ("It sold for NT$3,000.", 3000, "TWD"),
        ("It costs 10 turkish lira.", 10, "TRY"),
        ("The bank cut rates by 25bp.", 25, "basis point"),
        ("a 50 bps cut", 50, "basis point"),
    ],
)
def test_spaced_currency_marks_and_more_codes(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (pytest.approx(value), unit)


def test_a_lone_capital_before_a_spaced_dollar_is_an_article() -> None:
    assert one("A $5 bill was found.").unit == "USD"


@pytest.mark.parametrize(
    ("text", "value", "unit", "surface"),
    [
        ("Workers earn $15.4/hour now.", 15.4, "USD/hour", "$15.4/hour"),
        ("Petrol costs $3 per gallon.", 3, "USD/gallon", "$3 per gallon"),
        ("Diesel is 120p a litre.", 120, "GBP_pence/litre", "120p a litre"),
        ("Oil hit $55.67 a barrel.", 55.67, "USD/barrel", "$55.67 a barrel"),
        ("Gold was at $1,800 an ounce.", 1800, "USD/oz", "$1,800 an ounce"),
        ("It cost 5 euros per kg.", 5, "EUR/kg", "5 euros per kg"),
        ("The wind blew at 10km/hr.", 10, "km/h", "10km/hr"),
    ],
)
def test_rates(text: str, value: float, unit: str, surface: str) -> None:
    f = one(text)
    assert (f.value, f.unit, f.surface, f.category == "money") == (
        pytest.approx(value),
        unit,
        surface,
        unit[0].isupper(),
    )


def test_an_amount_a_year_is_a_rate() -> None:
    assert one("She earns £150,000 a year.").unit == "GBP/year"
    assert one("They pay $5 per year.").unit == "USD/year"


def test_rate_ranges_and_change_then_price() -> None:
    f = one("Gold traded between $40 and $50 an ounce.")
    assert (f.value, f.range_end, f.unit) == (40, 50, "USD/oz")
    figs = extract_figures("Crude futures fell $2.86 to $41.32 a barrel on Nymex.")
    assert [(f.value, f.unit, f.direction) for f in figs] == [(2.86, "USD", "down"), (41.32, "USD/barrel", None)]
    f = one("The cost rose from about $350 per kg to $680 per kg.")
    assert (f.value, f.range_end, f.unit, f.qualifier) == (350, 680, "USD/kg", "~")


def test_money_object_is_not_a_place_or_date() -> None:
    assert one("Oil rose to $53 a barrel in New York.").object is None
    assert one("They spent £7.1bn in December.").object is None
    assert one("They raised $2bn in aid.").object == "aid"


# --- fractions of scales and units, number formats ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("More than half a million people fled.", 5e5, "people", ">"),
        ("About half a dozen people were arrested.", 6, "people", "~"),
        ("A quarter of a million students left.", 2.5e5, "student", "="),
        ("It cost close to half a trillion dollars.", 5e11, "USD", "~"),
        ("The rate was cut by a quarter of a percentage point.", 0.25, "percentage point", "="),
        ("The meeting lasted half an hour.", 0.5, "hour", "="),
        ("He ran 2½ miles.", 2.5, "mile", "="),
        ("It took ¾ of an hour.", 0.75, "hour", "="),
        ("Add ½ tbsp of salt.", 0.5, "tablespoon", "="),
    ],
)
def test_fractions_of_scales_and_units(text: str, value: float, unit: str | None, qualifier: str) -> None:
    f = one(text)
    assert (f.value, f.unit, f.qualifier) == (pytest.approx(value), unit, qualifier)


def test_a_lone_fraction_still_quantifies() -> None:
    f = one("Around a third of adults smoke.")
    assert (f.value, f.category) == (pytest.approx(1 / 3), "fraction")
    assert one("Nearly ¾ of voters agreed.").category == "fraction"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("one million and a half", 1.5e6),
        ("two million and three fifths", 2.6e6),
        ("one hundred and three quarters", 100.75),
        ("one hundred and thirty fifths", 26),
        ("one billion and a half million", 1.0005e9),
        ("five and a half million", 5.5e6),
        ("two and a half", 2.5),
        ("a hundred and two", 102),
    ],
)
def test_words_value_mixed_fractions(words: str, value: float) -> None:
    from transforms.numbers import words_value

    assert words_value(words.split()) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The plant makes 1.5e6 tonnes.", 1.5e6),
        ("Light oscillates at 4e14 Hz.", 4e14),
        ("The count was 1.3 x 10^6 cells.", 1.3e6),
        ("It is 6.23×10⁻⁴ m long.", 6.23e-4),
        ("The firm employs 40\u202f000 people.", 40000),
        ("The firm employs 12\u00a0500 people.", 12500),
        ("It was valued at 10 000 dollars.", 10000),
        ("Prices ranged from $50-100,000 last year.", 50000),
        ("There were 50-60,000 people.", 50000),
    ],
)
def test_number_formats(text: str, value: float) -> None:
    assert one(text).value == pytest.approx(value)


def test_space_groups_need_money_or_a_unit() -> None:
    assert 10737 not in values("the sale of 10 737-800 planes")
    assert extract_figures("The Boeing 7E7 flew.") == []
    assert one("a range of 1-100,000").value == 1


# --- objects end at the noun phrase; model numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "obj"),
    [
        ("Some 14,000 people contract HIV each year.", "people"),
        ("More than 14 million people saw the film.", "people"),
        ("The two teams play on Sunday.", "teams"),
        ("The firm has 76,200 staff worldwide.", "staff"),
        ("The magnitude 6.4 earthquake struck at dawn.", "earthquake"),
        ("They sold 30,000 sports utility vehicles.", "sports utility vehicles"),
        ("Police found 12 Palestinian children.", "Palestinian children"),
        ("Around a third of adults smoke.", "adults"),
    ],
)
def test_object_ends_at_the_head_noun(text: str, obj: str) -> None:
    assert one(text).object == obj


def test_money_in_a_period_has_no_object() -> None:
    assert one("It earned $470m in the fourth quarter.").object is None
    assert one("It paid $13m in criminal penalties.").object == "criminal penalties"


def test_model_numbers_with_a_letter_are_not_figures() -> None:
    assert extract_figures("The Boeing 777F landed.") == []
    assert one("Temperatures hit 40C on Monday.").unit == "celsius"


# --- news forms: millions of things, index points, changes vs ranges -----------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The storm left 2m homes without power.", 2e6, "home"),
        ("Up to 1.4m workers will benefit.", 1.4e6, "worker"),
        ("She won the 60m hurdles.", 60, "m"),
        ("the 400m runners", 400, "m"),
        ("The wall is 2m high.", 2, "m"),
        ("The Dow fell 45.4 points.", 45.4, "point"),
        ("The bank raised rates by a quarter point.", 0.25, "point"),
        ("The answer is five point five.", 5.5, None),
        ("I put in 15-and-a-half miles.", 15.5, "mile"),
        ("It is 2 and a half miles away.", 2.5, "mile"),
        ("Shares hit a two-and-a-half year high.", 2.5, "year"),
        ("Sales rose by a third.", 1 / 3, None),
        ("We could cut unemployment by half.", 0.5, None),
    ],
)
def test_news_number_forms(text: str, value: float, unit: str | None) -> None:
    f = one(text)
    assert (f.value, f.unit) == (pytest.approx(value), unit)


def test_index_points_are_counts_and_one_point_is_not_a_figure() -> None:
    assert one("The Dow fell 45.4 points.").category == "count"
    assert extract_figures("At one point, he left.") == []
    assert extract_figures("It was hit by a fourth-quarter charge.") == []


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("Users grew by 1.4 million to 44.9 million.", [(1.4e6, None), (44.9e6, None)]),
        ("Unemployment rose by 20,000 to 1.4 million.", [(20000, None), (1.4e6, None)]),
        ("The Dow gained 45.4 points to 10,360.", [(45.4, None), (10360, None)]),
        ("He grew 10cm to 130cm.", [(10, None), (130, None)]),
        ("The move would cut profits by $3.8m to $4.9m.", [(3.8e6, 4.9e6)]),
        ("They hope to increase their presence by 25 to 30 seats.", [(25, 30)]),
        ("Prices are expected to rise 5 to 10 percent.", [(5, 10)]),
    ],
)
def test_change_then_level_versus_range(text: str, pairs: list[tuple[float, float | None]]) -> None:
    assert [(f.value, f.range_end) for f in extract_figures(text)] == [
        (pytest.approx(v), None if e is None else pytest.approx(e)) for v, e in pairs
    ]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Sales exceeded 4.8 million.", ">"),
        ("Users surpassed four million.", ">"),
        ("It was a little under $3bn.", "<"),
        ("Prices stayed just above 2%.", ">"),
        ("It fell slightly less than 5%.", "<"),
        ("Costs were well below $1m.", "<"),
        ("a score equal to or more than 40", ">="),
        ("a score smaller or equal than 40", "<="),
    ],
)
def test_more_qualifiers(text: str, qualifier: str) -> None:
    assert one(text).qualifier == qualifier


def test_symbol_before_a_negative_and_through_ranges() -> None:
    f = one("Is it still the case when <-30")
    assert (f.value, f.qualifier) == (-30, "<")
    f = one("The number range is 20 through 100")
    assert (f.value, f.range_end) == (20, 100)


def test_feet_and_inches_are_one_height() -> None:
    f = one("He is 6ft 2in tall.")
    assert (f.value, f.unit, f.surface) == (pytest.approx(6 + 2 / 12), "ft", "6ft 2in")
    assert one("He stands 5 feet 10 inches.").value == pytest.approx(5 + 10 / 12)
    assert values("It rose 10 feet 2 in the morning.") == [10, 2]


# --- round 2: ratios, compound money, two-sided bounds, news false positives ------------------------------


@pytest.mark.parametrize(
    ("text", "value", "obj"),
    [
        ("One in five children live in poverty.", 0.2, "children"),
        ("Three in 10 voters back the plan.", 0.3, "voters"),
        ("Only one out of three survived.", 1 / 3, None),
        ("Two out of five hundred TVs failed.", 2 / 500, "TVs"),
    ],
)
def test_ratios_are_one_share(text: str, value: float, obj: str | None) -> None:
    f = one(text)
    assert (f.value, f.category, f.object) == (pytest.approx(value), "fraction", obj)


def test_ratio_needs_a_plain_base() -> None:
    assert values("He scored 3 in 10 minutes.") == [3, 10]  # a duration, not a share
    assert values("They won 2 in 5 and lost.") == [2, 5]  # digits without a counted thing


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The fund lost 30 MUSD last year.", 30e6, "USD"),
        ("Revenues of about MAUD 60 were reported.", 60e6, "AUD"),
        ("They lost 75 USD million in three years.", 75e6, "USD"),
        ("It costs 15 dollars 50.", 15.5, "USD"),
        ("It only cost thirteen dollars and forty-five cents.", 13.45, "USD"),
        ("It only cost 3 dollars 50 cents.", 3.5, "USD"),
    ],
)
def test_compound_money(text: str, value: float, unit: str) -> None:
    f = extract_figures(text)[0]
    assert (f.value, f.unit, f.category) == (pytest.approx(value), unit, "money")


def test_cents_need_the_end_of_the_amount() -> None:
    assert values("He paid 3 dollars and 50 people came.") == [3, 50]
    assert values("rmb 10 usd 20") == [10, 20]


def test_two_sided_bounds_are_one_range() -> None:
    f = one("The number is larger than 10 and smaller than 20.")
    assert (f.value, f.range_end, f.qualifier) == (10, 20, "=")
    f = one("This number is larger than twenty and less or equal than thirty five.")
    assert (f.value, f.range_end) == (20, 35)


def test_spaced_minus_before_a_temperature_only() -> None:
    f = one("how to convert - 20 degrees fahrenheit to celsius")
    assert (f.value, f.unit) == (-20, "fahrenheit")
    assert one("The firm - 20 years old - grew.").value == 20  # a dash, not a sign


def test_accounting_brackets_are_a_loss_but_conversions_are_not() -> None:
    f = one("The annual revenue is ($99.99).")
    assert (f.value, f.unit) == (-99.99, "USD")
    assert values("Air China plans to raise $1bn (£514m) from it.") == [1e9, 514e6]


def test_inch_mark_versus_closing_quote() -> None:
    f = one('The TV has a 8" screen.')
    assert (f.value, f.unit) == (8, "inch")
    assert one('He said "I paid 8" and left.').unit is None


def test_model_numbers_and_codes_are_not_figures() -> None:
    assert values("The airline ordered 20 Boeing 737-800 jets and two Airbus A320-200 planes.") == [20, 2]
    assert values("Apple released iOS 17 and Windows 10 last year.") == []
    assert values("The FSA's 60 strong investigation team met.") == [60]  # a possessive is not a name


@pytest.mark.parametrize(
    "text",
    [
        "Borrowing figures for 2003/4 are final.",
        "Beating England in '93 was great.",
        "There is a meeting planned for 6 or 7 January.",
        "Records play between 6 and 12 December.",
        "He lives at 10 Downing Street.",
    ],
)
def test_news_non_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_per_thousand_is_the_base_of_a_rate() -> None:
    assert values("Only eight people per thousand are car owners.") == [8]


def test_age_in_apposition() -> None:
    figs = extract_figures("Gere, 55, greeted the crowd. Samoa (7) play. In Paris, 35 people died.")
    assert [(f.value, f.category) for f in figs] == [(55, "age"), (7, "count"), (35, "killed")]


def test_digit_fractions_need_a_fraction_denominator() -> None:
    assert extract_figures("It was a post 9/11 slump and a 24/7 service.") == []
    assert values("It is 3/4 full, 1/40 of it, 5/16 inch.") == [0.75, 0.025, 0.3125]


def test_objects_stop_at_capitalised_plurals_and_skip_rates() -> None:
    assert one("Almost 90% of Britons own a handset.").object == "Britons"
    assert one("It equates to 94 billion a year.").object is None
    assert one("He attended the 31-year-old awards ceremony.").object == "awards ceremony"


# --- round 3: news forms from the tune half and a BBC sample ----------------------------------------------


def test_lakh_crore_multiplies() -> None:
    f = one("The budget sets aside Rs 3 lakh crore for roads.")
    assert (f.value, f.unit, f.surface) == (3e12, "INR", "Rs 3 lakh crore")
    assert one("A further Rs 2 thousand crore was pledged.").value == 2e10
    assert one("It cost Rs 1,200 crore.").value == 1.2e10


def test_negative_word_is_a_sign() -> None:
    f = one("Temperatures fell to negative 5 degrees.")
    assert (f.value, f.unit, f.surface) == (-5, "degree", "negative 5 degrees")
    assert one("The answer is negative one.").value == -1
    assert values("He tested negative 3 times.") == [3]  # a test result, not a sign


def test_spelled_number_before_m_iso_code_and_mil() -> None:
    f = one("Grants totalled twenty MUSD.")
    assert (f.value, f.unit) == (2e7, "USD")
    assert [(f.value, f.unit) for f in extract_figures("He paid $2 mil; 2mil SEK.")] == [(2e6, "USD"), (2e6, "SEK")]
    assert one("a 2 mil sheet").value == 2  # not money: mil is not million


def test_iso_dollar_prefixes_and_more_iso_codes() -> None:
    figs = extract_figures("It costs CAD$ 15, NZD$15, SEK 500m and 40 NOK.")
    assert [(f.value, f.unit) for f in figs] == [(15, "CAD"), (15, "NZD"), (5e8, "SEK"), (40, "NOK")]


def test_vague_scale_counts_are_not_figures() -> None:
    text = (
        "Several hundred soldiers were deployed, a few thousand people rallied, a couple of hundred tanks "
        "came, several hundred million pounds were spent."
    )
    assert extract_figures(text) == []
    assert values("A hundred people and some hundred others came.") == [100, 100]


def test_or_carries_the_scale() -> None:
    figs = extract_figures('Only "six or seven million" was spent; 2 or 3 billion dollars; five or six awards.')
    assert [(f.value, f.unit) for f in figs] == [
        (6e6, None),
        (7e6, None),
        (2e9, "USD"),
        (3e9, "USD"),
        (5, "award"),
        (6, "award"),
    ]


def test_range_does_not_run_into_a_date_or_clock_times() -> None:
    f = one("The deficit hit a record in the 12 months to 30 September 2004.")
    assert (f.value, f.range_end, f.unit) == (12, None, "month")
    assert extract_figures("It is shown from 1130 to 1215 GMT, or 0900-1700 GMT.") == []


def test_hyphenated_scale_word() -> None:
    figs = extract_figures("more than half of the 17-million population lives below the poverty line")
    assert [f.value for f in figs] == [0.5, 1.7e7]
    f = figs[1]
    assert (f.surface, f.object, f.category) == ("17-million population", "population", "count")  # verb "lives"
    assert one("a 2-billion-dollar deal").value == 2e9


def test_lives_counts_deaths_only_as_a_noun() -> None:
    assert [(f.object, f.category) for f in extract_figures("The storm claimed 300 lives.")] == [("lives", "killed")]
    assert one("At least 40 people lost their lives.").category == "killed"


def test_odd_is_approximate() -> None:
    f = one("There were 40-odd calls.")
    assert (f.value, f.qualifier, f.object, f.surface) == (40, "~", "calls", "40-odd calls")
    f = one("He served 30 odd years.")
    assert (f.value, f.qualifier, f.unit) == (30, "~", "year")
    assert one("He wore two odd socks.").qualifier == "="


def test_over_after_a_dispute_noun_is_not_a_qualifier() -> None:
    assert [f.qualifier for f in extract_figures("The row over 300 jobs grew; over 300 jobs were cut.")] == ["=", ">"]
    assert one("a win over two rivals").qualifier == "="


def test_camel_case_name_at_sentence_start_is_a_model() -> None:
    assert extract_figures("PlayStation 3 chip to be unveiled.") == []
    assert extract_figures("The iPhone 15 was launched.") == []


def test_working_days_are_days() -> None:
    f = one("Up to two working days will be lost.")
    assert (f.value, f.unit, f.qualifier, f.category) == (2, "day", "<", "duration")


def test_a_name_opening_the_sentence_is_not_a_figure() -> None:
    assert extract_figures("Windows 11 was released this week.") == []
    assert extract_figures("Apollo 11 landed on the Moon.") == []
    assert values("Yesterday 12 people died.") == [12]
    assert extract_figures("Formula 1 returns to Las Vegas; Windows 11 runs on 26% of PCs.")[0].value == 26
    assert values("Walking 7,000 steps a day helps.") == [7000]


def test_a_stock_index_after_a_possessive_is_a_name() -> None:
    assert extract_figures("The Dow, Standard and Poor's 500, and Nasdaq swung.") == []
    assert one("the FSA's 60 staff").value == 60


def test_one_casualty_is_a_figure() -> None:
    f = one("One person was killed.")
    assert (f.value, f.category, f.object) == (1, "killed", "person")
    assert [(f.value, f.category) for f in extract_figures("The fire killed one person and injured four.")] == [
        (1, "killed"),
        (4, "wounded"),
    ]
    assert extract_figures("But one man still in limbo is Griffiths.") == []


def test_decimal_range_end_is_not_a_date() -> None:
    f = one("It forecasts growth of 6-6.5% in 2004.")
    assert (f.value, f.range_end, f.unit) == (6, 6.5, "percent")
    assert extract_figures("It was signed on 12.03.2004 in Rome.") == []


def test_m_before_a_unit_word_is_million() -> None:
    f = one("The IMF has about 113.5m ounces of gold.")
    assert (f.value, f.unit, f.qualifier) == (113.5e6, "oz", "~")
    assert one("It sold 2m tonnes of wheat.").value == 2e6
    assert (one("a 2m wall").value, one("a 2m wall").unit) == (2, "m")


def test_device_and_engine_units() -> None:
    assert [(f.value, f.unit) for f in extract_figures("a 5,000mAh battery and a 12-megapixel camera")] == [
        (5000, "mAh"),
        (12, "megapixel"),
    ]
    assert [(f.value, f.unit) for f in extract_figures("It makes 255 horsepower and does 30 mpg.")] == [
        (255, "hp"),
        (30, "mpg"),
    ]
    assert one("Kyiv sold 500 million hryvnias.").unit == "UAH"


def test_age_of_and_year_olds_are_ages() -> None:
    f = one("He was elected at the age of 24.")
    assert (f.value, f.unit, f.category) == (24, "year", "age")
    f = one("a survey of 16 to 20-year-olds")
    assert (f.value, f.range_end, f.category, f.surface) == (16, 20, "age", "16 to 20-year-olds")


def test_multi_million_is_not_a_figure() -> None:
    assert extract_figures("It won multi-million pound contracts and a multibillion-dollar deal.") == []


def test_bodies_are_dead_only_when_counted() -> None:
    assert one("Rescuers recovered 40 bodies.").category == "killed"
    assert one("Information held by about 100,000 public bodies.").category == "count"
    assert one("It has deals with 20 other national Olympic bodies.").category == "count"


def test_result_line_between_two_names_is_a_score() -> None:
    assert extract_figures("Italy 17-28 Ireland") == []
    f = one("Between 10-20 Palestinians were killed.")
    assert (f.value, f.range_end, f.category) == (10, 20, "killed")


def test_apposition_with_or_keeps_its_own_unit() -> None:
    assert [(f.value, f.unit) for f in extract_figures("It compares to 27 million, or 50%, of the UK.")] == [
        (27e6, None),
        (50, "percent"),
    ]
    assert [f.unit for f in extract_figures("It takes 5, 10, or 20 minutes.")] == ["minute"] * 3


def test_versions_odds_and_stage_names_are_not_figures() -> None:
    assert extract_figures("Users running versions 4.7 and earlier are affected.") == []
    assert extract_figures("He was 1/3 favourite to be evicted while Bez was at 9/4.") == []
    assert extract_figures("Rapper 50 Cent has ended his feud.") == []
    assert one("It costs 50 cents.").unit == "USD_cent"


def test_scaled_values_carry_no_binary_noise() -> None:
    assert [f.value for f in extract_figures("It took $30.5m (£16.1m).")] == [30_500_000.0, 16_100_000.0]
    assert one("a 123456789101231 total").value == 123456789101231.0


def test_indian_digit_grouping() -> None:
    assert [f.value for f in extract_figures("It sold 1,74,551 units, including 1,44,002 at home.")] == [174551, 144002]
    f = one("The phone costs Rs 1,89,900 in India.")
    assert (f.value, f.unit) == (189900, "INR")


def test_an_amount_a_period_is_a_rate_unless_anchored_in_time() -> None:
    assert one("paying more than $22 an hour").unit == "USD/hour"
    assert one("a move worth about £450 a year").unit == "GBP/year"
    assert one("It earns €15 million a year after tax.").unit == "EUR/year"
    assert one("Sales rose to $1.17 billion a year earlier.").unit == "USD"
    assert one("retreating by roughly 100 feet a year").unit == "ft/year"
    assert one("1.6 million barrels of crude a day").unit == "barrel/day"


def test_halves_of_a_period_are_not_figures() -> None:
    assert extract_figures("It will report in the first half of next year.") == []
    assert one("Half of voters agree.").value == 0.5


def test_over_a_period_spans_it() -> None:
    assert [(f.value, f.qualifier) for f in extract_figures("a deal worth £6.7bn over four years")] == [
        (6.7e9, "="),
        (4, "="),
    ]
    assert [f.qualifier for f in extract_figures("She lost 9 kg over 72 weeks.")] == ["=", "="]
    assert one("He was jailed for over 10 years.").qualifier == ">"
    assert one("children over five years old").qualifier == ">"


def test_passing_a_mark_is_more_than_it() -> None:
    f = one("Bitcoin surged past $73,000 on Thursday.")
    assert (f.value, f.qualifier, f.unit) == (73000, ">", "USD")
    f = one("Cases have passed 5 million this year.")
    assert (f.value, f.qualifier, f.object) == (5e6, ">", None)
    assert one("in the past 24 hours").qualifier == "="


def test_more_units_in_the_news() -> None:
    assert one("It tows up to 11,000 pounds.").unit == "lb"
    assert one("hackers stole about 4,500 BTC").unit == "BTC"
    assert one("Wheat rose to $6.12 a bushel.").unit == "USD/bushel"
    f = one("adults aged between 40 and 69")
    assert (f.value, f.range_end, f.unit, f.category) == (40, 69, "year", "age")


def test_hedged_fractions_after_by_and_digit_one_in_n() -> None:
    f = one("It reduced the harvest by roughly a fifth.")
    assert (f.value, f.qualifier) == (0.2, "~")
    f = one("The fatality rate stands at roughly 1 in 10, officials said.")
    assert (f.value, f.qualifier) == (0.1, "~")


def test_plus_or_minus_is_a_margin() -> None:
    f = one("a margin of error of plus or minus 2.5 percentage points")
    assert (f.value, f.unit) == (2.5, "percentage point")
    assert one("It fell to minus 5C.").value == -5


def test_attached_currency_prefixes() -> None:
    assert [(f.value, f.unit) for f in extract_figures("salaries worth KSh 3.2 billion and a RM2.5 billion deal")] == [
        (3.2e9, "KES"),
        (2.5e9, "MYR"),
    ]
    assert extract_figures("the A380, MP3 players and R2-D2") == []


def test_estimated_within_near_and_bracketed_conversions() -> None:
    assert one("Repairs are estimated at $210m.").qualifier == "~"
    assert one("Trains arrived within five minutes.").qualifier == "<"
    assert one("temperatures near 32 degrees Celsius").qualifier == "~"
    assert [f.qualifier for f in extract_figures("earning more than $40m (£22m) on day one")] == [">", ">"]
    assert [f.qualifier for f in extract_figures("It cost $74m (£40m).")] == ["=", "="]


def test_ages_in_apposition_and_lists() -> None:
    assert [(f.value, f.category) for f in extract_figures("The owner, 61, was later arrested.")] == [(61, "age")]
    assert [(f.value, f.unit) for f in extract_figures("Two men, aged 19 and 22, were held.")][1:] == [
        (19, "year"),
        (22, "year"),
    ]
    assert one("the youngest aged just eight").category == "age"


def test_consecutive_days_and_poll_points() -> None:
    assert one("31 consecutive days of heat").unit == "day"
    figs = extract_figures("A poll puts the party on 27 per cent, up three points from last month.")
    assert [f.unit for f in figs] == ["percent", "percentage point"]
    assert one("The club was docked 10 points.").unit == "point"
    assert extract_figures("The Dow shed 533 points, or 1.3%.")[0].unit == "point"


def test_suspended_hyphen_ranges() -> None:
    f = one("a conceptualized 8- to 16-meter telescope")
    assert (f.value, f.range_end, f.unit) == (8, 16, "m")
    f = one("3- or 4-year sentences")
    assert (f.value, f.range_end, f.unit) == (3, 4, "year")


def test_spaced_scale_abbreviations_and_rand() -> None:
    assert one("Airline Fined $1.2 Mln Over Refund Delays").value == 1.2e6
    assert one("It sold 1.5 bln shares.").value == 1.5e9
    assert (one("a 5 m wall").value, one("a 5 m wall").unit) == (5, "m")
    assert [(f.value, f.unit) for f in extract_figures("bail of R5,000 and a haul worth R450 million")] == [
        (5000, "ZAR"),
        (450e6, "ZAR"),
    ]
    assert one("Petrol will cost R23.41 a litre.").unit == "ZAR/litre"
    assert extract_figures("the R5 road and R2-D2") == []


def test_list_numbers_continue_and_title_case_headlines_measure() -> None:
    assert extract_figures("The M25 will close between junctions 10 and 11.") == []
    f = one("Man Jailed For Nine Years Over Hit-And-Run")
    assert (f.value, f.unit) == (9, "year")
    assert extract_figures("the Six Nations") == []


def test_degrees_take_the_sentence_scale() -> None:
    figs = extract_figures("Seville hit 46C on Sunday, while Lisbon reached 44.9 degrees.")
    assert [f.unit for f in figs] == ["celsius", "celsius"]


def test_half_before_a_possessive_and_tops() -> None:
    assert one("He lost almost half his body weight.").value == 0.5
    assert one("Bitcoin tops $100,000").qualifier == ">"
    assert one("read speeds of 7,000 MB per second").unit == "MB/s"


def test_from_to_after_a_change_verb_is_two_figures() -> None:
    figs = extract_figures("It will raise capacity from 800 crore to 1,000 crore journeys.")
    assert [(f.value, f.range_end) for f in figs] == [(8e9, None), (1e10, None)]


def test_naira_dirham_and_letter_prefixed_ranges() -> None:
    assert [(f.value, f.unit) for f in extract_figures("It spent N1.2 trillion; N95 masks ran out.")] == [
        (1.2e12, "NGN")
    ]
    f = one("each will receive between N250,000 and N1.2 million")
    assert (f.value, f.range_end, f.unit) == (250000, 1.2e6, "NGN")
    assert one("prices of about Dh2,100 per square foot").unit == "AED/ft2"
    assert one("from Rs 40 to Rs 60 a kg").unit == "INR/kg"


def test_rate_bases_dates_with_abbreviated_months_and_real_estate() -> None:
    assert [f.value for f in extract_figures("an incidence of 8.5 per 100,000 people")] == [8.5]
    assert extract_figures("The committee meets from Aug. 6 to 8.") == []
    assert [f.value for f in extract_figures("on Sept. 11 and 12, with 40 people")] == [40]
    assert one("11,541 real estate transactions").unit == "transaction"


def test_people_under_an_age_and_periods_spanned_by_over() -> None:
    assert [(f.value, f.unit, f.qualifier) for f in extract_figures("children under five and adults over 65")] == [
        (5, "year", "<"),
        (65, "year", ">"),
    ]
    assert extract_figures("about $1.1 billion over five sessions")[1].qualifier == "="
    assert one("The jet flew over 500 miles.").qualifier == ">"


def test_hyphenated_unit_symbols_and_per_annum() -> None:
    assert [(f.value, f.unit) for f in extract_figures("a 4,400-kg satellite on the 48-km route")] == [
        (4400, "kg"),
        (48, "km"),
    ]
    assert extract_figures("a 10-K filing and a 3-D film") == []
    assert one("142 million tonnes per annum").unit == "tonne/year"
    assert one("It closed at 72.93 U.S. cents.").unit == "USD_cent"


def test_phrasal_over_ratios_with_every_and_clock_words() -> None:
    assert [f.qualifier for f in extract_figures("He handed over $103,500 (£53,400).")] == ["=", "="]
    assert one("It had taken over 80% of the property.").qualifier == "="
    assert one("It weighs over 80 kg.").qualifier == ">"
    f = one("It flies six out of every 10 planes.")
    assert (f.value, f.category) == (0.6, "fraction")
    assert extract_figures("We met at four o'clock.") == []


def test_rates_per_person_and_age_groups() -> None:
    assert one("It drank 0.22 litres per capita.").unit == "litre/capita"
    assert one("It costs $5,000 per head.").unit == "USD/head"
    figs = extract_figures("Benefits for the over-65s and under-5s will rise.")
    assert [(f.value, f.unit, f.qualifier, f.surface) for f in figs] == [
        (65, "year", ">", "over-65s"),
        (5, "year", "<", "under-5s"),
    ]
    assert extract_figures("the F-16s and B-52s") == []
    f = one("It is open to pupils between the ages of 16 and 18.")
    assert (f.value, f.range_end, f.unit) == (16, 18, "year")


def test_a_change_verb_anywhere_in_the_clause_splits_from_to() -> None:
    figs = extract_figures("India has raised the limit for foreign investment in telecoms firms from 49% to 74%.")
    assert [(f.value, f.range_end) for f in figs] == [(49, None), (74, None)]
    figs = extract_figures("It grew, with temperatures from 10 to 15C.")
    assert [(f.value, f.unit) for f in figs] == [(10, "celsius"), (15, "celsius")]
    assert one("Sentences range from 10 to 15 years.").range_end == 15


def test_m_before_a_modified_plural_and_capitalised_unit_names() -> None:
    assert one("Mobile users sent 133m text messages.").value == 133e6
    assert extract_figures("Three Degrees star Sheila Ferguson is the favourite.") == []
    assert one("Ten Years of War in Syria").unit == "year"
    assert one("Four weeks later, it fell.").unit == "week"


def test_bare_ages_after_a_person_and_be() -> None:
    assert [(f.value, f.category) for f in extract_figures("He was 84.")] == [(84, "age")]
    assert one("who is 36 at the end of February").unit == "year"
    assert one("Users must prove they are over 18.").qualifier == ">"
    assert one("The score was 84.").category == "count"


def test_ranks_match_minutes_and_clock_times_are_not_figures() -> None:
    assert extract_figures("the top five hit Money") == []
    assert extract_figures("They reached the last four.") == []
    assert one("the last four matches").value == 4
    assert extract_figures("Chelsea took the lead on 59 minutes.") == []
    assert extract_figures("Trading resumed at 1330.") == []
    assert extract_figures("50 Cent's entourage") == []


def test_more_qualifiers_and_rates() -> None:
    assert one("something like 15 million").qualifier == "~"
    assert one("a maximum two-year ban").qualifier == "<="
    assert one("for the next 15 years at least.").qualifier == ">="
    assert one("The Fed pushed rates up to 2.25%.").qualifier == "="
    assert one("It is expected to raise up to $220bn.").qualifier == "<"
    assert one("He pays £100 every year.").unit == "GBP/year"
    assert one("It costs £265m annually.").unit == "GBP/year"
    assert extract_figures("The plane was overloaded by 700 pounds (320kg).")[0].unit == "lb"
    assert one("shares fell 65 Canadian cents").unit == "CAD_cent"
    assert one("about 12 hour's worth of video").unit == "hour"
    assert one("in extending lives in a trial of 1,692 patients").category == "count"


def test_web_page_noise_is_not_figures() -> None:
    assert extract_figures("It was the first web browser.[43][44][45] Later it grew.") == []
    assert extract_figures("5/50 Warren Buffett says hello.") == []
    assert extract_figures("a 4K display and an 8K TV") == []
    assert one("about 1/3 of the replies").category == "fraction"


def test_spaced_vulgar_fraction_sums_and_another() -> None:
    assert (one("It took 6 ½ minutes.").value, one("It took 6 ½ minutes.").unit) == (6.5, "minute")
    assert one("It can add up to 6 petabytes.").qualifier == "="
    assert one("It needs at least another six months.").qualifier == ">="


def test_one_unit_with_a_bound() -> None:
    f = one("It lasted more than a month.")
    assert (f.value, f.unit, f.qualifier, f.surface) == (1, "month", ">", "more than a month")
    assert (one("over a fortnight").value, one("over a fortnight").unit) == (2, "week")
    assert extract_figures("It happened a year ago.") == []


def test_plus_with_unit_beheadings_parts_of_an_event_and_nights() -> None:
    f = one("He has 40+ years of experience.")
    assert (f.value, f.unit, f.qualifier) == (40, "year", ">=")
    assert one("Militants beheaded 21 Christians.").category == "killed"
    figs = extract_figures("The blast killed at least 19 people, including 17 foreigners.")
    assert [f.category for f in figs] == ["killed", "killed"]
    assert one("a $35-a-night motel").unit == "USD/night"


def test_set_f_patterns() -> None:
    assert one("He signed an eight-and-a-half-year contract.").value == 8.5
    assert one("The jobless rate edged up to 4.1%.").qualifier == "="
    assert one("It will raise the pension age to 67 by 2031.").category == "age"
    assert extract_figures("Shares of 3M rose in early trading.") == []
    assert one("It has 3M users.").value == 3e6
    assert one("WTI settled at $71.02/bbl.").unit == "USD/barrel"
    assert one("One-in-four homes has no heating.").value == 0.25
    assert one("net income of 84 cents a share").unit == "USD_cent"  # per-share prices stay money


def test_objects_stop_at_common_verbs() -> None:
    assert one("The 62-year-old sang Hey Jude.").object is None
    assert one("Only one in four adults gets enough exercise.").object == "adults"
    assert one("over 1,380 civilians dead").object == "civilians"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Ford has 13000 workers in the UK.", "worker"),
        ("all 41 trapped workers were pulled out", "worker"),
        ("all 23 crew members were safe", "member"),
        ("nearly 7.7 million Venezuelans have left", "venezuelan"),
        ("The 72-room hotel was sold.", "room"),
        ("with about 6,500 security personnel deployed", "personnel"),
        ("He has 47 previous convictions.", "conviction"),
        ("The hospital has three dialysis machines.", "machine"),
        ("killing at least 22.", None),
        ("an incidence rate of 8.5 per 100,000 people", None),
        ("he has lost 60 of his cattle", None),
        ("adding that 41 had been rescued", None),
        ("About a third of the staff left.", None),
    ],
)
def test_a_count_takes_its_noun_as_unit(text: str, unit: str | None) -> None:
    figs = extract_figures(text)
    assert len(figs) == 1
    assert figs[0].unit == unit

