"""Blocks of four or six periods: balanced, rebuilt from the seed, fair, looked at only at their
ends, and analysed as well as pairs are."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta
from itertools import permutations

import numpy as np
import pytest

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.design import (
    Arm,
    TrialDesign,
    balanced_order,
    block_end,
    block_order,
    blocks_complete,
    build_schedule,
    period_plans,
)
from crampwise.trials.core.simulate import Scenario, simulate_trials
from crampwise.trials.core.stopping import (
    StoppingRule,
    interim_look,
    look_night,
    look_nights,
    look_pairs,
    look_probabilities,
    operating_characteristics,
)
from tests.trials.factories import START, nights_from_counts


def letters(design: TrialDesign) -> str:
    return "".join("T" if plan.arm is Arm.TREATMENT else "C" for plan in period_plans(design))


@pytest.mark.parametrize("size", [4, 6])
def test_every_block_holds_as_many_remedy_periods_as_control_periods(size):
    """Half of each block is remedy, whatever the seed."""
    for seed in range(300):
        design = TrialDesign(start=START, seed=seed, pairs=6, block_periods=size)
        for block in range(design.blocks):
            arms = Counter(block_order(design, block))
            assert arms == {Arm.TREATMENT: size // 2, Arm.CONTROL: size // 2}


def test_the_schedule_names_the_randomization_block_of_every_night():
    """A block of four 7-night periods covers 28 nights after the run-in."""
    design = TrialDesign(start=START, seed=3, pairs=4, run_in_nights=7, block_periods=4)
    schedule = build_schedule(design)
    assert all(n.block is None for n in schedule[:7])
    for i, night in enumerate(schedule[7:]):
        assert (night.period, night.block) == (i // 7, i // 28)
        assert night.arm is block_order(design, i // 28)[i // 7 % 4]
    assert [plan.block for plan in period_plans(design)] == [0, 0, 0, 0, 1, 1, 1, 1]


def test_the_same_seed_rebuilds_the_same_blocks():
    a = TrialDesign(start=START, seed=2024, pairs=8, block_periods=4)
    assert build_schedule(a) == build_schedule(TrialDesign(start=START, seed=2024, pairs=8,
                                                           block_periods=4))  # fmt: skip
    assert build_schedule(a) != build_schedule(TrialDesign(start=START, seed=2025, pairs=8,
                                                           block_periods=4))  # fmt: skip


def test_the_block_orders_are_stable_across_versions():
    """The Fisher-Yates draws from SHA-256 are pinned so a change cannot slip in."""
    assert letters(TrialDesign(start=START, seed=12345, pairs=8, block_periods=4)) == (
        "TTCCCCTTTCCTTCTC"
    )
    assert letters(TrialDesign(start=START, seed=0, pairs=8, block_periods=4)) == (
        "TTCCTCCTCTTCCCTT"
    )
    assert letters(TrialDesign(start=START, seed=12345, pairs=6, block_periods=6)) == (
        "TCCCTTCCCTTT"
    )


# Pair orders computed with the code before blocks existed: trials already running must rebuild
# exactly the schedule their people were given.
PAIR_ORDERS_BEFORE_BLOCKS = {
    0: "CTCTCTCTCTCTCTTC",
    1: "TCTCCTCTCTCTCTCT",
    7: "CTTCCTCTTCCTCTCT",
    2024: "TCTCCTCTTCCTTCCT",
    12345: "TCTCCTTCCTCTCTCT",
    2**63 - 1: "CTTCTCCTTCTCTCCT",
}


@pytest.mark.parametrize(("seed", "order"), PAIR_ORDERS_BEFORE_BLOCKS.items())
def test_pair_schedules_are_unchanged_by_blocks(seed, order):
    design = TrialDesign(start=START, seed=seed, pairs=8)
    assert design.block_periods == 2
    assert letters(design) == order
    assert [plan.block for plan in period_plans(design)] == [p // 2 for p in range(16)]


@pytest.mark.parametrize(("size", "orders"), [(4, 6), (6, 20)])
def test_every_balanced_order_of_a_block_is_equally_likely(size, orders):
    """Over a fixed range of seeds (so the test cannot flake) each order appears about equally.

    Pearson's statistic stays below the 0.1% point of chi-square with orders - 1 degrees of
    freedom (20.5 for 5, 43.8 for 19), and no order strays more than 15% from its share.
    """
    seeds = range(6000)
    seen = Counter(balanced_order(seed, block, size) for seed in seeds for block in (0, 3))
    assert set(seen) == set(
        permutations([Arm.TREATMENT] * (size // 2) + [Arm.CONTROL] * (size // 2))
    )
    assert len(seen) == orders == math.comb(size, size // 2)
    expected = 2 * len(seeds) / orders
    chi_square = sum((n - expected) ** 2 / expected for n in seen.values())
    assert chi_square < {4: 20.5, 6: 43.8}[size]
    assert all(abs(n - expected) < 0.15 * expected for n in seen.values())


def test_the_blocks_of_one_trial_are_drawn_independently():
    """The first two blocks' orders together take all 36 combinations about equally often."""
    pairs = Counter((balanced_order(s, 0, 4), balanced_order(s, 1, 4)) for s in range(7200))
    assert len(pairs) == 36
    assert all(120 < n < 280 for n in pairs.values())


@pytest.mark.parametrize(
    ("pairs", "size", "words"),
    [(3, 4, "multiple of 2"), (4, 6, "multiple of 3"), (5, 6, "multiple of 3")],
)
def test_a_design_must_fill_whole_blocks(pairs, size, words):
    with pytest.raises(ValueError, match=words):
        TrialDesign(start=START, seed=1, pairs=pairs, block_periods=size)


