"""The model treats the two arms alike: calling the other arm "the remedy" flips the answer exactly.

The baseline prior sits on the average of the two arms' log rates, so it cannot lean the rate ratio
either way. These tests swap the arms of sparse and dense trials, check an empty trial, and run
null trials after a bad run-in (regression to the mean) by simulation.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.batch_laplace import analyze_cells
from crampwise.trials.core.simulate import Scenario, simulate_trials
from tests.trials.factories import nights_from_counts, simulated_nights

ALTERNATING = [i // 7 % 2 == 1 for i in range(56)]


def _swapped(nights):
    return [replace(n, treated=not n.treated) for n in nights]


def _swap_pairs():
    """Sparse (0.5 and 2 a week) and dense (7 and 14 a week) trials, with and without an effect."""
    for seed, rate, ratio in [(1, 0.5, 1.0), (2, 0.5, 0.5), (3, 2, 1.0), (4, 2, 0.6),
                              (5, 7, 1.0), (6, 7, 0.5), (7, 14, 0.8), (8, 14, 1.0)]:  # fmt: skip
        nights = simulated_nights(seed, cramps_per_week=rate, rate_ratio=ratio, pairs=4)
        for baseline in (None, 1.0):  # with and without a run-in of 7 a week centring the prior
            yield nights, baseline


def test_swapping_the_arms_gives_the_reciprocal_ratio_and_the_complementary_chance():
    """Over sparse and dense trials: product of medians 1, P(cut) + P(swapped cut) 1."""
    products, sums = [], []
    for nights, baseline in _swap_pairs():
        one = analyze(nights, baseline_per_night=baseline).rate_ratio
        other = analyze(_swapped(nights), baseline_per_night=baseline).rate_ratio
        products.append(one.median * other.median)
        sums.append(one.p_reduction + other.p_reduction)
        assert one.ci95[0] * other.ci95[1] == pytest.approx(1.0, abs=0.01)
    print(f"swap: median product {np.median(products):.4f}, "
          f"max |product-1| {max(abs(p - 1) for p in products):.4f}, "
          f"max |sum-1| {max(abs(s - 1) for s in sums):.4f}")  # fmt: skip
    assert max(abs(p - 1) for p in products) < 0.01
    assert max(abs(s - 1) for s in sums) < 0.005


def test_the_fast_batch_method_is_symmetric_too():
    """The stopping rules' approximation flips P(cut) when the arms are swapped."""
    simulated = simulate_trials(Scenario(1.0, 1.0, pairs=4), 50, np.random.default_rng(9))
    nights = np.ones((50, 8)) * 7
    cramps = np.array([[sum(max(c, 0) for c in row[p * 7:(p + 1) * 7]) for p in range(8)]
                       for row in simulated.counts], dtype=float)  # fmt: skip
    arm = np.array([[float(t[p * 7]) for p in range(8)] for t in simulated.treated])
    exceed = np.zeros((50, 1))  # the overdispersion constant cancels between the two fits
    one = analyze_cells(nights, cramps, arm, exceed).prob_below(0.0)
    other = analyze_cells(nights, cramps, 1.0 - arm, exceed).prob_below(0.0)
    assert np.abs(one + other - 1.0).max() < 1e-6


def test_an_empty_trial_says_an_even_chance_and_no_change():
    """No cramps at all: 50% and a ratio of 1, even after a run-in of 7 cramps a week."""
    for baseline in (None, 1.0):
        result = analyze(nights_from_counts([0] * 56, ALTERNATING), baseline_per_night=baseline)
        print(f"empty trial, baseline {baseline}: P(cut) {result.rate_ratio.p_reduction:.4f}, "
              f"P(cut >= 20%) {result.rate_ratio.p_meaningful:.4f}")  # fmt: skip
        assert result.rate_ratio.p_reduction == pytest.approx(0.5, abs=0.005)
        assert result.rate_ratio.median == pytest.approx(1.0, abs=0.005)
        assert not result.enough_data


def test_symmetry_does_not_hide_a_real_difference():
    """A remedy with a third of the cramps is still found, and its swap is found as a rise."""
    counts = [3 if not t else 1 for t in ALTERNATING]
    result = analyze(nights_from_counts(counts, ALTERNATING)).rate_ratio
    flipped = analyze(nights_from_counts(counts, [not t for t in ALTERNATING])).rate_ratio
    assert result.p_reduction > 0.99 and result.median < 0.5
    assert flipped.p_reduction < 0.01 and flipped.median > 2


def _null_after_bad_run_in(trials: int, pairs: int, seed: int):
    """Null trials at 0.5 cramps a week whose run-in week had 7 cramps (a bad spell)."""
    scenario = Scenario(cramps_per_week=0.5, rate_ratio=1.0, pairs=pairs)
    simulated = simulate_trials(scenario, trials, np.random.default_rng(seed))
    run_in = (7 + 0.5) / 7  # baseline_from_run_in of a week with 7 cramps
    return [analyze(simulated.trial_nights(i), baseline_per_night=run_in) for i in range(trials)]


@pytest.mark.slow
def test_a_bad_run_in_does_not_make_a_falling_rate_look_like_a_remedy_effect():
    """Run-in 7 a week, trials at 0.5 a week, no effect: median RR 0.95-1.05, false yes <= 5%."""
    results = _null_after_bad_run_in(600, 12, seed=13)
    ratios = [r.rate_ratio.median for r in results]
    any_cut = np.mean([r.rate_ratio.p_reduction >= 0.95 for r in results])
    works = np.mean([r.enough_data and r.rate_ratio.p_meaningful >= 0.9 for r in results])
    print(f"null with run-in: median RR {np.median(ratios):.3f}, P(cut)>=0.95 in {any_cut:.3f}, "
          f"'it works' in {works:.3f}, enough data in {np.mean([r.enough_data for r in results]):.3f}")  # fmt: skip
    assert 0.95 <= np.median(ratios) <= 1.05
    assert any_cut <= 0.05
    assert works <= 0.05


def test_a_bad_run_in_leaves_null_trials_centred_quick_check():
    """A quick version of the run-in check (120 trials): the ratios' median stays near 1."""
    results = _null_after_bad_run_in(120, 6, seed=14)
    assert 0.95 <= np.median([r.rate_ratio.median for r in results]) <= 1.05
    assert np.mean([r.rate_ratio.p_reduction for r in results]) == pytest.approx(0.5, abs=0.05)


def test_a_real_cut_after_a_bad_run_in_is_still_found():
    """A bad run-in neither hides nor inflates a true halving of 3 cramps a week over 24 weeks."""
    scenario = Scenario(cramps_per_week=3, rate_ratio=0.5, pairs=12)
    simulated = simulate_trials(scenario, 120, np.random.default_rng(15))

    def found(baseline):
        return np.mean([
            analyze(simulated.trial_nights(i), baseline_per_night=baseline).rate_ratio.p_reduction >= 0.95
            for i in range(120)
        ])  # fmt: skip

    with_run_in, without = found(7.5 / 7), found(None)
    assert with_run_in >= 0.55  # the benchmark's power at this rate and length is about 0.66
    assert abs(with_run_in - without) <= 0.05
