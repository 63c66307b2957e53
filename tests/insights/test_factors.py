"""Factors: accuracy on simulated diaries, and the rules around missing values and verdicts."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pytest

from crampwise.diary.core.records import FactorSpec, NightRecord
from crampwise.insights.core.factors import MIN_NIGHTS_EACH_SIDE, VERDICTS, analyse_factors
from crampwise.insights.core.false_discovery import q_values
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.poisson_model import (
    ewc_dof,
    negative_binomial_inverse_shape,
    pull_persistence,
)
from crampwise.insights.core.simulate import factor_accuracy

# 100 seeded one-year diaries (~2 s). The fuller sweep: benchmarks/insights_accuracy.py.
DIARIES = 100


@lru_cache(maxsize=1)
def _accuracy():
    return factor_accuracy(DIARIES, first_seed=0)


def test_the_harmful_count_factor_is_called_worse_in_most_diaries():
    """Alcohol at 1.4x per unit is called worse in at least 80% of diaries."""
    assert _accuracy().call_rate("alcohol_units") >= 0.80


def test_the_helpful_habit_is_called_better_in_most_diaries():
    """Stretching at 0.5x is called better in at least 74% of these 100 one-year diaries.

    The issue asks for 80%. Over 1,000 diaries (benchmarks/insights_accuracy.py, seeds from
    10,000) it is called in 80.7% (76.2% before negative binomial weights and the number of EWC
    cosine terms that follows the factor's persistence; 72% with one model per factor). These 100
    seeded diaries give 76% (75% before), within sampling error of that (+-4 points for 100
    diaries); the test keeps a 2-point margin below them. See docs/insights.md.
    """
    assert _accuracy().call_rate("stretched") >= 0.74


@pytest.mark.slow
def test_the_issue_targets_hold_over_the_benchmarks_1000_diaries():
    """The issue's targets on the benchmark's own 1,000 seeded diaries (about a minute): a halving
    and alcohol each called in >= 80%, null factors in <= 5%, intervals covering >= 90%.

    Deterministic (seeded), and deliberately tight: 80.7% for stretching today, so a change that
    costs power shows up here rather than only in a benchmark nobody reruns.
    """
    acc = factor_accuracy(1000, first_seed=10_000)
    assert acc.call_rate("stretched") >= 0.80
    assert acc.call_rate("alcohol_units") >= 0.80
    assert acc.null_call_rate <= 0.05
    assert acc.overall_coverage >= 0.90


def test_with_more_cramps_the_helpful_habit_is_called_in_85_percent():
    """At 7 cramps a week (more information per night) stretching is called better in >= 85%.

    92% on these 100 diaries, 92.5% over 1,000 (benchmarks/insights_accuracy.py).
    """
    assert (
        factor_accuracy(DIARIES, first_seed=0, cramps_per_week=7.0).call_rate("stretched") >= 0.85
    )


def test_factors_without_effect_are_rarely_called():
    """Null factors are called worse or better in at most 5% of diaries overall."""
    assert _accuracy().null_call_rate <= 0.05


def test_intervals_hold_the_true_rate_ratio():
    """95% intervals cover the truth in at least 90% of diaries, for every factor."""
    acc = _accuracy()
    assert acc.overall_coverage >= 0.90
    for name in acc.truth:
        assert acc.coverage(name) >= 0.88, name


START = date(2025, 1, 1)


def _diary(n, cramps, factor_values):
    return [
        NightRecord(
            START + timedelta(days=i),
            int(cramps[i]),
            factors={k: v[i] for k, v in factor_values.items()},
        )
        for i in range(n)
    ]


def test_a_blank_factor_value_drops_the_night_from_that_factor_only():
    """A night without a value for one factor still counts for the others."""
    rng = np.random.default_rng(3)
    n = 120
    cramps = rng.poisson(0.6, n)
    a = [float(x) for x in rng.integers(0, 2, n)]
    b = [float(x) for x in rng.integers(0, 2, n)]
    b_blank = [None if i < 30 else v for i, v in enumerate(b)]
    nights = _diary(n, cramps, {"a": a, "b": b_blank})
    rows = analyse_factors(
        NightTable.from_records(nights, START + timedelta(days=n)),
        [FactorSpec("a", "yes_no", "A"), FactorSpec("b", "yes_no", "B")],
    )
    assert rows[0]["nights_exposed"] + rows[0]["nights_unexposed"] == n
    assert rows[1]["nights_exposed"] + rows[1]["nights_unexposed"] == n - 30
    assert rows[1]["nights_without_value"] == 30


def test_it_needs_enough_nights_on_each_side():
    """13 nights with a factor is not enough for any verdict."""
    n = 100
    cramps = np.array([3] * 13 + [0] * (n - 13))
    flag = [1.0] * 13 + [0.0] * (n - 13)
    rows = analyse_factors(
        NightTable.from_records(_diary(n, cramps, {"x": flag}), START + timedelta(days=n)),
        [FactorSpec("x", "yes_no", "X")],
    )
    assert MIN_NIGHTS_EACH_SIDE == 14
    assert rows[0]["verdict"] == "not_enough_data"
    assert rows[0]["rate_ratio"] is None and rows[0]["q_value"] is None
    assert "at least 14 nights" in rows[0]["message"]


def test_a_count_factor_that_is_never_zero_can_still_be_judged():
    """Glasses of fluid (always 3 or more) are split at their middle value, not at zero."""
    rng = np.random.default_rng(5)
    n = 200
    glasses = rng.integers(3, 11, n).astype(float)
    cramps = rng.poisson(0.1 * 1.3 ** (glasses - 3))
    rows = analyse_factors(
        NightTable.from_records(
            _diary(n, cramps, {"fluid": list(glasses)}), START + timedelta(days=n)
        ),
        [FactorSpec("fluid", "count", "Fluid")],
    )
    assert rows[0]["nights_unexposed"] == 0
    assert rows[0]["verdict"] == "worse"
    assert rows[0]["ci95"][0] < 1.3 < rows[0]["ci95"][1]


def test_every_row_has_the_documented_fields():
    """Each factor row carries name, label, kind, nights, ratio, interval, q, verdict and message."""
    acc_row = analyse_factors(NightTable.from_records([], START), [FactorSpec("x", "yes_no", "X")])[
        0
    ]
    for key in ("name", "label", "kind", "nights_exposed", "nights_unexposed", "rate_ratio", "ci95",
                "q_value", "verdict", "message"):  # fmt: skip
        assert key in acc_row
    assert acc_row["verdict"] in VERDICTS


def test_a_flagged_factor_says_it_is_a_link_not_a_cause():
    """A "worse" message states the numbers and that a link is not proof."""
    rng = np.random.default_rng(11)
    n = 300
    flag = rng.random(n) < 0.4
    cramps = rng.poisson(np.where(flag, 1.2, 0.4))
    rows = analyse_factors(
        NightTable.from_records(
            _diary(n, cramps, {"wine": [float(f) for f in flag]}), START + timedelta(days=n)
        ),
        [FactorSpec("wine", "yes_no", "Red wine")],
    )
    assert rows[0]["verdict"] == "worse"
    assert "“Red wine”" in rows[0]["message"]
    assert "not proof" in rows[0]["message"]


def test_q_values_match_benjamini_hochberg():
    """Our q-values equal statsmodels' fdr_bh adjusted p-values."""
    from statsmodels.stats.multitest import multipletests

    p = [0.001, 0.04, 0.03, 0.2, 0.5, 0.012]
    assert q_values(p) == pytest.approx(list(multipletests(p, method="fdr_bh")[1]))


def test_duplicate_opposite_and_constant_factors_do_not_break_the_joint_model():
    """A copy of a factor, its opposite, a rescaled count and an always-yes factor: no crash, and
    the copies get the same verdict as the original (the data cannot tell them apart)."""
    rng = np.random.default_rng(1)
    n = 300
    a = (rng.random(n) < 0.4).astype(float)
    units = rng.integers(0, 4, n).astype(float)
    cramps = rng.poisson(np.where(a > 0, 0.3, 0.7))
    values = {
        "a": list(a),
        "copy": list(a),
        "opposite": list(1 - a),
        "always": [1.0] * n,
        "units": list(units),
        "units_x2": list(2 * units + 1),
        "b": [float(x) for x in rng.random(n) < 0.3],
    }
    specs = [FactorSpec(k, "count" if k.startswith("units") else "yes_no", k) for k in values]
    rows = {
        r["name"]: r
        for r in analyse_factors(
            NightTable.from_records(_diary(n, cramps, values), START + timedelta(days=n)), specs
        )
    }
    assert rows["a"]["verdict"] == rows["copy"]["verdict"] == "better"
    assert rows["opposite"]["verdict"] == "worse"
    assert rows["a"]["rate_ratio"] == pytest.approx(1 / rows["opposite"]["rate_ratio"], rel=0.05)
    assert rows["always"]["verdict"] == "not_enough_data"
    for name in ("units", "units_x2", "b"):
        assert rows[name]["verdict"] == "no_clear_link", name
        assert rows[name]["ci95"][0] < 1 < rows[name]["ci95"][1]


def test_each_factor_is_adjusted_for_the_others():
    """A factor with no effect of its own that tends to come with a harmful one is not blamed
    once both are in the model."""
    rng = np.random.default_rng(7)
    n = 400
    wine = rng.random(n) < 0.4
    late = np.where(rng.random(n) < 0.8, wine, rng.random(n) < 0.4)  # mostly with wine
    cramps = rng.poisson(np.where(wine, 1.2, 0.4))
    rows = analyse_factors(
        NightTable.from_records(
            _diary(n, cramps, {"wine": [float(x) for x in wine], "late": [float(x) for x in late]}),
            START + timedelta(days=n),
        ),
        [FactorSpec("wine", "yes_no", "Wine"), FactorSpec("late", "yes_no", "Late dinner")],
    )
    assert rows[0]["verdict"] == "worse"
    assert rows[1]["verdict"] == "no_clear_link"


def test_the_number_of_cosine_terms_follows_the_factors_persistence():
    """The EWC uses the LLSW count 0.4 n^(2/3) for a persistent factor (0.7 or more) and up to twice
    it for one that barely repeats, never fewer."""
    n = 330
    llsw = ewc_dof(n)
    assert llsw == round(0.4 * n ** (2 / 3)) == 19
    assert ewc_dof(n, 0.9) == ewc_dof(n, 0.7) == llsw
    # 19 * (omega(0.7) / omega(0.5))^(1/3) with omega(rho) = 2 rho / (1 - rho)^2
    assert ewc_dof(n, 0.5) == 30
    assert ewc_dof(n, 0.0) == ewc_dof(n, -0.3) == 2 * llsw
    counts = [ewc_dof(n, rho) for rho in np.linspace(-0.2, 1.0, 61)]
    assert all(a >= b for a, b in zip(counts, counts[1:], strict=False))
    assert min(counts) == llsw and max(counts) == 2 * llsw


def test_pull_persistence_is_the_lag_one_autocorrelation_over_calendar_neighbours():
    """A factor that repeats the day before half the time has lag-one autocorrelation about 0.5;
    nights next to an unrecorded night form no pair."""
    rng = np.random.default_rng(4)
    n = 20_000
    x = (rng.random(n) < 0.4).astype(float)
    repeat = rng.random(n) < 0.5
    for t in range(1, n):
        if repeat[t]:
            x[t] = x[t - 1]
    day = np.arange(n)
    assert pull_persistence(x, np.ones(n), day) == pytest.approx(0.5, abs=0.02)
    # Every other night missing: no consecutive pairs, so nothing suggests persistence.
    assert pull_persistence(x[::2], np.ones(n // 2), day[::2]) == 0.0


def test_the_negative_binomial_shape_is_recovered_by_moments():
    """1/k from sum((y - mu)^2 - y) / sum(mu^2): about 1/1.5 for k = 1.5, 0 for Poisson nights."""
    rng = np.random.default_rng(8)
    mu = rng.uniform(0.2, 1.5, 50_000)
    y = rng.poisson(mu * rng.gamma(1.5, 1 / 1.5, mu.size))
    assert negative_binomial_inverse_shape(y, mu) == pytest.approx(1 / 1.5, abs=0.05)
    assert negative_binomial_inverse_shape(rng.poisson(mu), mu) < 0.02
