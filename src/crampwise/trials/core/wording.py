"""The trial's result in plain words, and what it cannot tell.

Sentences are short and concrete (reading grade 8 or lower; a test measures it) and marked for
translation. Numbers go in through named placeholders so translators can move them.
"""

from __future__ import annotations

from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.trials.core.analysis import RateRatioSummary, TrialAnalysis
from crampwise.trials.core.evidence import MIN_CRAMPS, MIN_PERIODS_PER_ARM, Evidence

# "Clear: it works" needs a worthwhile cut (the person's own threshold) to be this likely, not just
# any cut: a remedy can very likely help a little and still not be worth taking.
WORKS_PROBABILITY = 0.9

# The placebo arm of the magnesium trial went from 8.51 to 5.48 cramps a week (-36%): the size of
# change that expectation and time alone can bring in a cramp trial.
PLACEBO_SOURCE = "roguin-maor-2017"
SOURCES = {
    "roguin-maor-2017": (
        "Roguin Maor N, Alperin M, Shturman E, et al. Effect of magnesium oxide supplementation on "
        "nocturnal leg cramps: a randomized clinical trial. JAMA Intern Med. 2017;177(5):617-623. "
        "PMID 28241153."
    ),
    "vohra-2015": (
        "Vohra S, Shamseer L, Sampson M, et al. CONSORT extension for reporting N-of-1 trials "
        "(CENT) 2015 Statement. BMJ. 2015;350:h1738."
    ),
}


def percent_words(probability: float) -> str:
    """82% / More than 99% / Less than 1%: a model is never certain, so never say 100%."""
    if probability > 0.99:
        return _("More than 99%")
    if probability < 0.01:
        return _("Less than 1%")
    return _("%(percent)s%%") % {"percent": round(100 * probability)}


def change_words(ratio: float) -> str:
    if ratio < 0.995:
        return _("%(percent)s%% fewer") % {"percent": round(100 * (1 - ratio))}
    if ratio > 1.005:
        return _("%(percent)s%% more") % {"percent": round(100 * (ratio - 1))}
    return _("no change")


def headline(summary: RateRatioSummary, remedy: str) -> str:
    """'82% likely that stretching cuts your cramps by at least 20%.'"""
    return _("%(chance)s likely that %(remedy)s cuts your cramps by at least %(cut)s%%.") % {
        "chance": percent_words(summary.p_meaningful),
        "remedy": remedy,
        "cut": round(100 * (1 - summary.threshold)),
    }


def best_guess(ratio: float, remedy: str) -> str:
    values = {"percent": round(100 * abs(1 - ratio)), "remedy": remedy}
    if ratio < 0.995:
        return _("Best guess: %(percent)s%% fewer cramps with %(remedy)s.") % values
    if ratio > 1.005:
        return _("Best guess: %(percent)s%% more cramps with %(remedy)s.") % values
    return _("Best guess: about as many cramps with %(remedy)s as without.") % values


def works(p_worthwhile: float) -> bool:
    """Whether the words may say "it works": a worthwhile cut is very likely."""
    return p_worthwhile >= WORKS_PROBABILITY


def smallest_effect(summary: RateRatioSummary, remedy: str) -> str:
    """How small the likely effect may be: the end of the 95% range nearest to "no help"."""
    high = summary.ci95[1]
    if high >= 1.005:
        return _("It may not help at all: the range reaches %(change)s with %(remedy)s.") % {
            "change": change_words(high),
            "remedy": remedy,
        }
    return _("The cut may be as small as %(change)s.") % {"change": change_words(high)}


def verdict(summary: RateRatioSummary, remedy: str) -> str:
    """One short line: clear that it works, clear that it helps only a little, or not clear."""
    values = {"remedy": remedy, "cut": round(100 * (1 - summary.threshold))}
    if works(summary.p_meaningful):
        return _("Clear: %(remedy)s works for you.") % values
    if summary.p_reduction >= 0.975:
        return (
            _("Clear that %(remedy)s helps, but not that it cuts your cramps by %(cut)s%% or more.")
            % values
        )
    return _("Not clear yet whether %(remedy)s cuts your cramps by %(cut)s%% or more.") % values


def not_enough_sentences(evidence: Evidence) -> list[str]:
    """What to say below the minimum evidence: why there is no answer, and how long it may take."""
    sentences = [
        ngettext(
            "There are not yet enough cramps to tell. So far the trial counted %(cramps)s cramp.",
            "There are not yet enough cramps to tell. So far the trial counted %(cramps)s cramps.",
            evidence.cramps,
        )
        % {"cramps": evidence.cramps},
        _(
            "An answer needs at least %(cramps)s cramps in all, over at least %(periods)s periods "
            "of each kind."
        )
        % {"cramps": MIN_CRAMPS, "periods": MIN_PERIODS_PER_ARM},
    ]
    if evidence.weeks_more is not None:
        weeks = round(evidence.weeks_more)
        sentences.append(
            ngettext(
                "At the rate so far, that will likely take about %(weeks)s more week.",
                "At the rate so far, that will likely take about %(weeks)s more weeks.",
                weeks,
            )
            % {"weeks": weeks}
        )
    else:
        sentences.append(_("You have had no cramps yet, so we cannot say how long that will take."))
    return sentences


def result_sentences(analysis: TrialAnalysis, remedy: str) -> list[str]:
    """The answer in words; below the minimum evidence, only why there is no answer yet."""
    if not analysis.enough_data:
        return not_enough_sentences(analysis.evidence)
    rr = analysis.rate_ratio
    sentences = [
        headline(rr, remedy),
        verdict(rr, remedy),
        _("%(chance)s likely that %(remedy)s cuts your cramps at all.")
        % {"chance": percent_words(rr.p_reduction), "remedy": remedy},
        best_guess(rr.median, remedy),
        _("The true change is likely between %(low)s and %(high)s.")
        % {"low": change_words(rr.ci95[0]), "high": change_words(rr.ci95[1])},
        smallest_effect(rr, remedy),
        ngettext(
            "This rests on %(nights)s night.",
            "This rests on %(nights)s nights.",
            analysis.nights.used,
        )
        % {"nights": analysis.nights.used},
    ]
    return sentences


def limits_sentences(blinded: bool) -> list[str]:
    """What the result cannot tell. Cited: the placebo figure (Roguin Maor 2017)."""
    sentences = []
    if blinded:
        sentences.append(
            _(
                "You did not know which nights were remedy nights, so hope or doubt should not explain this result."
            )
        )
    else:
        sentences.append(
            _(
                "You knew which nights were remedy nights. Just expecting help can cut cramps: in one "
                "study, people on dummy pills had about a third fewer cramps. Part of this result may "
                "come from that."
            )
        )
    sentences.append(
        _("This result is about you. It does not show what the remedy would do for someone else.")
    )
    sentences.append(
        _(
            "It does not show why you get cramps, and it does not show that the remedy is safe for you."
        )
    )
    return sentences
