"""The result in plain words: the headline, the best guess, the limits, and how easy they read."""

from __future__ import annotations

import pytest
import textstat

from crampwise.trials.core.analysis import RateRatioSummary, analyze
from crampwise.trials.core.power import recommend_weeks
from crampwise.trials.core.wording import (
    SOURCES,
    best_guess,
    change_words,
    headline,
    limits_sentences,
    percent_words,
    result_sentences,
    smallest_effect,
    verdict,
)
from tests.trials.factories import simulated_nights


def _summary(p_meaningful: float, threshold: float = 0.8) -> RateRatioSummary:
    return RateRatioSummary(0.7, (0.5, 0.95), -0.35, 0.2, 0.97, p_meaningful, threshold)


def test_the_headline_reads_like_the_product_promise():
    """'82% likely that stretching cuts your cramps by at least 20%.'"""
    assert (
        headline(_summary(0.82), "stretching")
        == "82% likely that stretching cuts your cramps by at least 20%."
    )
    assert headline(_summary(0.5, 0.5), "magnesium").endswith("by at least 50%.")


@pytest.mark.parametrize(
    ("p", "words"), [(0.996, "More than 99%"), (0.004, "Less than 1%"), (0.5, "50%")]
)
def test_it_never_claims_certainty(p, words):
    """Probabilities near 0 or 1 are said as 'less than 1%' or 'more than 99%'."""
    assert percent_words(p) == words


def test_changes_are_said_as_fewer_or_more():
    """0.6 is '40% fewer', 1.25 is '25% more', 1.0 is 'no change'."""
    assert change_words(0.6) == "40% fewer"
    assert change_words(1.25) == "25% more"
    assert change_words(1.0) == "no change"
    assert (
        best_guess(1.0, "stretching")
        == "Best guess: about as many cramps with stretching as without."
    )


def test_the_sentences_state_the_result_and_its_range():
    """The sentences carry the headline, the best guess, the interval and the nights."""
    result = analyze(simulated_nights(21, rate_ratio=0.5))
    sentences = result_sentences(result, "stretching")
    assert sentences[0] == headline(result.rate_ratio, "stretching")
    assert any(s.startswith("Best guess:") for s in sentences)
    assert any("likely between" in s for s in sentences)
    assert str(result.nights.used) in sentences[-1]


def _rates(p_reduction, p_meaningful, ci95=(0.5, 0.9), threshold=0.8):
    return RateRatioSummary(
        median=0.7, ci95=ci95, mean_log=-0.3, sd_log=0.2, p_reduction=p_reduction,
        p_meaningful=p_meaningful, threshold=threshold,
    )  # fmt: skip


def test_it_says_it_works_only_when_a_worthwhile_cut_is_very_likely():
    """A 99% chance of some cut with a 60% chance of a 20% cut is not "it works"."""
    small = verdict(_rates(0.99, 0.60), "stretching")
    assert "works" not in small and "not that it cuts your cramps by 20% or more" in small
    assert verdict(_rates(0.999, 0.95), "stretching") == "Clear: stretching works for you."
    assert verdict(_rates(0.7, 0.3), "stretching").startswith("Not clear yet")


def test_the_users_own_threshold_decides_what_is_worthwhile():
    """A 50% threshold asks for a cut of 50% before it says "works"."""
    text = verdict(_rates(0.99, 0.5, threshold=0.5), "stretching")
    assert "50% or more" in text and "works" not in text


def test_it_says_how_small_the_cut_may_be():
    """The end of the range nearest to no change is put in words, even when it is a rise."""
    assert smallest_effect(_rates(0.99, 0.6, ci95=(0.4, 0.93)), "stretching") == (
        "The cut may be as small as 7% fewer."
    )
    rise = smallest_effect(_rates(0.8, 0.5, ci95=(0.4, 1.2)), "stretching")
    assert rise.startswith("It may not help at all") and "20% more" in rise


def test_a_clear_result_carries_its_verdict_and_smallest_effect():
    """The sentences of a strong halving say it works and how small the cut may be."""
    result = analyze(simulated_nights(21, rate_ratio=0.3))
    sentences = result_sentences(result, "stretching")
    assert "Clear: stretching works for you." in sentences
    assert any(s.startswith("The cut may be as small as") for s in sentences)


def test_unblinded_results_mention_expectation_effects_and_the_source_exists():
    """Open-label trials warn about the placebo-sized change; the source is in SOURCES."""
    text = " ".join(limits_sentences(blinded=False))
    assert "dummy pills" in text and "third fewer" in text
    assert "Roguin Maor" in SOURCES["roguin-maor-2017"]


def test_patient_sentences_read_at_grade_8_or_lower(syllables_without_downloads):
    """Every sentence a patient sees scores at most grade 8 (Flesch-Kincaid)."""
    result = analyze(simulated_nights(22, rate_ratio=0.6))
    texts = [
        *result_sentences(result, "stretching"),
        *limits_sentences(blinded=False),
        *limits_sentences(blinded=True),
        recommend_weeks(7, 0.5, remedy="stretching", trials=200).sentence,
        *result_sentences(
            analyze(simulated_nights(23, cramps_per_week=0.5, pairs=2)), "stretching"
        ),
        verdict(_rates(0.99, 0.6), "stretching"),
        smallest_effect(_rates(0.8, 0.5, ci95=(0.4, 1.2)), "stretching"),
    ]
    for text in texts:
        assert textstat.flesch_kincaid_grade(text) <= 8, text
