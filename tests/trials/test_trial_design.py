"""The trial schedule: random order in every pair, run-in, washout, tonight's assignment."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from crampwise.trials.core.design import (
    KIND_DEFAULTS,
    Arm,
    RemedyKind,
    TrialDesign,
    assignment_for,
    block_end,
    blocks_complete,
    build_schedule,
    design_for,
    new_seed,
    pair_order,
    period_plans,
)

START = date(2025, 1, 6)


def test_schedule_has_every_night_from_run_in_to_last_period():
    """A 7-night run-in plus 6 pairs of 7-night periods is 91 nights, in date order."""
    design = TrialDesign(start=START, seed=1, pairs=6, run_in_nights=7)
    schedule = build_schedule(design)
    assert len(schedule) == 91 == design.total_nights
    assert [n.night for n in schedule] == [START + timedelta(days=i) for i in range(91)]
    assert schedule[-1].night == design.end


def test_run_in_nights_are_baseline_without_period_or_block():
    """Run-in nights are plain diary time, not control nights."""
    schedule = build_schedule(TrialDesign(start=START, seed=1, pairs=2, run_in_nights=7))
    run_in = schedule[:7]
    assert {n.arm for n in run_in} == {Arm.BASELINE}
    assert all(n.period is None and n.block is None and not n.washout for n in run_in)
    assert schedule[7].period == 0 and schedule[7].arm is not Arm.BASELINE


def test_every_pair_holds_one_remedy_period_and_one_control_period():
    """Each block has exactly one treatment period and one control period."""
    design = TrialDesign(start=START, seed=99, pairs=10, period_nights=7)
    for block in range(10):
        arms = {n.arm for n in build_schedule(design) if n.block == block}
        assert arms == {Arm.TREATMENT, Arm.CONTROL}


def test_period_and_block_indices_follow_the_calendar():
    """Period p covers nights p*7 .. p*7+6 after the run-in; block is p // 2."""
    design = TrialDesign(start=START, seed=3, pairs=3, period_nights=7)
    for i, night in enumerate(build_schedule(design)):
        assert night.period == i // 7
        assert night.block == i // 14
        assert night.night_in_period == i % 7


def test_washout_marks_the_first_nights_of_every_period():
    """With 2 washout nights, nights 0 and 1 of each period are washout, the rest are not."""
    design = TrialDesign(start=START, seed=3, pairs=2, period_nights=7, washout_nights=2)
    for night in build_schedule(design):
        assert night.washout == (night.night_in_period < 2)


def test_the_same_seed_rebuilds_the_same_schedule():
    """A recorded seed gives the same schedule every time."""
    a = TrialDesign(start=START, seed=2024, pairs=8)
    assert build_schedule(a) == build_schedule(TrialDesign(start=START, seed=2024, pairs=8))


def test_the_order_is_stable_across_versions():
    """The coin per pair is SHA-256 of the seed and pair: pinned so a change cannot slip in."""
    design = TrialDesign(start=START, seed=12345, pairs=6)
    firsts = [pair_order(design, b)[0] for b in range(6)]
    t, c = Arm.TREATMENT, Arm.CONTROL
    assert firsts == [t, t, c, t, c, c]


def test_the_first_pair_is_randomised_too():
    """Over many seeds the first pair starts with the remedy about half the time."""
    firsts = Counter(
        pair_order(TrialDesign(start=START, seed=s, pairs=1), 0)[0] for s in range(2000)
    )
    assert 900 < firsts[Arm.TREATMENT] < 1100


def test_pairs_are_ordered_independently():
    """All four orders of two pairs occur with similar frequency."""
    orders = Counter(
        tuple(pair_order(TrialDesign(start=START, seed=s, pairs=2), b)[0] for b in range(2))
        for s in range(4000)
    )
    assert len(orders) == 4
    assert all(850 < n < 1150 for n in orders.values())


@pytest.mark.parametrize("block_periods", [2, 4])
def test_tonights_assignment_matches_the_schedule(block_periods):
    """assignment_for gives the same answer as the full schedule, night by night."""
    design = TrialDesign(
        start=START, seed=7, pairs=4, period_nights=14, washout_nights=7, run_in_nights=7,
        block_periods=block_periods,
    )  # fmt: skip
    schedule = build_schedule(design)
    assert len(schedule) == design.total_nights
    for offset, night in enumerate(schedule):
        assert night.night == START + timedelta(days=offset)
        assert assignment_for(design, night.night) == night


def test_nights_outside_the_trial_have_no_assignment():
    """The night before the start and the night after the end are outside the trial."""
    design = TrialDesign(start=START, seed=7, pairs=2)
    assert assignment_for(design, START - timedelta(days=1)) is None
    assert assignment_for(design, design.end + timedelta(days=1)) is None


def test_stretching_defaults_to_one_week_periods():
    """Stretching, fluids and habits: 1-week periods with one washout night."""
    for kind in (RemedyKind.STRETCHING, RemedyKind.FLUIDS, RemedyKind.BEHAVIOUR):
        design = design_for(kind, START, seed=1)
        assert (design.period_nights, design.washout_nights) == (7, 1)
        assert design.run_in_nights == 7


def test_supplements_default_to_two_week_periods_with_a_washout_week():
    """Supplements build up and wear off: 2-week periods, the first week washout."""
    design = design_for("supplement", START, seed=1, run_in=False)
    assert (design.period_nights, design.washout_nights, design.run_in_nights) == (14, 7, 0)
    assert design.pairs == KIND_DEFAULTS[RemedyKind.SUPPLEMENT].pairs


def test_a_design_gets_a_fresh_seed_when_none_is_given():
    """Two new designs almost surely differ in seed, and seeds are in range."""
    seeds = {design_for("stretching", START).seed for _ in range(5)}
    assert len(seeds) == 5
    assert all(0 <= new_seed() < 2**63 for _ in range(10))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pairs": 0},
        {"period_nights": 0},
        {"washout_nights": 7, "period_nights": 7},
        {"run_in_nights": -1},
        {"seed": -1},
    ],
)
def test_it_rejects_impossible_designs(kwargs):
    """A design with no pairs, no nights left after washout or a bad seed is refused."""
    options = {"start": START, "seed": 1, "pairs": 2, **kwargs}
    with pytest.raises(ValueError):
        TrialDesign(**options)


def test_period_plans_give_the_dates_of_each_period():
    """The period diagram lists each period's arm and first and last night."""
    design = TrialDesign(start=START, seed=5, pairs=2, period_nights=7, run_in_nights=7)
    plans = period_plans(design)
    assert [p.first_night for p in plans] == [START + timedelta(days=7 + 7 * i) for i in range(4)]
    assert all(p.last_night - p.first_night == timedelta(days=6) for p in plans)
    schedule = build_schedule(design)
    for plan in plans:
        assert {n.arm for n in schedule if n.period == plan.period} == {plan.arm}


def test_blocks_complete_counts_pairs_ended_by_a_night():
    """A pair is complete from its last night on."""
    design = TrialDesign(start=START, seed=5, pairs=3, period_nights=7, run_in_nights=7)
    first_end = block_end(design, 0)
    assert first_end == START + timedelta(days=7 + 14 - 1)
    assert blocks_complete(design, first_end - timedelta(days=1)) == 0
    assert blocks_complete(design, first_end) == 1
    assert blocks_complete(design, design.end) == 3
