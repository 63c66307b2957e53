"""A trial series' pooled answer in plain words, in the style of ``wording``.

The answer is about the typical person in the series (exp(mu)), and the range most people would
see (the 80% predictive interval). Below the minimum, no percentage or best guess is given: only
why there is no answer yet.
"""

from __future__ import annotations

from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.trials.core.pooling import MIN_PATIENTS_WITH_ENOUGH, PooledResult
from crampwise.trials.core.wording import change_words, percent_words, works


def pooled_summary_words(result: PooledResult, remedy: str | None = None) -> list[str]:
    """Sentences for the series' results page and the ``trial pool`` command."""
    remedy = remedy or _("the remedy")
    pooled = ngettext(
        "This pools the trials of %(patients)s person.",
        "This pools the trials of %(patients)s people.",
        result.patients,
    ) % {"patients": result.patients}
    if not result.enough_data:
        return [
            pooled,
            _("There are not yet enough trials to give a pooled answer."),
            ngettext(
                "So far %(enough)s person has enough cramps in their own trial.",
                "So far %(enough)s people have enough cramps in their own trial.",
                result.patients_with_enough,
            )
            % {"enough": result.patients_with_enough},
            _("A pooled answer needs at least %(minimum)s people with enough cramps.")
            % {"minimum": MIN_PATIENTS_WITH_ENOUGH},
        ]
    values = {"remedy": remedy, "cut": round(100 * (1 - result.threshold))}
    if works(result.p_meaningful):
        verdict = _("Clear: %(remedy)s works for a typical person in this group.") % values
    elif result.p_reduction >= 0.975:
        verdict = (
            _(
                "Clear that %(remedy)s helps a typical person, but not that it cuts cramps by "
                "%(cut)s%% or more."
            )
            % values
        )
    else:
        verdict = (
            _(
                "Not clear yet whether %(remedy)s cuts cramps by %(cut)s%% or more for a typical person."
            )
            % values
        )
    low, high = result.predictive_ci
    return [
        pooled,
        _(
            "%(chance)s likely that %(remedy)s cuts cramps by at least %(cut)s%% for a typical "
            "person."
        )
        % {**values, "chance": percent_words(result.p_meaningful)},
        verdict,
        _("%(chance)s likely that %(remedy)s cuts cramps at all for a typical person.")
        % {"chance": percent_words(result.p_reduction), "remedy": remedy},
        _("Best guess for a typical person: %(change)s cramps with %(remedy)s.")
        % {"change": change_words(result.rate_ratio_median), "remedy": remedy},
        _("For a typical person, the true change is likely between %(low)s and %(high)s.")
        % {
            "low": change_words(result.rate_ratio_ci95[0]),
            "high": change_words(result.rate_ratio_ci95[1]),
        },
        _("People differ. Most people (8 in 10) would likely see between %(low)s and %(high)s.")
        % {"low": change_words(low), "high": change_words(high)},
        _("This is about the people in this group. It may not hold for someone unlike them."),
    ]
