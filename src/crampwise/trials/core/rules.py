"""The design rules every caller of a trial shares: timing by kind, blinding, own remedies. Pure.

The wizard's form, the web app's writes and any other caller ask these same functions, so no caller
can skip a rule. Kinds are the stored ``Trial.kind`` values (``trials.design.RemedyKind`` plus
"medicine", a change agreed with a doctor).
"""

from __future__ import annotations

from crampwise.core.i18n import gettext as _
from crampwise.guidance.core.medicines import match_medicine, takes_quinine
from crampwise.trials.core.design import KIND_DEFAULTS, RemedyKind

MEDICINE = "medicine"
SUPPLEMENT = "supplement"
MAX_WEEKS = 52


def power_kind(kind: str) -> RemedyKind:
    """The design kind whose timing a trial kind uses."""
    # A medicine is started and stopped over days, as a supplement is: the same two-week periods.
    return RemedyKind.SUPPLEMENT if kind == MEDICINE else RemedyKind(kind)


def kind_timing(kind: str) -> tuple[int, int]:
    """(default period nights, washout nights) for a kind; a medicine change uses the slow timing."""
    defaults = KIND_DEFAULTS[power_kind(kind)]
    return defaults.period_nights, defaults.washout_nights


def can_be_blinded(kind: str) -> bool:
    """Only pills can be hidden (look-alike dummy capsules); nobody can stretch without knowing."""
    return kind in (SUPPLEMENT, MEDICINE)


def own_label_problem(label: str) -> str | None:
    """Why an own remedy with this name cannot be a home trial, or None when it can."""
    match = match_medicine(label)
    if takes_quinine([match]):
        return _(
            "Quinine is never a home trial in crampwise. Only a doctor can weigh up its risks for you."
        )
    if any(ingredient.class_id != "supplement" for ingredient in match.ingredients):
        return _(
            "This looks like a prescription medicine. Never start or stop one on your own. Choose "
            "“Changing a medicine” instead, and agree the plan with your doctor."
        )
    return None