@pytest.mark.parametrize("size", [0, 1, 3, 8])
def test_a_block_holds_two_four_or_six_periods(size):
    with pytest.raises(ValueError, match="2, 4 or 6"):
        TrialDesign(start=START, seed=1, pairs=6, block_periods=size)


def test_block_ends_and_blocks_complete_count_whole_blocks():
    design = TrialDesign(start=START, seed=5, pairs=4, run_in_nights=7, block_periods=4)
    first_end = block_end(design, 0)
    assert first_end == START + timedelta(days=7 + 28 - 1)
    assert blocks_complete(design, first_end - timedelta(days=1)) == 0
    assert blocks_complete(design, first_end) == 1
    assert blocks_complete(design, design.end) == 2 == design.blocks
    assert block_end(design, 1) == design.end


def test_looks_fall_only_at_the_ends_of_blocks():
    """Pairs look after every pair from the second; blocks of four after every block; blocks of
    six after every block too (three pairs are already past the rule's first look)."""
    assert look_pairs(8, 2) == [2, 3, 4, 5, 6, 7, 8]
    assert look_pairs(8, 4) == [2, 4, 6, 8]
    assert look_pairs(9, 6) == [3, 6, 9]
    assert look_pairs(8, 4, StoppingRule(first_look_pairs=3)) == [4, 6, 8]
    design = TrialDesign(start=START, seed=1, pairs=8, block_periods=4)
    assert look_nights(design) == [block_end(design, b) for b in range(4)]
    schedule = {n.night: n for n in build_schedule(design)}
    for night in look_nights(design):
        done = [n for n in schedule.values() if n.night <= night]
        arms = Counter(n.arm for n in done)
        assert arms[Arm.TREATMENT] == arms[Arm.CONTROL]


def test_a_look_inside_a_block_is_refused():
    """After three pairs a block of four is half over: the arms may not balance, so no look."""
    design = TrialDesign(start=START, seed=1, pairs=4, block_periods=4)
    with pytest.raises(ValueError, match="end of a block"):
        look_night(design, 3)
    treated = [arm is Arm.TREATMENT for plan in period_plans(design) for arm in [plan.arm] * 7]
    nights = nights_from_counts([1] * len(treated), treated)
    with pytest.raises(ValueError, match="end of a block"):
        interim_look(design, nights, 3)
    assert interim_look(design, nights, 2).night == block_end(design, 0)


def test_simulated_block_trials_are_balanced_in_every_block():
    scenario = Scenario(cramps_per_week=5, rate_ratio=1.0, pairs=6, block_periods=6)
    simulated = simulate_trials(scenario, 200, np.random.default_rng(1))
    per_period = simulated.treated[:, :: scenario.period_nights]
    assert (per_period.reshape(200, 2, 6).sum(axis=2) == 3).all()
    assert (simulated.block == simulated.period // 6).all()
    # Not always the same order: the first block takes many of its 20 orders.
    assert len({tuple(row) for row in per_period[:, :6]}) > 15


def test_simulated_pair_trials_repeat_exactly_as_before():
    """Pairs keep their draws, so every seeded simulation (and published figure) repeats."""
    # Both numbers were computed with the code before blocks existed.
    simulated = simulate_trials(Scenario(5, 0.7, pairs=3), 2, np.random.default_rng(0))
    assert simulated.treated[:, ::7].astype(int).tolist() == [
        [0, 1, 1, 0, 1, 0],
        [1, 0, 0, 1, 0, 1],
    ]
    assert simulated.counts.sum() == 52


def _recovered(block_periods: int) -> tuple[float, float, float]:
    """Geometric mean of the medians, 95% coverage of the truth, share with P(ratio < 1) > 0.95."""
    scenario = Scenario(cramps_per_week=5, rate_ratio=0.5, pairs=8, missing=0.1,
                        block_periods=block_periods)  # fmt: skip
    simulated = simulate_trials(scenario, 300, np.random.default_rng(45))
    results = [analyze(simulated.trial_nights(i)).rate_ratio for i in range(300)]
    typical = float(np.exp(np.mean(np.log([rr.median for rr in results]))))
    coverage = float(np.mean([rr.ci95[0] <= 0.5 <= rr.ci95[1] for rr in results]))
    found = float(np.mean([rr.p_reduction > 0.95 for rr in results]))
    return typical, coverage, found


def test_a_block_design_recovers_a_known_effect_as_well_as_pairs():
    """300 seeded trials of blocks of four with a true halving (5 cramps a week, 8 pairs of 7-night
    periods, period shifts, 10% of nights missing): the analysis, with its period random effects,
    finds the ratio, covers it, and finds a cut about as often as with pairs (0.61 with pairs)."""
    typical, coverage, found = _recovered(4)
    assert 0.45 < typical < 0.6
    assert coverage >= 0.92
    pairs_found = _recovered(2)[2]
    assert found > 0.5 and abs(found - pairs_found) < 0.1


def test_looks_of_a_block_design_are_made_only_at_block_ends_in_simulation():
    """The simulated looks leave every count of pairs that ends no block empty."""
    scenario = Scenario(cramps_per_week=7, rate_ratio=0.5, pairs=8, block_periods=4)
    simulated = simulate_trials(scenario, 40, np.random.default_rng(3))
    p_reduction, _ = look_probabilities(simulated, scenario, StoppingRule())
    looked = ~np.isnan(p_reduction).all(axis=0)
    assert [pairs for pairs in range(1, 9) if looked[pairs - 1]] == [2, 4, 6, 8]
    (oc,) = operating_characteristics(scenario, trials=200, seed=5)
    assert oc.stop_efficacy > 0.5
    assert oc.stop_efficacy + oc.stop_futility + oc.ran_to_end == pytest.approx(1.0)
