"""The numbers of the doctor's report, from plain diary records. Pure; no Django.

Each figure uses the same definition as the Insights feature's ``summarize`` (a test compares them
for the same range), so the patient and the doctor never see two different "cramps a week":

- a night counts only when it was recorded; a missing night is never a night without cramps;
- cramps per week = 7 x cramps / recorded nights, with a quasi-Poisson 95% interval;
- nights woken = nights with minutes awake above 0, among nights that answered that question;
- worst pain = the morning's worst pain on nights with a cramp;
- cramp length = the logged cramps that have an end time.

These functions take the records already limited to the report's range.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from crampwise.diary.core.records import MUSCLES, SIDES, EpisodeRecord, NightRecord
from crampwise.insights.core.rates import rate as insights_rate
from crampwise.insights.core.trend import week_start  # Monday, as on the Insights page

WEEK = 7.0
LONG_CRAMP_SECONDS = 10 * 60  # a cramp over 10 minutes that does not ease is a red flag


def recorded(nights: Sequence[NightRecord]) -> list[NightRecord]:
    """One record per confirmed night, the last one winning, in date order.

    A night known only from the night log waits for its morning answer (decision 0002).
    """
    by_night = {n.night: n for n in nights if n.counts_towards_rates}
    return [by_night[d] for d in sorted(by_night)]


def rate(nights: Sequence[NightRecord]) -> dict[str, Any]:
    """Cramps per week over recorded nights, with the nights it rests on and a 95% interval.

    The insights feature's rate and interval (quasi-Poisson), so the report and Insights agree.
    """
    r = insights_rate(np.asarray([n.cramps for n in nights], dtype=float))
    return {
        "cramps": r.cramps,
        "nights": r.nights,
        "per_week": _round(r.per_week),
        "ci95": [_round(r.ci95[0]), _round(r.ci95[1])] if r.ci95 else None,
    }


def quartiles(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0, "median": None, "q1": None, "q3": None, "max": None}
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return {
        "n": len(values),
        "median": float(median),
        "q1": float(q1),
        "q3": float(q3),
        "max": float(max(values)),
    }


def worst_pain(nights: Sequence[NightRecord]) -> dict[str, Any]:
    return quartiles(
        [n.worst_pain for n in nights if n.worst_pain is not None and (n.cramps or 0) > 0]
    )


def durations(episodes: Sequence[EpisodeRecord]) -> dict[str, Any]:
    seconds = [e.duration_seconds for e in episodes if e.duration_seconds is not None]
    result = quartiles(seconds)
    result["over_10_minutes"] = sum(1 for s in seconds if s > LONG_CRAMP_SECONDS)
    return result


def woken(nights: Sequence[NightRecord]) -> dict[str, Any]:
    answered = [n.minutes_awake for n in nights if n.minutes_awake is not None]
    awake = [m for m in answered if m > 0]
    return {
        "nights": len(awake),
        "nights_answered": len(answered),
        "median_minutes": float(np.median(awake)) if awake else None,
    }


def sleep(nights: Sequence[NightRecord]) -> dict[str, Any]:
    """Mean sleep quality (1 very poor to 5 very good) on nights with and without cramps."""
    rated = [(n.sleep_quality, n.cramps) for n in nights if n.sleep_quality is not None]
    with_cramps = [quality for quality, cramps in rated if (cramps or 0) > 0]
    without = [quality for quality, cramps in rated if cramps == 0]
    return {
        "nights": len(rated),
        "mean": _mean([quality for quality, _cramps in rated]),
        "mean_with_cramps": _mean(with_cramps),
        "mean_without_cramps": _mean(without),
        "nights_with_cramps": len(with_cramps),
        "nights_without_cramps": len(without),
    }


def soreness(nights: Sequence[NightRecord]) -> dict[str, Any]:
    """Next-day soreness: how many answered nights were followed by moderate or severe soreness."""
    answered = [n.soreness for n in nights if n.soreness is not None]
    return {
        "nights_answered": len(answered),
        "moderate_or_severe": sum(1 for s in answered if s >= 2),
    }


def tally(values: Sequence[str | None], known: Sequence[str]) -> list[dict[str, Any]]:
    """Counts in the insights feature's shape: every known value, then ``not_recorded``."""
    counts = Counter(v if v in known else None for v in values)
    rows = [{"name": k, "episodes": counts.get(k, 0)} for k in known]
    rows.append({"name": "not_recorded", "episodes": counts.get(None, 0)})
    return rows


def sites(episodes: Sequence[EpisodeRecord]) -> list[dict[str, Any]]:
    """Side and muscle together ("left calf"), most frequent first; unknown parts kept as None."""
    counts = Counter(
        (e.side if e.side in SIDES else None, e.muscle if e.muscle in MUSCLES else None)
        for e in episodes
    )
    return [
        {"side": side, "muscle": muscle, "episodes": n}
        for (side, muscle), n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]


def busiest_hours(episodes: Sequence[EpisodeRecord], width: int = 3) -> dict[str, Any] | None:
    """The ``width``-hour stretch of the night in which most cramps started."""
    if not episodes:
        return None
    counts = Counter(e.local_hour for e in episodes)
    best = max(
        range(24),
        key=lambda h: (sum(counts.get((h + i) % 24, 0) for i in range(width)), -((h - 12) % 24)),
    )
    share = sum(counts.get((best + i) % 24, 0) for i in range(width)) / len(episodes)
    return {
        "from_hour": best,
        "to_hour": (best + width) % 24,
        "share": round(share, 3),
        "episodes": len(episodes),
    }


def weekly(nights: Sequence[NightRecord], start: date, end: date) -> list[dict[str, Any]]:
    """Calendar weeks (Monday first) over the whole range, weeks without records included."""
    first = week_start(start)
    rows: dict[date, dict[str, Any]] = {}
    week = first
    while week <= end:
        rows[week] = {
            "week_start": week.isoformat(),
            "cramps": 0,
            "nights": 0,
            "cramps_per_week": None,
        }
        week += timedelta(days=7)
    for n in nights:
        row = rows[week_start(n.night)]
        row["cramps"] += n.cramps or 0
        row["nights"] += 1
    for row in rows.values():
        if row["nights"]:
            row["cramps_per_week"] = _round(WEEK * row["cramps"] / row["nights"])
    return list(rows.values())


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _round(x: float | None, digits: int = 2) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)
