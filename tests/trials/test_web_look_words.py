"""A look's words: "it works" only when a worthwhile cut is very likely, not any cut at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.stopping import Decision, Look
from crampwise.trials.services.presentation import look_label, look_sentence
from tests.trials.factories import simulated_nights


def _look(p_reduction: float, p_meaningful: float, decision: Decision) -> Look:
    analysis = analyze(simulated_nights(3, rate_ratio=0.8))
    rates = replace(analysis.rate_ratio, p_reduction=p_reduction, p_meaningful=p_meaningful)
    return Look(
        3,
        date(2025, 4, 1),
        p_reduction,
        p_meaningful,
        decision,
        replace(analysis, rate_ratio=rates),
    )


def test_a_stop_for_any_cut_without_a_worthwhile_one_does_not_say_it_works():
    """98% likely to cut cramps but only 55% likely to cut them by 20%: "maybe only a little"."""
    look = _look(0.98, 0.55, Decision.EFFICACY)
    assert look_label(look) == "Clear: it helps, maybe only a little"
    sentence = look_sentence(look, "stretching", running=False)
    assert "works" not in sentence and "less than 20%" in sentence


def test_a_stop_with_a_likely_worthwhile_cut_says_it_works():
    """99% likely to cut them and 93% likely by 20% or more: "Clear: it works"."""
    look = _look(0.99, 0.93, Decision.EFFICACY)
    assert look_label(look) == "Clear: it works"
    assert "stretching works for you" in look_sentence(look, "stretching")
