"""The chance of a clear answer, and the recommended trial length in a plain sentence."""

from __future__ import annotations

import re

import numpy as np
import pytest

from crampwise.trials.core import power
from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.batch_laplace import analyze_batch
from crampwise.trials.core.power import chance_of_clear_answer, effect_words, recommend_weeks
from crampwise.trials.core.simulate import Scenario, simulate_trials


def test_longer_trials_give_a_better_chance():
    """At 7 cramps a week and a halving, 24 weeks beats 8 weeks."""
    short = chance_of_clear_answer(7, 0.5, pairs=4, trials=300)
    long = chance_of_clear_answer(7, 0.5, pairs=12, trials=300)
    assert 0.1 < short < long <= 1.0


def test_no_effect_gives_a_clear_answer_only_by_chance():
    """With a rate ratio of 1, a 'clear answer' is a false positive and stays near 5%."""
    assert chance_of_clear_answer(7, 1.0, pairs=8, trials=400) < 0.10


def test_the_recommendation_is_the_shortest_length_that_reaches_four_in_five():
    """The recommended pairs reach 80%, one pair fewer does not."""
    advice = recommend_weeks(7, 0.5, kind="stretching", remedy="stretching", trials=300)
    assert advice.weeks is not None and advice.pairs is not None
    assert advice.weeks == 2 * advice.pairs
    assert advice.chance >= 0.8
    fewer = chance_of_clear_answer(7, 0.5, pairs=advice.pairs - 1, washout_nights=1, trials=300)
    assert fewer < 0.8
    assert re.fullmatch(
        r"With about 7 cramps a week, \d+ weeks gives a 4 in 5 chance of a clear answer "
        r"if stretching halves your cramps\.",
        advice.sentence,
    )


def test_a_small_effect_at_a_low_rate_is_out_of_reach_and_says_so():
    """At 1 cramp a week a 30% cut cannot be shown within a year."""
    advice = recommend_weeks(1, 0.7, remedy="stretching", trials=300)
    assert advice.weeks is None
    assert advice.chance < 0.8
    assert "even 52 weeks" in advice.sentence
    assert "cuts your cramps by 30%" in advice.sentence
    assert advice.sentence.startswith("With about 1 cramp a week,")


@pytest.mark.parametrize(("rate", "ratio"), [(0, 0.5), (3, 1.0), (3, 0.0)])
def test_it_rejects_impossible_questions(rate, ratio):
    """No cramps, or a ratio that is no reduction, has no answer."""
    with pytest.raises(ValueError):
        recommend_weeks(rate, ratio)


def test_effect_words_say_halves_for_one_half():
    """0.5 reads 'halves', other ratios read as a percentage cut."""
    assert effect_words(0.5, "stretching") == "stretching halves your cramps"
    assert effect_words(0.7, "magnesium") == "magnesium cuts your cramps by 30%"


def test_the_fast_power_method_agrees_with_the_full_analysis():
    """On the same 60 simulated trials both methods call nearly the same trials clear."""
    scenario = Scenario(cramps_per_week=4, rate_ratio=0.5, pairs=8, washout_nights=1, missing=0.1)
    simulated = simulate_trials(scenario, 60, np.random.default_rng(17))
    fast = analyze_batch(simulated).prob_below(0.0) >= 0.95
    full = np.array(
        [analyze(simulated.trial_nights(i)).rate_ratio.p_reduction >= 0.95 for i in range(60)]
    )
    assert np.mean(fast == full) >= 0.95
    assert abs(fast.mean() - full.mean()) <= 0.05


def test_the_shipped_table_was_built_with_the_current_settings():
    """power_table.json records the settings the wizard assumes."""
    settings = power._table()["settings"]
    assert settings["success"] == power.DEFAULT_SUCCESS
    assert settings["overdispersion"] == power.DEFAULT_OVERDISPERSION
    assert settings["missing"] == power.DEFAULT_MISSING
    assert settings["trials"] == power.SIMULATED_TRIALS
    assert settings["seed"] == power.SEED
    assert set(power._table()["designs"]) == {"7/1", "14/7"}


def test_the_table_holds_what_the_simulation_gives():
    """At a grid point the table equals a fresh simulation with the same seed and procedure."""
    table = power.table_chances(7, 1, 7, 0.5)
    assert table is not None
    fresh = power.chance_by_pairs(7, 0.5, 7, 1, max_pairs=26, lengths=[6, 14])
    assert [table[5], table[13]] == pytest.approx(fresh, abs=1e-4)


def test_between_grid_points_the_chance_is_interpolated():
    """4.5 cramps a week lies between the chances at 4 and at 5."""
    low, mid, high = (power.table_chances(7, 1, rate, 0.5) for rate in (4, 4.5, 5))
    assert low is not None and mid is not None and high is not None
    assert all(a <= m <= b or b <= m <= a for a, m, b in zip(low, mid, high, strict=True))


def test_default_wizard_questions_are_answered_from_the_table(monkeypatch):
    """The default question needs no simulation at all; others fall back to simulating."""

    def no_simulation(*args, **kwargs):
        raise AssertionError("the table should have answered")

    monkeypatch.setattr(power, "_power_curve", no_simulation)
    advice = recommend_weeks(3, 0.5, remedy="stretching")
    assert advice.sentence.startswith("With about 3 cramps a week,")
    assert recommend_weeks(6.5, 0.45, kind="supplement").sentence
    with pytest.raises(AssertionError):
        recommend_weeks(30, 0.5)  # outside the table: simulated
