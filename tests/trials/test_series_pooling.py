"""Pooling a trial series: known effects come back, nulls stay quiet, people shrink together."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from crampwise.trials.core.analysis import NotEnoughNights, analyze
from crampwise.trials.core.observations import TrialNight
from crampwise.trials.core.pooling import (
    LIKELIHOOD_BETA_POINTS,
    MIN_PATIENTS_WITH_ENOUGH,
    PatientLikelihood,
    PatientTrialData,
    PooledResult,
    patient_likelihoods,
    pool_likelihoods,
    pool_trials,
)
from crampwise.trials.core.series_simulate import SeriesScenario, simulate_series
from crampwise.trials.core.series_wording import pooled_summary_words
from crampwise.trials.core.simulate import Scenario, simulate_trials
from crampwise.trials.core.wording import works

PROTOCOL = Scenario(cramps_per_week=3.5, rate_ratio=1.0, pairs=6, overdispersion=1.5)


def _series(patients: int, rate_ratio: float, tau: float, seed: int, **protocol):
    scenario = SeriesScenario(patients, rate_ratio, tau, replace(PROTOCOL, **protocol))
    return simulate_series(scenario, np.random.default_rng(seed))


def test_a_clear_population_effect_comes_back_with_an_interval_around_it():
    """40 people whose cramps halve on the remedy: the typical ratio is near 0.5 and it 'works'."""
    series = _series(40, 0.5, 0.2, seed=1)
    result = pool_trials(series.trials)
    assert result.patients == 40
    assert result.enough_data
    low, high = result.rate_ratio_ci95
    assert low < 0.5 < high
    assert 0.4 < result.rate_ratio_median < 0.62
    assert result.p_reduction > 0.999
    assert works(result.p_meaningful)
    # A new person's range is wider than the typical person's.
    assert result.predictive_ci[0] < low and result.predictive_ci[1] > high
    assert result.tau_ci95[0] <= result.tau_median <= result.tau_ci95[1]


def test_the_spread_between_people_is_found_when_it_is_large():
    """People who differ a lot (tau 0.8) give a tau interval away from zero, around the truth."""
    series = _series(40, 0.8, 0.8, seed=2, cramps_per_week=7.0)
    result = pool_trials(series.trials)
    assert result.tau_ci95[0] > 0.3
    assert result.tau_ci95[0] < 0.8 < result.tau_ci95[1]


def test_people_are_pulled_towards_the_typical_person_when_they_are_alike():
    """With tau near zero, every shrunk estimate moves towards the pooled one and is more accurate."""
    series = _series(20, 0.7, 0.05, seed=3)
    result = pool_trials(series.trials)
    pooled = math.log(result.rate_ratio_median)
    own_error = shrunk_error = 0.0
    for person, truth in zip(result.individuals, series.true_log_ratios, strict=True):
        own, shrunk = math.log(person.unpooled_median), math.log(person.rate_ratio_median)
        assert abs(shrunk - pooled) <= abs(own - pooled) + 1e-9
        own_low, own_high = person.unpooled_ci95
        low, high = person.rate_ratio_ci95
        assert high / low < own_high / own_low  # borrowing strength narrows each interval
        own_error += (own - truth) ** 2
        shrunk_error += (shrunk - truth) ** 2
    assert shrunk_error < 0.5 * own_error


def test_a_persons_own_estimate_is_their_single_trial_result():
    """The unpooled column repeats what each person's own trial page shows."""
    series = _series(6, 0.7, 0.3, seed=4, missing=0.1)
    result = pool_trials(series.trials)
    for trial, person in zip(series.trials, result.individuals, strict=True):
        own = analyze(trial.nights).rate_ratio
        sd = own.sd_log
        assert person.label == trial.label
        assert abs(math.log(person.unpooled_median / own.median)) < 0.02 * sd
        for mine, theirs in zip(person.unpooled_ci95, own.ci95, strict=True):
            assert abs(math.log(mine / theirs)) < 0.05 * sd
        assert person.unpooled.p_meaningful == pytest.approx(own.p_meaningful, abs=0.005)


def test_pooling_is_deterministic_and_ignores_the_order_of_people():
    series = _series(8, 0.8, 0.2, seed=5)
    first = pool_trials(series.trials)
    assert pool_trials(series.trials) == first
    backwards = pool_trials(series.trials[::-1])
    assert backwards.rate_ratio_median == pytest.approx(first.rate_ratio_median, rel=1e-9)
    assert backwards.tau_ci95 == pytest.approx(first.tau_ci95, rel=1e-9)
    assert [p.label for p in backwards.individuals] == [p.label for p in first.individuals][::-1]


