"""Named bounds for the row-level checks: what a sane value looks like, per figure category.

Kept apart from the suites so each constant carries its reason. Bounds are deliberately wide: they catch
parser garbage (a year read as a death toll, an overflowed number), not unusual news.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import pandas as pd

from transforms.figures.lexicon import CATEGORIES

# Every value figures.category may take (transforms/data/figures/categories.json): the extractor writes only
# these, the SQL view analytics.event_counts lists the event ones, `figures.category_allowed` checks them.
FIGURE_CATEGORIES: tuple[str, ...] = CATEGORIES
# Oldest plausible publication date; anything earlier is a parse error (e.g. a year-only "0019").
PUBLISHED_MIN = pd.Timestamp("1900-01-01", tz="UTC")
# Feeds stamp local times with wrong offsets and servers drift; a day of slack avoids false alarms.
FUTURE_TOLERANCE = timedelta(days=1)

# Largest finite double: `value_finite` rejects +-inf (NaN is caught by `value_not_null`).
FINITE_MAX = sys.float_info.max

# Generic cap for categories without a specific range (counts, quantities, extensions we do not know yet):
# a quadrillion is beyond any real count or amount in news text, but well inside float precision.
DEFAULT_RANGE = (-1e15, 1e15)

# (min, max) per category. People counts are never negative. Upper bounds sit above the largest real
# figures one meets in news (world-war death tolls ~8e7, the global displaced population ~1.2e8,
# the world population ~8e9) so history pieces pass but overflowed or concatenated numbers do not.
FIGURE_RANGES: dict[str, tuple[float, float]] = {
    "killed": (0, 1e8),
    "wounded": (0, 1e8),
    "arrested": (0, 1e7),  # mass-arrest campaigns reach 1e5..1e6
    "kidnapped": (0, 1e6),
    "displaced": (0, 1e9),
    "affected": (0, 1e10),  # "affects every person on earth"
    # A change can be below -100% only in sloppy writing, but it happens ("fell 150%"); hyperinflation
    # figures reach 1e5..1e6 percent. Beyond that it is a misparse.
    "percent": (-1000, 1e6),
    # Money may be negative (losses, deficits); a quadrillion covers derivative notionals.
    "money": (-1e15, 1e15),
}


if unknown := set(FIGURE_RANGES) - set(FIGURE_CATEGORIES):
    raise ValueError(f"FIGURE_RANGES names categories outside the vocabulary: {sorted(unknown)}")


def figure_range(category: str | None) -> tuple[float, float]:
    """The (min, max) allowed for a figure of this category."""
    return FIGURE_RANGES.get(category or "", DEFAULT_RANGE)
