"""When cramps come: hour of the night, which muscle and side, and the month of the year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from crampwise.core.i18n import gettext as _
from crampwise.diary.core.records import MUSCLES, SIDES, EpisodeRecord
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.rates import WEEK
from crampwise.insights.core.rounding import round_or_none

# The night is drawn from noon to noon, the same day boundary that names nights, so the small
# hours sit in the middle of the chart instead of being split across its two ends.
NIGHT_HOUR_ORDER = tuple(range(12, 24)) + tuple(range(12))


def month_names() -> tuple[str, ...]:
    """Month names, translated when the call happens (not at import, before a language is set)."""
    return (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
        _("July"), _("August"), _("September"), _("October"), _("November"), _("December"),
    )  # fmt: skip


def hour_histogram(episodes: Sequence[EpisodeRecord]) -> list[dict[str, Any]]:
    counts = Counter(e.local_hour for e in episodes)
    return [
        {"hour": h, "label": f"{h:02d}:00", "episodes": counts.get(h, 0)} for h in NIGHT_HOUR_ORDER
    ]


def _tally(values: Sequence[str | None], known: Sequence[str]) -> list[dict[str, Any]]:
    counts = Counter(v if v in known else None for v in values)
    rows = [{"name": k, "episodes": counts.get(k, 0)} for k in known]
    rows.append({"name": "not_recorded", "episodes": counts.get(None, 0)})
    return rows


def by_month(table: NightTable) -> list[dict[str, Any]]:
    """Cramps per week for each calendar month (all years together) that has recorded nights."""
    if not table.size:
        return []
    names = month_names()
    months = np.fromiter((r.night.month for r in table.nights), dtype=np.int64, count=table.size)
    cramps = np.bincount(months, weights=table.cramps, minlength=13)
    nights = np.bincount(months, minlength=13)
    return [
        {
            "month": m,
            "name": names[m - 1],
            "cramps": int(cramps[m]),
            "nights": int(nights[m]),
            "cramps_per_week": round_or_none(WEEK * cramps[m] / nights[m], 2),
        }
        for m in range(1, 13)
        if nights[m] > 0
    ]


def timing_section(table: NightTable, episodes: Sequence[EpisodeRecord]) -> dict[str, Any]:
    return {
        "episodes": len(episodes),
        "hours": hour_histogram(episodes),
        "muscles": _tally([e.muscle for e in episodes], MUSCLES),
        "sides": _tally([e.side for e in episodes], SIDES),
        "months": by_month(table),
    }