def test_the_threshold_sets_what_counts_as_worthwhile():
    series = _series(10, 0.7, 0.2, seed=6)
    strict = pool_trials(series.trials, threshold=0.5)
    lenient = pool_trials(series.trials, threshold=0.9)
    assert strict.p_meaningful < lenient.p_meaningful <= lenient.p_reduction
    with pytest.raises(ValueError, match="threshold"):
        pool_trials(series.trials, threshold=1.5)


def test_the_posterior_of_the_typical_ratio_can_be_asked_at_any_ratio():
    """``prob_ratio_below`` is the CDF the summaries come from (calibration by simulation asks it
    at the true ratio): p_reduction at 1, p_meaningful at the threshold, 2.5% and 97.5% at the ends
    of the interval, rising in between."""
    result = pool_trials(_series(10, 0.7, 0.3, seed=6).trials, threshold=0.8)
    assert result.prob_ratio_below(1.0) == pytest.approx(result.p_reduction, abs=1e-12)
    assert result.prob_ratio_below(0.8) == pytest.approx(result.p_meaningful, abs=1e-12)
    low, high = result.rate_ratio_ci95
    assert result.prob_ratio_below(low) == pytest.approx(0.025, abs=1e-6)
    assert result.prob_ratio_below(high) == pytest.approx(0.975, abs=1e-6)
    assert result.prob_ratio_below(result.rate_ratio_median) == pytest.approx(0.5, abs=1e-6)
    ratios = np.exp(np.linspace(-3.0, 3.0, 61))
    values = [result.prob_ratio_below(r) for r in ratios]
    assert values[0] < 1e-6 and values[-1] > 1 - 1e-6
    assert np.all(np.diff(values) >= 0)
    with pytest.raises(ValueError, match="positive"):
        result.prob_ratio_below(0.0)
    with pytest.raises(ValueError, match="posterior of mu"):
        replace(result, mu_marginal=None).prob_ratio_below(1.0)


def _quiet_trial(label: str, cramps_per_night: int = 0) -> PatientTrialData:
    """A short trial with hardly any cramps: below the minimum evidence."""
    nights = [
        TrialNight(night=None, treated=p % 2 == 1, period=p, washout=False, cramps=cramps_per_night)
        for p in range(4)
        for _ in range(7)
    ]
    return PatientTrialData.from_nights(label, nights)


def test_people_below_the_minimum_count_but_do_not_make_the_answer_enough():
    """Two people with enough cramps and many without: the series is not enough yet."""
    series = _series(MIN_PATIENTS_WITH_ENOUGH - 1, 0.7, 0.2, seed=7, cramps_per_week=7.0)
    quiet = [_quiet_trial(f"quiet {i}") for i in range(5)]
    result = pool_trials([*series.trials, *quiet])
    assert result.patients == MIN_PATIENTS_WITH_ENOUGH - 1 + 5
    assert result.patients_with_enough == MIN_PATIENTS_WITH_ENOUGH - 1
    assert not result.enough_data
    assert [p.enough_data for p in result.individuals[-5:]] == [False] * 5
    words = " ".join(pooled_summary_words(result, "magnesium"))
    assert "%" not in words
    assert "not yet enough" in words


def test_a_person_with_no_night_on_one_arm_is_left_out_by_name():
    series = _series(4, 0.7, 0.2, seed=8)
    only_remedy = PatientTrialData.from_nights(
        "only remedy",
        [TrialNight(None, True, 0, False, 1) for _ in range(14)],
    )
    result = pool_trials([*series.trials, only_remedy])
    assert result.patients == 4
    assert result.left_out == ("only remedy",)
    with pytest.raises(NotEnoughNights):
        pool_trials([only_remedy])
    with pytest.raises(ValueError):
        pool_trials([])


def test_the_run_in_baseline_is_used_like_in_the_single_trial():
    """A run-in rate only centres each person's vague baseline prior: the answer barely moves."""
    series = _series(6, 0.7, 0.2, seed=9)
    with_run_in = [replace(t, baseline_per_night=0.5) for t in series.trials]
    a, b = pool_trials(series.trials), pool_trials(with_run_in)
    assert math.log(a.rate_ratio_median / b.rate_ratio_median) == pytest.approx(0, abs=0.02)


