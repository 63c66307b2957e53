"""What the trial analysis reports, and how it treats missing and washout nights."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.diary.core.records import NightRecord
from crampwise.trials.core.analysis import NotEnoughNights, analyze, baseline_from_run_in
from crampwise.trials.core.observations import TrialNight
from tests.trials.factories import nights_from_counts, simulated_nights

ALTERNATING = [i // 7 % 2 == 1 for i in range(56)]  # C T C T ... in 7-night periods


def test_a_clear_halving_is_reported_as_likely():
    """Control weeks with about 6 cramps and remedy weeks with about 2 give P(RR<1) near 1."""
    counts = [1 if not t else (1 if i % 3 == 0 else 0) for i, t in enumerate(ALTERNATING)]
    result = analyze(nights_from_counts(counts, ALTERNATING))
    assert result.rate_ratio.median < 0.6
    assert result.rate_ratio.p_reduction > 0.97
    assert result.rate_ratio.ci95[0] < result.rate_ratio.median < result.rate_ratio.ci95[1]


def test_identical_arms_give_an_even_chance():
    """When both arms have the same counts, the ratio is centred on 1."""
    counts = [i % 7 % 2 for i in range(56)]  # the same pattern in every period
    result = analyze(nights_from_counts(counts, ALTERNATING))
    assert result.rate_ratio.p_reduction == pytest.approx(0.5, abs=0.03)
    assert result.rate_ratio.median == pytest.approx(1.0, abs=0.05)


def test_missing_nights_are_left_out_and_never_count_as_zero():
    """Turning remedy nights' counts into 'not recorded' must not make the remedy look better."""
    counts: list[int | None] = [1] * 56
    with_gaps = [
        None if t and i % 7 < 3 else c
        for i, (c, t) in enumerate(zip(counts, ALTERNATING, strict=True))
    ]
    full = analyze(nights_from_counts(counts, ALTERNATING))
    gappy = analyze(nights_from_counts(with_gaps, ALTERNATING))
    assert gappy.nights.missing == 12
    assert gappy.nights.used == 44
    assert gappy.treatment.per_night == pytest.approx(1.0)
    assert gappy.rate_ratio.median == pytest.approx(full.rate_ratio.median, abs=0.05)


def test_washout_nights_are_excluded_and_counted():
    """Washout nights carry their counts but do not enter the analysis."""
    counts = [9 if i % 7 == 0 else 1 for i in range(56)]  # a burst on each period's first night
    result = analyze(nights_from_counts(counts, ALTERNATING, washout_nights=1))
    assert result.nights.washout == 8
    assert result.nights.used == 48
    assert result.control.per_night == result.treatment.per_night == pytest.approx(1.0)


def test_per_arm_rates_are_cramps_over_used_nights():
    """Per-arm figures are plain sums over used nights."""
    counts = [2 if t else 3 for t in ALTERNATING]
    result = analyze(nights_from_counts(counts, ALTERNATING))
    assert (result.control.nights, result.control.cramps) == (28, 84)
    assert result.treatment.per_week == pytest.approx(14.0)


def test_it_refuses_a_trial_with_no_used_night_on_one_arm():
    """Without a single remedy night there is nothing to compare."""
    nights = nights_from_counts([1] * 14, [False] * 7 + [True] * 7)
    nights = [
        n if not n.treated else TrialNight(n.night, True, n.period, False, None) for n in nights
    ]
    with pytest.raises(NotEnoughNights):
        analyze(nights)


@pytest.mark.parametrize("threshold", [0.0, -0.2, 1.5])
def test_it_rejects_a_threshold_outside_zero_to_one(threshold):
    """The threshold is a rate ratio for 'a worthwhile cut', so it lies in (0, 1]."""
    with pytest.raises(ValueError):
        analyze(nights_from_counts([1] * 14, [False] * 7 + [True] * 7), threshold=threshold)


def test_a_stricter_threshold_is_less_likely():
    """P(RR < 0.5) <= P(RR < 0.8) <= P(RR < 1)."""
    nights = simulated_nights(11, rate_ratio=0.6)
    loose = analyze(nights, threshold=0.8)
    strict = analyze(nights, threshold=0.5)
    assert (
        strict.rate_ratio.p_meaningful
        <= loose.rate_ratio.p_meaningful
        <= loose.rate_ratio.p_reduction
    )
    assert strict.rate_ratio.threshold == 0.5


def test_swapping_the_arms_inverts_the_ratio():
    """Relabelling remedy as control turns RR into 1/RR and P(RR<1) into P(RR>1)."""
    nights = simulated_nights(5, rate_ratio=0.6)
    swapped = [TrialNight(n.night, not n.treated, n.period, n.washout, n.cramps) for n in nights]
    a, b = analyze(nights), analyze(swapped)
    # The baseline prior is centred on the pooled rate, which both share, so the match is close.
    assert a.rate_ratio.median * b.rate_ratio.median == pytest.approx(1.0, abs=0.01)
    assert a.rate_ratio.p_reduction + b.rate_ratio.p_reduction == pytest.approx(1.0, abs=0.005)


