"""The remedies a home trial may test, their plain words, and the trial settings the web app uses.

The design rules every caller shares (timing by kind, blinding, own remedies) are in the pure
``trials.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.core.knowledge import get_remedy, trialable_remedies
from crampwise.core.knowledge.records import Remedy
from crampwise.trials.models import OWN_REMEDY, Trial

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

QUININE = "quinine"
BASELINE_WEEKS = 8
# Three weeks of answers in the last eight give a rate worth planning with; fewer, and the first
# week of the trial is a run-in that measures it.
MIN_BASELINE_NIGHTS = 21
RUN_IN_NIGHTS = 7
# The power table covers 1 to 14 cramps a week; outside it the core would simulate for seconds.
TABLE_RATES = (1.0, 14.0)
DEFAULT_HOPED_RATIO = 0.5
DEFAULT_THRESHOLD = 0.8


class TrialError(ValueError):
    """A trial that may not be created as asked (the message is for the person)."""


# ---- the catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyWords:
    """How a remedy is named in sentences and what each kind of night asks."""

    noun: str  # "82% likely that <noun> cuts your cramps by at least 20%."
    remedy_plan: str  # lower-case first letter: it follows "Tonight: "
    control_plan: str
    daytime: bool = False  # done during the day that ends in the night ("Today: ...")


@dataclass(frozen=True)
class _LazyWords:
    """A remedy's words as the table below holds them: translated when they are read."""

    noun: StrOrPromise
    remedy_plan: StrOrPromise
    control_plan: StrOrPromise
    daytime: bool = False

    def read(self) -> RemedyWords:
        return RemedyWords(
            str(self.noun), str(self.remedy_plan), str(self.control_plan), self.daytime
        )


# Plain words for the remedies of the evidence base, by id. A remedy added to the data later
# without words here still works, with the general words of ``remedy_words``.
REMEDY_WORDS: dict[str, _LazyWords] = {
    "stretching": _LazyWords(
        gettext_lazy("stretching"),
        gettext_lazy("stretch your calves before bed"),
        gettext_lazy("no stretching before bed"),
    ),
    "fluids": _LazyWords(
        gettext_lazy("drinking more"),
        gettext_lazy("drink your set extra amount"),
        gettext_lazy("drink as usual"),
        daytime=True,
    ),
    "supportive_shoes": _LazyWords(
        gettext_lazy("wearing supportive shoes"),
        gettext_lazy("wear your supportive shoes"),
        gettext_lazy("wear your usual shoes"),
        daytime=True,
    ),
    "evening_walk": _LazyWords(
        gettext_lazy("a daily walk"),
        gettext_lazy("take your walk"),
        gettext_lazy("no extra walk"),
        daytime=True,
    ),
    "magnesium": _LazyWords(
        gettext_lazy("magnesium"), gettext_lazy("take your magnesium"), gettext_lazy("no magnesium")
    ),
    "vitamin_b_complex": _LazyWords(
        gettext_lazy("vitamin B complex"),
        gettext_lazy("take your vitamin B complex"),
        gettext_lazy("no vitamin B complex"),
    ),
    "vitamin_k2": _LazyWords(
        gettext_lazy("vitamin K2"),
        gettext_lazy("take your vitamin K2"),
        gettext_lazy("no vitamin K2"),
    ),
    "calcium_channel_blockers": _LazyWords(
        gettext_lazy("the medicine"),
        gettext_lazy("take the medicine as your doctor agreed"),
        gettext_lazy("no medicine, as your doctor agreed"),
    ),
    "medicine_change": _LazyWords(
        gettext_lazy("the medicine change"),
        gettext_lazy("follow the new medicine plan your doctor agreed"),
        gettext_lazy("take your medicines as before"),
    ),
}


def catalogue() -> tuple[Remedy, ...]:
    """Remedies the wizard offers. Quinine is never among them, whatever the data says."""
    return tuple(r for r in trialable_remedies() if r.id != QUININE)


def offered_remedy(remedy_id: str) -> Remedy | None:
    """The evidence-base remedy for this id if the wizard offers it; None for an own remedy.

    Raises ``LookupError`` for quinine, for remedies that are not trialable and for unknown ids.
    """
    if remedy_id == OWN_REMEDY:
        return None
    for remedy in catalogue():
        if remedy.id == remedy_id:
            return remedy
    raise LookupError(remedy_id)


def remedy_words(trial_or_id: Trial | str) -> RemedyWords:
    """The words for a trial (an own remedy's come from its label) or for an evidence-base id."""
    remedy_id = trial_or_id.remedy_id if isinstance(trial_or_id, Trial) else trial_or_id
    label = trial_or_id.remedy_label if isinstance(trial_or_id, Trial) else ""
    if remedy_id in REMEDY_WORDS:
        return REMEDY_WORDS[remedy_id].read()
    if remedy_id != OWN_REMEDY:
        try:
            name = _(get_remedy(remedy_id).name)
        except KeyError:
            name = remedy_id
        label = name[:1].lower() + name[1:]
    return RemedyWords(
        noun=label,
        remedy_plan=_("use your remedy (%(label)s)") % {"label": label},
        control_plan=_("skip your remedy (%(label)s)") % {"label": label},
    )


def remedy_name(trial: Trial) -> str:
    """The remedy's name as a title: the evidence base's name, or the person's own."""
    if trial.remedy_id == OWN_REMEDY:
        return trial.remedy_label
    try:
        return _(get_remedy(trial.remedy_id).name)
    except KeyError:
        return trial.remedy_label or trial.remedy_id
