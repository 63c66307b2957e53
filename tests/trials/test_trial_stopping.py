"""Looks at the end of each pair: the rule, the looks, and its simulated operating characteristics."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.design import TrialDesign, block_end
from crampwise.trials.core.simulate import Scenario, simulate_trials
from crampwise.trials.core.stopping import (
    Decision,
    StoppingRule,
    enough_evidence,
    interim_look,
    look_nights,
    look_probabilities,
    operating_characteristics,
)
from tests.trials.factories import START, nights_from_counts


def test_no_stop_is_possible_before_the_second_pair():
    """After one pair, even certainty means carry on."""
    rule = StoppingRule()
    assert rule.decide(1, p_reduction=1.0, p_worthwhile=1.0) is Decision.CONTINUE
    assert rule.decide(1, p_reduction=0.0, p_worthwhile=0.0) is Decision.CONTINUE


@pytest.mark.parametrize(
    ("p_reduction", "p_worthwhile", "expected"),
    [
        (0.975, 0.9, Decision.EFFICACY),
        (0.974, 0.9, Decision.CONTINUE),
        (0.60, 0.099, Decision.FUTILITY),
        (0.60, 0.10, Decision.CONTINUE),
    ],
)
def test_the_rule_stops_for_efficacy_or_futility_at_its_thresholds(
    p_reduction, p_worthwhile, expected
):
    """Efficacy at P(RR<1) >= 0.975; futility when P(RR<0.8) < 0.10."""
    assert StoppingRule().decide(2, p_reduction, p_worthwhile) is expected


def test_looks_fall_on_the_last_night_of_each_pair_from_the_second():
    """A 4-pair trial of 1-week periods has looks after weeks 4, 6 and 8."""
    design = TrialDesign(start=START, seed=1, pairs=4, run_in_nights=7)
    assert look_nights(design) == [START + timedelta(days=7 + 14 * b - 1) for b in (2, 3, 4)]


def test_a_look_uses_only_the_nights_of_complete_pairs():
    """Nights of the third pair are ignored by the look after two pairs."""
    design = TrialDesign(start=START, seed=1, pairs=3)
    arms = [i // 7 % 2 == 1 for i in range(42)]
    counts = [1] * 28 + [9] * 14  # a wild third pair must not sway the look after pair two
    look = interim_look(design, nights_from_counts(counts, arms), pairs_complete=2)
    assert look.analysis.nights.used == 28
    assert look.night == block_end(design, 1)
    assert look.p_reduction == pytest.approx(0.5, abs=0.05)
    assert look.decision is Decision.CONTINUE


def test_a_clear_effect_stops_the_trial_for_efficacy():
    """Six control cramps a week against none on the remedy stops at the first look."""
    design = TrialDesign(start=START, seed=1, pairs=4)
    arms = [i // 7 % 2 == 1 for i in range(28)]
    counts = [0 if t else (0 if i % 7 == 0 else 1) for i, t in enumerate(arms)]
    assert interim_look(design, nights_from_counts(counts, arms), 2).decision is Decision.EFFICACY


def test_a_lower_efficacy_bar_stops_more_trials_without_an_effect():
    """Under no effect, e = 0.95 gives more false 'it works' stops than e = 0.975."""
    scenario = Scenario(cramps_per_week=7, rate_ratio=1.0, pairs=8)
    strict, lax = operating_characteristics(
        scenario, [StoppingRule(efficacy=0.975), StoppingRule(efficacy=0.95)], trials=600, seed=4
    )
    assert lax.stop_efficacy > strict.stop_efficacy
    assert strict.stop_efficacy < 0.10
    assert strict.stop_efficacy + strict.stop_futility + strict.ran_to_end == pytest.approx(1.0)
    assert 4 <= strict.expected_weeks <= scenario.weeks


def test_a_halving_mostly_stops_early_for_efficacy():
    """With RR 0.5 at 7 a week most trials stop for efficacy before their 16 weeks."""
    (oc,) = operating_characteristics(Scenario(7, 0.5, pairs=8), trials=400, seed=5)
    assert oc.stop_efficacy > 0.6
    assert oc.stop_futility < 0.05
    assert oc.expected_weeks < 14


def test_the_fast_look_probabilities_agree_with_the_full_analysis():
    """On the same simulated trials the batch method reaches the same decisions at every look."""
    scenario = Scenario(cramps_per_week=5, rate_ratio=0.7, pairs=5, missing=0.1)
    simulated = simulate_trials(scenario, 30, np.random.default_rng(9))
    rule = StoppingRule()
    fast = look_probabilities(simulated, scenario, rule, method="fast")
    full = look_probabilities(simulated, scenario, rule, method="full")
    looks = ~np.isnan(full[0])
    assert np.abs(fast[0][looks] - full[0][looks]).max() < 0.03
    assert np.abs(fast[1][looks] - full[1][looks]).max() < 0.03
    same = [
        rule.decide(b + 1, fast[0][i, b], fast[1][i, b])
        == rule.decide(b + 1, full[0][i, b], full[1][i, b])
        for i in range(30)
        for b in range(1, 5)
    ]
    assert np.mean(same) >= 0.95


def test_a_look_below_the_minimum_evidence_never_stops():
    """A few cramps, all without the remedy: the posterior leans, yet a look says nothing yet."""
    design = TrialDesign(start=START, seed=1, pairs=4, period_nights=7, washout_nights=0)
    treated = [p % 2 == 1 for p in range(4) for _ in range(7)]
    counts = [0 if t else int(n % 3 == 0) for n, t in enumerate(treated)]
    assert sum(counts) < 10
    look = interim_look(design, nights_from_counts(counts, treated), pairs_complete=2)
    assert not look.analysis.enough_data and look.decision is Decision.CONTINUE
    # One more cramp on every night without the remedy: enough evidence, and then it stops.
    more = [c + (0 if t else 1) for c, t in zip(counts, treated, strict=True)]
    look = interim_look(design, nights_from_counts(more, treated), pairs_complete=2)
    assert look.analysis.enough_data and look.decision is Decision.EFFICACY


def test_the_simulations_apply_the_same_minimum_as_the_app():
    """The batch check of the minimum evidence agrees with the analysis's, trial by trial."""
    scenario = Scenario(cramps_per_week=2, rate_ratio=0.8, pairs=4, missing=0.2)
    simulated = simulate_trials(scenario, 40, np.random.default_rng(3))
    for periods in (2, 4, 6, 8):
        batch = enough_evidence(simulated, periods)
        for i in range(simulated.n_trials):
            nights = [n for n in simulated.trial_nights(i) if n.period < periods]
            treated = {
                n.period for n in nights if n.cramps is not None and not n.washout and n.treated
            }
            control = {
                n.period for n in nights if n.cramps is not None and not n.washout and not n.treated
            }
            if not treated or not control:
                assert not batch[i]
                continue
            assert bool(batch[i]) == analyze(nights).enough_data, (periods, i)
    assert batch.any() and not batch.all()
