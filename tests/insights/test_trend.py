"""Weekly trend, its smooth line, and the "compared with 2 months ago" sentence."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from crampwise.diary.core.records import NightRecord
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.simulate import simulate_diary
from crampwise.insights.core.trend import recent_change, trend_section, weekly_trend

START = date(2025, 1, 6)  # a Monday


def _table(counts, start=START, today=None):
    nights = [NightRecord(start + timedelta(days=i), c) for i, c in enumerate(counts)]
    return NightTable.from_records(nights, today or start + timedelta(days=len(counts)))


def _steady_diary(seed, nights=140, per_week=4.0):
    """Constant rate, negative binomial nights, no drift: any "change" is noise."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(per_week / 7 * rng.gamma(1.5, 1 / 1.5, nights))
    return [int(c) for c in counts]


def test_weeks_start_on_monday_and_keep_their_nights():
    """Each week row has its cramps and recorded nights; a gap week shows 0 nights, no rate."""
    counts = [1] * 7 + [None] * 7 + [0, 2, 0, 0, 0, 0, 0]
    rows = weekly_trend(_table(counts))
    assert [r["week_start"] for r in rows] == ["2025-01-06", "2025-01-13", "2025-01-20"]
    assert [(r["cramps"], r["nights"]) for r in rows] == [(7, 7), (0, 0), (2, 7)]
    assert rows[1]["cramps_per_week"] is None
    assert rows[2]["cramps_per_week"] == 2.0


def test_the_band_contains_the_smoothed_line():
    """Every week's smoothed value lies inside its band."""
    d = simulate_diary(3, with_episodes=False)
    for row in weekly_trend(NightTable.from_records(d.nights, d.today)):
        low, high = row["band"]
        assert low <= row["smoothed"] <= high


def test_it_calls_a_true_halving_better():
    """8 a week two months ago and 4 a week now is reported as fewer cramps."""
    rng = np.random.default_rng(1)
    counts = list(rng.poisson(8 / 7, 70)) + list(rng.poisson(4 / 7, 42))
    table = _table([int(c) for c in counts])
    change = recent_change(table, START + timedelta(days=len(counts) - 1))
    assert change["verdict"] == "fewer"
    assert change["sentence"].startswith("Fewer cramps than 2 months ago:")
    assert " a week." in change["sentence"]


def test_trend_sentence_is_absent_for_pure_noise():
    """A steady rate gives no headline in a seeded diary, and rarely across many."""
    changes = []
    for seed in range(60):
        counts = _steady_diary(seed)
        table = _table(counts)
        section = trend_section(table, START + timedelta(days=len(counts) - 1))
        changes.append(section["headline"] is not None)
        if seed == 0:
            assert section["headline"] is None
            assert section["change"]["verdict"] == "no_clear_change"
            assert "could be chance" in section["change"]["sentence"]
    assert sum(changes) / len(changes) <= 0.10


def test_it_says_when_there_are_too_few_nights_to_compare():
    """Less than 14 recorded nights in a window: no verdict, and the sentence says why."""
    counts = [1] * 30
    change = recent_change(_table(counts), START + timedelta(days=29))
    assert change["verdict"] == "not_enough_data"
    assert change["earlier"]["nights"] == 0
    assert "Not enough nights" in change["sentence"]


def test_each_window_states_the_nights_it_rests_on():
    """Both windows report dates, nights and cramps."""
    counts = [1, 0] * 56
    change = recent_change(_table(counts), START + timedelta(days=111))
    for side in ("recent", "earlier"):
        assert change[side]["nights"] == 28
        assert change[side]["cramps"] == 14
        assert change[side]["cramps_per_week"] == 3.5


def test_fewer_and_more_get_the_same_caution_and_their_nights():
    """A fall and a rise from 2 months ago are worded alike: the nights, and "may be chance"."""
    high, low = [2] * 28, [0] * 28
    middle = [1] * 28
    fewer = recent_change(_table(high + middle + low), START + timedelta(days=83))
    more = recent_change(_table(low + middle + high), START + timedelta(days=83))
    assert (fewer["verdict"], more["verdict"]) == ("fewer", "more")
    for change in (fewer, more):
        assert "over 28 recorded nights now and 28 then" in change["sentence"]
        assert change["sentence"].endswith("This may be chance or another cause.")
