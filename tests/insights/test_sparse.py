"""Cramp-free, single-night and very sparse diaries: every rate, band and axis stays finite and plausible."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import NightRecord
from crampwise.insights import summarize
from crampwise.insights.core.charts import chart_specs, trend_axis_top

TODAY = date(2025, 6, 30)
LARGEST = {"value": 0.0, "per_night": 0.0}  # what the property test met, printed at the end


def plausible_top(most_in_a_night: int) -> float:
    """Cramps a week that no band or interval may exceed: twice the worst night, plus 6, a night.

    A diary says nothing about more cramps than that; the old trend band reached 10^144.
    """
    return 7.0 * (2 * most_in_a_night + 6)


def _diary(gaps: list[int], counts: list[int], stretched: list[bool]) -> list[NightRecord]:
    nights, day = [], TODAY
    for gap, count, s in zip(gaps, counts, stretched, strict=False):
        day -= timedelta(days=gap)
        nights.append(NightRecord(day, count, factors={"stretched": 1.0 if s else 0.0}))
    return nights


def _numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, float | int) and not isinstance(value, bool):
        yield value


def _check(nights: list[NightRecord]) -> float:
    """All of the insights' numbers are finite; every rate edge and the axis stay plausible."""
    out = summarize(nights, [], [], BUILTIN_FACTORS, TODAY)
    json.dumps(out, allow_nan=False)
    assert all(math.isfinite(x) for x in _numbers(out))
    worst = max([n.cramps or 0 for n in nights], default=0)
    top = plausible_top(worst)
    s = out["summary"]
    edges = [s["cramps_per_week_ci95"], s["cramps_per_week_last_4_weeks_ci95"]]
    for w in out["trend"]["weeks"]:
        low, high = w["band"]
        assert 0 <= low <= w["smoothed"] <= high, w
        edges.append(w["band"])
    for low, high in (e for e in edges if e is not None):
        assert 0 <= low <= high <= top, (low, high, worst)
    for m in out["timing"]["months"]:
        assert m["cramps_per_week"] <= 7 * worst
    axis = chart_specs(out)["trend"]["layer"][0]["encoding"]["y"]["scale"]["domain"]
    drawn = [
        x
        for w in out["trend"]["weeks"]
        for x in (*w["band"], w["smoothed"], w["cramps_per_week"])
        if x is not None
    ]
    assert axis[0] == 0 and 1 <= axis[1] <= max(top, 7 * worst)
    assert axis[1] >= max(drawn, default=0)
    largest = max([axis[1], *(x for e in edges if e for x in e)])
    LARGEST["value"] = max(LARGEST["value"], largest)
    LARGEST["per_night"] = max(LARGEST["per_night"], largest / 7 - worst)
    return largest


sparse_counts = st.lists(
    st.one_of(st.just(0), st.just(0), st.integers(0, 8)), min_size=1, max_size=80
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    counts=sparse_counts,
    gaps=st.lists(st.integers(1, 40), min_size=80, max_size=80),
    stretched=st.lists(st.booleans(), min_size=80, max_size=80),
)
def test_sparse_diaries_give_finite_plausible_numbers(counts, gaps, stretched):
    """Any short or gappy diary, mostly cramp-free: every number finite, bands and axis plausible."""
    _check(_diary(gaps, counts, stretched))


@settings(max_examples=40, deadline=None)
@given(nights=st.integers(1, 400), gap=st.integers(1, 3))
def test_cramp_free_diaries_give_a_low_band(nights, gap):
    """No cramps at all, from one night to a year: the band tops out at the exact zero-event bound."""
    diary = _diary([gap] * nights, [0] * nights, [False] * nights)
    _check(diary)
    out = summarize(diary, [], [], [], TODAY)
    # 3.69 cramps over the nights (the exact 97.5% Poisson bound for none seen), a week.
    assert (
        max(w["band"][1] for w in out["trend"]["weeks"]) <= 7 * 3.69 / nights + 0.005
    )  # shown to 2 decimals
    recent = out["summary"]["nights_recorded_last_4_weeks"]
    assert out["summary"]["cramps_per_week_last_4_weeks_ci95"][1] <= 7 * 3.69 / recent + 0.005


def test_the_old_cramp_free_band_is_gone():
    """A cramp-free half year: band edges near 0.14 a week, not the old 10^144."""
    diary = _diary([1] * 180, [0] * 180, [False] * 180)
    out = summarize(diary, [], [], [], TODAY)
    highs = {w["band"][1] for w in out["trend"]["weeks"]}
    assert highs == {out["summary"]["cramps_per_week_ci95"][1]}
    assert max(highs) < 0.2


def test_a_single_night_gives_a_flat_line_at_its_rate():
    """One night of 2 cramps: 14 a week, with that night's interval, and an axis that shows it."""
    out = summarize([NightRecord(TODAY, 2)], [], [], [], TODAY)
    (week,) = out["trend"]["weeks"]
    assert week["smoothed"] == 14.0
    assert week["band"] == out["summary"]["cramps_per_week_ci95"]
    assert week["band"][1] <= plausible_top(2)


def test_a_dense_diary_still_gets_a_bending_trend():
    """With plenty of cramps the line still follows a real change (no flattening by the prior)."""
    nights = [NightRecord(TODAY - timedelta(days=i), 2 if i < 120 else 0) for i in range(240)]
    weeks = summarize(nights, [], [], [], TODAY)["trend"]["weeks"]
    assert weeks[0]["smoothed"] < 2 and weeks[-1]["smoothed"] > 10


def test_trend_axis_top_is_at_least_one():
    """A chart of zeros still gets a 0-1 axis."""
    assert trend_axis_top([{"rate": 0.0, "smoothed": 0.0, "low": 0.0, "high": 0.0}]) == 1.0


def test_report_the_largest_value_drawn():
    """Prints the largest band or axis value the property tests met (run after them)."""
    # Run alone, it checks a sparse diary of its own, so it never passes on nothing.
    _check(_diary([3, 17, 40, 1], [0, 8, 0, 1], [False, True, False, True]))
    print(
        f"largest band/axis value: {LARGEST['value']:.2f} cramps a week; "
        f"most above the worst night: {LARGEST['per_night']:.2f} a night"
    )
    assert 0 < LARGEST["value"] <= plausible_top(8)
    assert LARGEST["per_night"] <= 2 * 8 + 6