def test_the_run_in_sets_the_baseline_prior():
    """A run-in of 14 nights with 7 cramps centres alpha on log(7.5 / 14)."""
    records = [NightRecord(night=date(2025, 1, i + 1), cramps=i % 2) for i in range(14)]
    records.append(NightRecord(night=date(2025, 1, 20), cramps=None))
    assert baseline_from_run_in(records) == pytest.approx(7.5 / 14)
    assert baseline_from_run_in([NightRecord(night=date(2025, 1, 1), cramps=None)]) is None
    result = analyze(simulated_nights(3), baseline_per_night=7.5 / 14)
    assert result.priors.alpha_mean == pytest.approx(math.log(7.5 / 14))


def test_pain_is_compared_on_nights_with_a_cramp():
    """Worst pain 6 on control nights with cramps and 3 on remedy nights: a 3-point drop."""
    counts = [1 if i % 2 else 0 for i in range(56)]
    pains = [
        None if c == 0 else (3.0 if t else 6.0) + (i % 3 - 1)
        for i, (c, t) in enumerate(zip(counts, ALTERNATING, strict=True))
    ]
    result = analyze(nights_from_counts(counts, ALTERNATING, pains=pains))
    assert result.pain is not None
    assert result.pain.difference == pytest.approx(-3.0, abs=0.2)
    assert result.pain.p_lower > 0.999
    assert result.pain.p_lower_by_threshold > 0.99
    assert result.pain.ci95[0] < result.pain.difference < result.pain.ci95[1]


def test_pain_is_absent_without_enough_rated_nights():
    """Fewer than two rated nights with a cramp on an arm gives no pain result."""
    result = analyze(nights_from_counts([1] * 14, [False] * 7 + [True] * 7))
    assert result.pain is None


def test_the_result_serialises_to_json_with_the_documented_fields():
    """to_dict has the fields the CLI and the web page rely on."""
    body = analyze(simulated_nights(2)).to_dict()
    json.dumps(body)
    for key in (
        "nights_used",
        "washout_nights_excluded",
        "missing_nights",
        "rate_ratio",
        "p_reduction",
        "p_meaningful",
        "threshold",
        "control",
        "treatment",
        "pain",
        "model",
    ):
        assert key in body
    assert set(body["rate_ratio"]) == {"median", "ci95", "mean_log", "sd_log"}


counts_strategy = st.lists(st.one_of(st.none(), st.integers(0, 12)), min_size=28, max_size=28)


@settings(max_examples=25, deadline=None)
@given(counts=counts_strategy, washout=st.integers(0, 3), threshold=st.floats(0.3, 1.0))
def test_any_diary_gives_a_coherent_posterior(counts, washout, threshold):
    """Whatever the counts, probabilities are ordered and the interval holds the median."""
    arms = [i // 7 % 2 == 1 for i in range(28)]
    counts[washout] = counts[washout] if counts[washout] is not None else 0  # a used control night
    counts[7 + washout] = counts[7 + washout] if counts[7 + washout] is not None else 0
    result = analyze(nights_from_counts(counts, arms, washout_nights=washout), threshold=threshold)
    rr = result.rate_ratio
    assert 0.0 <= rr.p_meaningful <= rr.p_reduction + 1e-9 <= 1.0 + 1e-9
    assert 0 < rr.ci95[0] <= rr.median <= rr.ci95[1] < math.inf
    assert 0 < rr.sd_log < 1.01  # never wider than the N(0, 1) prior


def test_one_period_per_arm_is_not_enough_however_many_cramps():
    """Two weeks of many cramps, one period on each arm: a slow change could explain any gap."""
    counts = [3] * 7 + [1] * 7
    result = analyze(nights_from_counts(counts, [False] * 7 + [True] * 7))
    assert result.evidence.cramps == 28 and not result.enough_data
    assert result.evidence.weeks_more == 2  # one more pair of 7-night periods


def test_weeks_more_follow_the_rate_so_far_or_the_run_in():
    """Four cramps in four weeks: six more take about six weeks; with none, the run-in's rate."""
    some = [1 if i % 7 == 0 else 0 for i in range(28)]
    result = analyze(nights_from_counts(some, ALTERNATING[:28]))
    assert not result.enough_data and result.evidence.weeks_more == 6
    none = analyze(nights_from_counts([0] * 28, ALTERNATING[:28]), baseline_per_night=0.5)
    assert none.evidence.weeks_more == 3  # 10 cramps at half a cramp a night: 20 nights
    unknown = analyze(nights_from_counts([0] * 28, ALTERNATING[:28]))
    assert unknown.evidence.weeks_more is None  # no cramp and no run-in: no rate to go by
