"""Relief: durations compared fairly, adjusting for pain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

from crampwise.diary.core.records import EpisodeRecord
from crampwise.insights.core.relief import MIN_EPISODES_EACH_SIDE, relief_section
from crampwise.insights.core.simulate import simulate_diary


def _by_relief(section):
    return {row["relief"]: row for row in section["reliefs"]}


def test_relief_comparison_recovers_a_known_effect():
    """Simulated stretching makes cramps 0.6x as long: found, with 0.6 inside the interval."""
    diary = simulate_diary(2)
    rows = _by_relief(relief_section(diary.episodes))
    stretch = rows["stretch"]
    assert stretch["verdict"] == "shorter"
    assert stretch["ci95"][0] < 0.6 < stretch["ci95"][1]
    assert "shorter" in stretch["message"]


def test_it_adjusts_for_pain_before_comparing():
    """Massage is used for worse cramps and does nothing: raw medians differ, the verdict does not."""
    calls = 0
    for seed in range(10):
        rows = _by_relief(relief_section(simulate_diary(seed).episodes))
        calls += rows["massage"]["verdict"] != "no_clear_difference"
    assert calls <= 1


def _episode(day, seconds, reliefs, pain=5):
    night = date(2025, 1, 1) + timedelta(days=day)
    return EpisodeRecord(
        night=night,
        started_at=datetime(night.year, night.month, night.day, 23, tzinfo=UTC),
        local_hour=23,
        duration_seconds=seconds,
        pain=pain,
        reliefs=reliefs,
    )


def test_it_says_not_enough_data_below_the_minimum():
    """Seven timed cramps with heat is too few to judge heat."""
    rng = np.random.default_rng(0)
    eps = [_episode(i, int(rng.integers(30, 120)), ("heat",) if i < 7 else ()) for i in range(40)]
    heat = _by_relief(relief_section(eps))["heat"]
    assert MIN_EPISODES_EACH_SIDE == 8
    assert heat["episodes_with"] == 7
    assert heat["verdict"] == "not_enough_data"
    assert heat["duration_ratio"] is None


def test_untimed_cramps_are_counted_but_not_compared():
    """A cramp without a duration is reported as not timed."""
    eps = [_episode(0, None, ("stretch",)), _episode(1, 60, ())]
    section = relief_section(eps)
    assert section["episodes_timed"] == 1
    assert section["episodes_not_timed"] == 1