def test_a_person_with_a_huge_effect_and_no_remedy_cramps_is_handled():
    """Zero cramps on the remedy: the likelihood has no peak, the person still pools sensibly."""
    series = _series(8, 0.8, 0.2, seed=10)
    simulated = simulate_trials(
        Scenario(7.0, 0.0001, pairs=6), 1, np.random.default_rng(11)
    ).trial_nights(0)
    assert sum(n.cramps or 0 for n in simulated if n.treated) == 0
    result = pool_trials([*series.trials, PatientTrialData.from_nights("cured", simulated)])
    cured = result.individuals[-1]
    assert cured.rate_ratio_median < 0.5
    assert cured.rate_ratio_median > cured.unpooled_median  # pulled towards the others
    assert all(math.isfinite(v) for v in (*result.rate_ratio_ci95, *result.tau_ci95))


def test_the_words_say_typical_person_and_never_certain():
    series = _series(40, 0.5, 0.2, seed=1)
    result = pool_trials(series.trials)
    words = pooled_summary_words(result, "magnesium")
    assert any("Clear: magnesium works" in s for s in words)
    assert any("typical person" in s for s in words)
    assert any("8 in 10" in s for s in words)
    assert not any("100%" in s for s in words)


def test_pooled_words_read_at_grade_8_or_lower(syllables_without_downloads):
    import textstat

    clear = pool_trials(_series(40, 0.5, 0.2, seed=1).trials)
    unclear = pool_trials(_series(5, 1.0, 0.2, seed=12).trials)
    quiet = pool_trials([_quiet_trial(f"q{i}") for i in range(3)])
    assert isinstance(quiet, PooledResult) and not quiet.enough_data
    for result in (clear, unclear, quiet):
        for sentence in pooled_summary_words(result, "magnesium"):
            assert textstat.flesch_kincaid_grade(sentence) <= 8, sentence


@pytest.mark.slow
def test_coverage_of_the_typical_persons_interval_is_at_least_90_percent():
    rng = np.random.default_rng(20)
    hits = 0
    for _ in range(60):
        series = simulate_series(SeriesScenario(12, 0.88, 0.3, PROTOCOL), rng)
        low, high = pool_trials(series.trials).rate_ratio_ci95
        hits += low <= 0.88 <= high
    assert hits / 60 >= 0.9


@pytest.mark.slow
def test_null_series_rarely_say_it_works():
    """Typical ratio 1: 'Clear: it works' at most 5% of series (here out of 60)."""
    rng = np.random.default_rng(21)
    said_works = 0
    for _ in range(60):
        series = simulate_series(SeriesScenario(12, 1.0, 0.2, PROTOCOL), rng)
        result = pool_trials(series.trials)
        said_works += result.enough_data and works(result.p_meaningful)
    assert said_works <= 3


def test_pooling_stored_likelihoods_gives_the_answer_of_pooling_the_trials():
    """A server stores each person's likelihood as rounded JSON numbers and pools them later: the
    answer must match pooling the nights, to well under a shown digit, in any order."""
    import json

    series = _series(12, 0.7, 0.3, seed=21)
    direct = pool_trials(series.trials, threshold=0.75)
    likelihoods, left_out = patient_likelihoods(series.trials)
    assert left_out == [] and len(likelihoods) == 12
    stored = [
        PatientLikelihood.from_dict(json.loads(json.dumps(one.to_dict()))) for one in likelihoods
    ]
    pooled = pool_likelihoods(stored[::-1], threshold=0.75)
    assert pooled.rate_ratio_median == pytest.approx(direct.rate_ratio_median, abs=1e-5)
    assert pooled.rate_ratio_ci95 == pytest.approx(direct.rate_ratio_ci95, abs=1e-5)
    assert pooled.p_meaningful == pytest.approx(direct.p_meaningful, abs=1e-5)
    assert pooled.tau_ci95 == pytest.approx(direct.tau_ci95, abs=1e-5)
    shrunk = {i.label: i.rate_ratio_median for i in pooled.individuals}
    for person in direct.individuals:
        assert shrunk[person.label] == pytest.approx(person.rate_ratio_median, abs=1e-5)
        # The person's own answer depends on the threshold, which is not stored: made at pooling.
        assert person.unpooled.threshold == 0.75


def test_a_stored_likelihood_of_another_grid_is_refused():
    """A row stored by an older version with another grid must be recomputed, never misread."""
    [one], _ = patient_likelihoods(_series(1, 0.7, 0.0, seed=3).trials)
    data = one.to_dict()
    assert len(data["log_likelihood"]) == LIKELIHOOD_BETA_POINTS
    with pytest.raises(ValueError, match="grid points"):
        PatientLikelihood.from_dict({**data, "log_likelihood": data["log_likelihood"][:-1]})
    with pytest.raises(NotEnoughNights):
        pool_likelihoods([])
