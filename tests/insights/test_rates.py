"""Cramps per week, its interval, and which nights count."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from crampwise.diary.core.records import NightRecord
from crampwise.insights import summarize
from crampwise.insights.core.rates import compare, rate

START = date(2025, 1, 1)


def _nights(counts, start=START):
    return [NightRecord(start + timedelta(days=i), c) for i, c in enumerate(counts)]


def _summary(nights, today):
    return summarize(nights, [], [], [], today)["summary"]


def test_cramps_per_week_is_seven_times_cramps_over_recorded_nights():
    """9 cramps over 21 recorded nights is 3 a week."""
    s = _summary(_nights([1, 0] * 7 + [2, 0, 0, 0, 0, 0, 0]), START + timedelta(days=30))
    assert s["nights_recorded"] == 21
    assert s["cramps_total"] == 9
    assert s["cramps_per_week"] == pytest.approx(7 * 9 / 21, abs=0.005)


def test_missing_nights_never_count_as_zero():
    """Adding unanswered nights changes nothing but the count of nights not recorded."""
    answered = _nights([2, 1, 3, 0, 2])
    gaps = [NightRecord(START + timedelta(days=d), None) for d in range(5, 40)]
    today = START + timedelta(days=40)
    with_gaps = _summary(answered + gaps, today)
    without = _summary(answered, today)
    assert with_gaps["cramps_per_week"] == without["cramps_per_week"] == pytest.approx(11.2)
    assert with_gaps["nights_recorded"] == 5
    assert with_gaps["cramp_free_night_fraction"] == pytest.approx(0.2)


def test_a_diary_with_no_answers_has_no_rate():
    """No recorded nights gives None, not 0 cramps a week."""
    s = _summary([NightRecord(START, None)], START)
    assert s["cramps_per_week"] is None
    assert s["cramps_per_week_ci95"] is None
    assert s["cramp_free_night_fraction"] is None
    assert s["nights_recorded"] == 0


def test_last_four_weeks_are_the_28_nights_up_to_today():
    """Nights today-27 .. today count; today-28 and anything after today do not."""
    today = date(2025, 3, 31)
    nights = [
        NightRecord(today - timedelta(days=28), 50),  # one night too early
        NightRecord(today - timedelta(days=27), 2),  # first night of the window
        NightRecord(today, 5),  # last night of the window
        NightRecord(today + timedelta(days=1), 70),  # after today: ignored everywhere
    ]
    s = _summary(nights, today)
    assert s["nights_recorded_last_4_weeks"] == 2
    assert s["cramps_per_week_last_4_weeks"] == pytest.approx(7 * 7 / 2)
    assert s["last_4_weeks"] == {"from": "2025-03-04", "to": "2025-03-31"}
    assert s["nights_recorded"] == 3
    assert s["last_night"] == "2025-03-31"


def test_a_resent_night_counts_once():
    """Two records for the same night keep the later one."""
    s = _summary([NightRecord(START, 1), NightRecord(START, 3)], START)
    assert s["nights_recorded"] == 1 and s["cramps_total"] == 3


def test_rate_interval_is_wider_for_overdispersed_nights():
    """Bursty nights (same mean) get a wider interval than steady ones."""
    steady = rate(np.array([1.0, 0, 1, 0] * 25))
    bursty = rate(np.array([5.0, 0, 0, 0, 0, 0, 0, 0, 0, 0] * 10))
    assert steady.per_week == bursty.per_week
    assert (bursty.ci95[1] - bursty.ci95[0]) > (steady.ci95[1] - steady.ci95[0])


def test_no_cramps_still_gives_an_honest_upper_bound():
    """Zero cramps in 28 nights: rate 0, but up to about 0.9 a week is still plausible."""
    r = rate(np.zeros(28))
    assert r.per_week == 0 and r.ci95[0] == 0
    assert r.ci95[1] == pytest.approx(7 * 3.689 / 28, rel=1e-3)


def test_rate_intervals_cover_the_true_rate_about_95_percent_of_the_time():
    """Negative binomial nights at 4 a week: the quasi-Poisson interval covers 4 in 92-98%."""
    rng = np.random.default_rng(7)
    mu = 4 / 7
    hits = 0
    for _ in range(400):
        counts = rng.poisson(mu * rng.gamma(1.5, 1 / 1.5, 90)).astype(float)
        low, high = rate(counts).ci95
        hits += low <= 4 <= high
    assert 0.92 <= hits / 400 <= 0.98


def test_comparing_two_stretches_gives_ratio_and_interval():
    """Twice the cramps after is a ratio of 2 with an interval around it."""
    c = compare(np.array([1.0, 0] * 14), np.array([1.0, 1] * 14))
    assert c.ratio == pytest.approx(2.0)
    assert c.ci95[0] < 2 < c.ci95[1]
    assert c.before.nights == c.after.nights == 28
