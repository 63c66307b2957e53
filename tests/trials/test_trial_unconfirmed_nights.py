"""A night known only from the night log is missing in a trial until the morning confirms it."""

from __future__ import annotations

from crampwise.diary.core.records import NightRecord
from crampwise.trials.core.analysis import baseline_from_run_in
from crampwise.trials.core.design import Arm, TrialDesign, build_schedule
from crampwise.trials.core.observations import nights_from_diary, tally
from tests.trials.factories import START


def _design() -> TrialDesign:
    return TrialDesign(
        start=START, seed=7, pairs=2, period_nights=7, washout_nights=1, run_in_nights=7
    )


def test_a_trial_night_with_only_logged_cramps_counts_as_missing_not_as_a_count():
    schedule = build_schedule(_design())
    first_trial_night = next(s for s in schedule if s.arm is not Arm.BASELINE and not s.washout)
    records = [
        NightRecord(night=s.night, cramps=1) for s in schedule if s.night != first_trial_night.night
    ] + [NightRecord(night=first_trial_night.night, cramps=3, confirmed=False)]
    nights, _ = nights_from_diary(schedule, records)
    night = next(n for n in nights if n.night == first_trial_night.night)
    assert night.cramps is None
    assert tally(nights).missing == 1


def test_a_confirmed_trial_night_keeps_its_count():
    schedule = build_schedule(_design())
    nights, _ = nights_from_diary(
        schedule, [NightRecord(night=s.night, cramps=2) for s in schedule]
    )
    assert tally(nights).missing == 0
    assert {n.cramps for n in nights if not n.washout} == {2}


def test_the_run_in_baseline_leaves_out_unconfirmed_nights():
    run_in = [
        NightRecord(night=START, cramps=0),
        NightRecord(night=START, cramps=9, confirmed=False),
    ]
    assert baseline_from_run_in(run_in) == 0.5  # (0 + 0.5) / 1 night
