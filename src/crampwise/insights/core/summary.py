"""``summarize``: everything the Insights page, the report and ``crampwise insights --json`` show.

Pure: plain records in, a JSON-ready dict out. Every rate carries the nights it rests on; a night
without an answer is left out, never counted as a night without cramps, and a night known only from
cramps logged during it is listed as not confirmed instead of counted (see ``night_table``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.diary.core.records import EpisodeRecord, FactorSpec, MedicineRecord, NightRecord
from crampwise.insights.core import factors, relief, trend
from crampwise.insights.core.factors import analyse_factors
from crampwise.insights.core.medicines import medicines_section
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.rates import rate
from crampwise.insights.core.relief import relief_section
from crampwise.insights.core.rounding import round_or_none
from crampwise.insights.core.timing import timing_section
from crampwise.insights.core.trend import trend_section
from crampwise.insights.core.trend_basis import NIGHTS_PER_TREND_DF

SCHEMA_VERSION = 1
LAST_WEEKS_NIGHTS = 28


def summarize(
    nights: Iterable[NightRecord],
    episodes: Iterable[EpisodeRecord],
    medicines: Sequence[MedicineRecord],
    factor_specs: Sequence[FactorSpec],
    today: date,
) -> dict[str, Any]:
    """All insights for one person as of ``today`` (nights and episodes after it are ignored)."""
    table = NightTable.from_records(nights, today)
    kept = [e for e in episodes if e.night <= today]
    return {
        "version": SCHEMA_VERSION,
        "today": today.isoformat(),
        "summary": overall_summary(table, kept, today),
        "trend": trend_section(table, today),
        "timing": timing_section(table, kept),
        "relief": relief_section(kept),
        "factors": analyse_factors(table, factor_specs),
        "medicines": medicines_section(table, medicines, today),
        "methods": methods(),
    }


def overall_summary(
    table: NightTable, episodes: Sequence[EpisodeRecord], today: date
) -> dict[str, Any]:
    overall = rate(table.cramps)
    recent_first = today - timedelta(days=LAST_WEEKS_NIGHTS - 1)
    recent = rate(table.cramps[table.window(recent_first, today)])
    span = table.span_days
    free = int((table.cramps == 0).sum())
    return {
        "nights_recorded": overall.nights,
        "nights_with_cramps": int((table.cramps > 0).sum()),
        "cramps_total": overall.cramps,
        "cramps_per_week": round_or_none(overall.per_week, 2),
        "cramps_per_week_ci95": _pair(overall.ci95),
        "cramps_per_week_last_4_weeks": round_or_none(recent.per_week, 2),
        "cramps_per_week_last_4_weeks_ci95": _pair(recent.ci95),
        "nights_recorded_last_4_weeks": recent.nights,
        "last_4_weeks": {"from": recent_first.isoformat(), "to": today.isoformat()},
        "cramp_free_nights": free,
        "cramp_free_night_fraction": round_or_none(free / overall.nights, 3)
        if overall.nights
        else None,
        "first_night": table.first.isoformat() if table.first else None,
        "last_night": table.last.isoformat() if table.last else None,
        "nights_in_span": span,
        "nights_not_recorded": span - overall.nights,
        "nights_not_confirmed": len(table.unconfirmed),
        "cramps_logged_not_confirmed": sum(r.cramps or 0 for r in table.unconfirmed),
        "not_confirmed_nights": [r.night.isoformat() for r in table.unconfirmed],
        "nights_woken": _woken(table),
        "worst_pain": _quartiles(
            [
                r.worst_pain
                for r in table.nights
                if r.worst_pain is not None and (r.cramps or 0) > 0
            ],
            "nights",
        ),
        "cramp_duration_seconds": _quartiles(
            [e.duration_seconds for e in episodes if e.duration_seconds is not None], "episodes"
        ),
        "sentence": _sentence(overall.per_week, overall.nights, recent.per_week, recent.nights)
        + _unconfirmed_sentence(len(table.unconfirmed)),
    }


def _pair(ci: tuple[float, float] | None) -> list[float | None] | None:
    return [round_or_none(ci[0], 2), round_or_none(ci[1], 2)] if ci else None


def _woken(table: NightTable) -> dict[str, Any]:
    answered = [r.minutes_awake for r in table.nights if r.minutes_awake is not None]
    woken = sum(1 for m in answered if m > 0)
    return {
        "nights": woken,
        "nights_answered": len(answered),
        "fraction": round_or_none(woken / len(answered), 3) if answered else None,
        "median_minutes_when_woken": round_or_none(
            float(np.median([m for m in answered if m > 0])) if woken else None, 1
        ),
    }


def _quartiles(values: Sequence[int | float], unit: str) -> dict[str, Any]:
    if not values:
        return {unit: 0, "median": None, "q1": None, "q3": None}
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return {unit: len(values), "median": float(median), "q1": float(q1), "q3": float(q3)}


def _sentence(per_week: float | None, nights: int, recent: float | None, recent_nights: int) -> str:
    if per_week is None:
        return _("No nights recorded yet.")
    text = ngettext(
        "%(rate).1f cramps a week, over %(n)d recorded night.",
        "%(rate).1f cramps a week, over %(n)d recorded nights.",
        nights,
    ) % {"rate": per_week, "n": nights}
    if recent is not None:
        text += " " + ngettext(
            "Last 4 weeks: %(rate).1f a week, over %(n)d recorded night.",
            "Last 4 weeks: %(rate).1f a week, over %(n)d recorded nights.",
            recent_nights,
        ) % {"rate": recent, "n": recent_nights}
    return text


def _unconfirmed_sentence(count: int) -> str:
    if not count:
        return ""
    return " " + ngettext(
        "%(n)d night with cramps logged has no morning answer yet, so it is not counted. "
        "Answer the morning check-in for it to count.",
        "%(n)d nights with cramps logged have no morning answer yet, so they are not counted. "
        "Answer the morning check-in for them to count.",
        count,
    ) % {"n": count}


def methods() -> dict[str, Any]:
    """The thresholds behind the verdicts, so a reader of the JSON can check them."""
    return {
        "interval_level": 0.95,
        "rate_interval": "quasi-Poisson (Poisson widened by over-dispersion)",
        "factor_model": (
            "log-linear, negative binomial working weights, natural-spline time trend, "
            "EWC robust errors with cosine terms by factor persistence"
        ),
        "factor_fdr_q": factors.FDR_Q,
        "factor_min_nights_each_side": factors.MIN_NIGHTS_EACH_SIDE,
        "trend_nights_per_spline_df": NIGHTS_PER_TREND_DF,
        "change_window_nights": trend.WINDOW_NIGHTS,
        "change_min_nights_each_window": trend.MIN_WINDOW_NIGHTS,
        "relief_min_episodes_each_side": relief.MIN_EPISODES_EACH_SIDE,
        "relief_fdr_q": relief.FDR_Q,
    }
