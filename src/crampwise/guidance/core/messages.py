"""The assessment's own sentences (the red flags' sentences live in the knowledge data).

Each one carries its sources, like every statement in the evidence base. Templates are marked with
``gettext_noop`` so ``makemessages`` collects them, and translated when rendered, so the active
language applies at display time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from crampwise.core.i18n import gettext as _


def gettext_noop(message: str) -> str:
    """Mark a string for the catalogue without translating it yet (a standard gettext keyword)."""
    return message


@dataclass(frozen=True, slots=True)
class Text:
    key: str
    template: str
    sources: tuple[str, ...] = ()
    certainty: str = "verified"
    basis: str | None = None  # why a text without sources needs none: practical, defer, app

    def render(self, **params: object) -> str:
        translated = _(self.template)
        return translated % params if params else translated


def _t(
    key: str, template: str, *sources: str, certainty: str = "verified", basis: str | None = None
) -> Text:
    return Text(key, template, tuple(sources), certainty, basis)


CRITERIA_MET = _t(
    "criteria_met",
    gettext_noop(
        "Your answers fit the usual pattern of night leg cramps: a sudden, painful, tight muscle "
        "while you are in bed, which eases when you stretch it. Only a doctor can be sure."
    ),
    "aasm_leg_cramps",
    "rabbitt2016",
    "medlink_nepozitek_provini",
)
CRITERIA_MET_ACTION = _t(
    "criteria_met_action",
    gettext_noop("Keep your diary, so you and your doctor can see how often they come."),
    basis="app",
)
RISK_AGE = _t(
    "risk_age",
    gettext_noop(
        "Night leg cramps get more common with age. About 1 in 3 people over 60 have them at "
        "least now and then."
    ),
    "naylor1994",
    "aasm_leg_cramps",
)
RISK_SEX = _t(
    "risk_sex",
    gettext_noop("In a study of older people, women had night cramps more often than men."),
    "abdulla1999",
)
RISK_PREGNANCY = _t(
    "risk_pregnancy",
    gettext_noop(
        "About 4 in 10 pregnant women get leg cramps. They usually go away after the birth."
    ),
    "aasm_leg_cramps",
)
RISK_PREGNANCY_ACTION = _t(
    "risk_pregnancy_action",
    gettext_noop("Ask your midwife or doctor before you take anything for them."),
    basis="defer_to_clinician",
)

# A medicine flag is an opening sentence that says what the medicine is, then one sentence per
# kind of evidence, so the wording never claims more than the source shows.
MEDICINE_IS = _t(
    "medicine_is",
    gettext_noop("%(generic)s is %(plain_name)s."),
    basis="app",
)
MEDICINE_CONTAINS = _t(
    "medicine_contains",
    gettext_noop("%(medicine)s contains %(generic)s, which is %(plain_name)s."),
    basis="app",
)
MEDICINE_MEASURED_STRONG = _t(
    "medicine_measured_strong",
    gettext_noop(
        "A large study found that cramps were more common after people started this type of "
        "medicine."
    ),
    "garrison2012",
)
MEDICINE_MEASURED_WEAK = _t(
    "medicine_measured_weak",
    gettext_noop("A large study found only a small link between this type of medicine and cramps."),
    "garrison2012",
)
MEDICINE_LISTED = _t(
    "medicine_listed",
    gettext_noop(
        "It is on a list of medicines linked with cramps, though cramps from it are rare."
    ),
    "allen_kirby2012",
)
MEDICINE_REPORTED = _t(
    "medicine_reported",
    gettext_noop("Some people have had cramps with it, but the link is weak."),
    "allen_kirby2012",
)
MEDICINE_LABEL = _t(
    "medicine_label",
    gettext_noop(
        "The information that comes with it lists muscle cramps as a side effect that some "
        "people may get."
    ),
    basis="app",  # the class's own sources (the product information) are added to the flag
)
MEDICINE_SAME_TYPE = _t(
    "medicine_same_type",
    gettext_noop(
        "Cramps were more common after people started older inhalers of this type. This one "
        "came out later and was not in that study, so we do not know if it does the same."
    ),
    "garrison2012",
)
MEDICINE_CONFLICT = _t(
    "medicine_conflict",
    gettext_noop("Not all studies found this link."),
    "abdulla1999",
    "haskell_fiebach",
)
MEDICINE_ACTION = _t(
    "medicine_action",
    gettext_noop(
        "Do not stop it on your own. Ask your doctor or pharmacist if it could add to your cramps."
    ),
    basis="defer_to_clinician",
)

# The personal plan.
STEP_DURING_CRAMP = _t(
    "step_during_cramp",
    gettext_noop(
        "When a cramp comes, stretch the muscle, stand up and walk, or rub it. The relief guide "
        "shows how for each muscle."
    ),
    "aasm_leg_cramps",
    "scholten_factsheet",
)
STEP_FLUIDS_ASK = _t(
    "step_fluids_ask",
    gettext_noop("Ask your doctor how much you should drink each day."),
    basis="defer_to_clinician",
)
ASK_MEDICINE_REVIEW = _t(
    "ask_medicine_review",
    gettext_noop(
        "Ask your doctor or pharmacist to look at the medicines listed here that are linked with "
        "cramps. A change may be possible. Do not stop or change any of them on your own."
    ),
    "garrison2012",
    "allen_kirby2012",
)
ASK_BLOOD_TESTS = _t(
    "ask_blood_tests",
    gettext_noop(
        "Tests are often not needed for night cramps. If something points to another cause, your "
        "doctor may check your blood. For example, they may test for low potassium or an "
        "underactive thyroid."
    ),
    "allen_kirby2012",
    "aasm_leg_cramps",
)
ASK_BLOOD_SALTS_DIURETIC = _t(
    "ask_blood_salts_diuretic",
    gettext_noop(
        "Since you take a water pill, your doctor may want to check the salts in your blood, "
        "such as potassium."
    ),
    "allen_kirby2012",
    "aasm_leg_cramps",
    certainty="memory",
)
ASK_FREQUENT = _t(
    "ask_frequent",
    gettext_noop(
        "If cramps come often, or spoil your sleep or your days, see your doctor. Bring your diary."
    ),
    "nhs_inform_leg_cramps",
)
ASK_QUININE = _t(
    "ask_quinine",
    gettext_noop(
        "Ask your doctor whether you still need quinine. UK advice is to stop it if it has not "
        "helped after about 4 weeks, and to check about every 3 months if it has."
    ),
    "fda_quinine",
    "coppin2005",
    "mhra_quinine2010",
)
ASK_MUSCLE_RELAXANT = _t(
    "ask_muscle_relaxant",
    gettext_noop(
        "Ask your doctor whether you still need your muscle relaxant. Do not stop it all at once."
    ),
    "ema_carisoprodol2007",
    "ags_beers2023",
)

# Why the plan offers no home trial, or only some.
HOLD_NERVE_OR_MUSCLE = _t(
    "hold_nerve_or_muscle",
    gettext_noop(
        "Please see your doctor before you start any home trial. Some of your answers need a "
        "doctor's check first."
    ),
    "nhs_inform_leg_cramps",
    "leeds_nhs_mnd",
)
HOLD_UNDER_18 = _t(
    "hold_under_18",
    gettext_noop(
        "Night cramps are less common in children and teens. A doctor should check them before "
        "you try any pill, supplement or change of medicine."
    ),
    "aasm_leg_cramps",
)
HOLD_NOT_CRAMPS = _t(
    "hold_not_cramps",
    gettext_noop(
        "Your answers do not fit the usual pattern of night leg cramps, so we do not suggest a "
        "cramp trial. Talk to your doctor about what you feel."
    ),
    "aasm_leg_cramps",
    "rabbitt2016",
)
HOLD_RESTLESS_LEGS = _t(
    "hold_restless_legs",
    gettext_noop(
        "What you feel may be restless legs rather than cramps. The trials here are for cramps, "
        "so we do not suggest one. Ask your doctor about restless legs."
    ),
    "irlssg_criteria",
)
ASK_PREGNANT = _t(
    "ask_pregnant",
    gettext_noop("Ask your midwife or doctor before you try any new pill."),
    basis="defer_to_clinician",
)
ASK_OTHER_FLAGS = _t(
    "ask_other_flags",
    gettext_noop("Tell your doctor about the other things this check found."),
    basis="app",
)
NOTE = _t(
    "note",
    gettext_noop(
        "This check is not a diagnosis. It cannot see you or test you. If you feel very unwell, "
        "get help at once."
    ),
    basis="app",
)


def all_texts() -> Iterator[Text]:
    """Every message template in this module, for the readability and citation tests."""
    for value in globals().values():
        if isinstance(value, Text):
            yield value
