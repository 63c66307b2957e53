"""Clinical vignettes for the triage and evidence-base rules of issue 13.

A vignette is one described person: the answers they give, the flags and plan they must get,
and what they must not get. Each belongs to one rule (``point``, numbered as in docs/guidance.md,
"Vignettes") and is ``positive`` (the rule applies and acts) or ``negative`` (a close case where
it must not act). ``test_guidance_vignettes.py`` runs them all and counts them per point.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from crampwise.guidance.core.inputs import SYMPTOMS

TYPICAL = ("sudden_painful_tightening", "occurs_in_bed", "relieved_by_stretching")

POINTS = {
    1: "dark urine after muscle pain is urgent, with or without a statin",
    2: "signs of nerve or muscle disease: see a doctor, no home trials",
    3: "who a plan is for: adults with night cramps",
    4: "magnesium is not a default trial",
    5: "carisoprodol and orphenadrine: dependence, avoid over 65",
    6: "medicines recognised: newer inhalers, labels, quinine brands, not-checked medicines",
    7: "quinine: the MHRA conditions",
    8: "sources: chest pain is new or sudden; no exclusion list as causes",
}


def person(
    *,
    age: int = 68,
    sex: str = "female",
    symptoms: tuple[str, ...] = TYPICAL,
    medications: tuple[str, ...] = (),
    conditions: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "age": age,
        "sex": sex,
        "pregnant": False,
        "conditions": list(conditions),
        "medications": list(medications),
        "symptoms": {name: name in symptoms for name in SYMPTOMS},
    }


@dataclass(frozen=True)
class Vignette:
    point: int
    kind: str  # positive | negative
    name: str
    answers: dict[str, Any]
    flags: frozenset[str] = frozenset()  # must be raised
    not_flags: frozenset[str] = frozenset()  # must not be raised
    urgent: bool | None = None
    trials: frozenset[str] = frozenset()  # remedies that must be offered
    not_trials: frozenset[str] = frozenset()  # remedies that must not be offered
    no_trials: bool = False  # the plan offers no trial at all
    held_back: frozenset[str] | None = None  # exactly these reasons (None: not checked)
    ask_doctor: frozenset[str] = frozenset()
    medicine_status: dict[str, str] = field(default_factory=dict)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # flag id -> words it says

    def data(self) -> dict[str, Any]:
        return copy.deepcopy(self.answers)


def _v(point: int, kind: str, name: str, answers: dict[str, Any], **expect: Any) -> Vignette:
    for key in ("flags", "not_flags", "trials", "not_trials", "ask_doctor"):
        if key in expect:
            expect[key] = frozenset(expect[key])
    if expect.get("held_back") is not None:
        expect["held_back"] = frozenset(expect["held_back"])
    return Vignette(point, kind, name, answers, **expect)


NERVE_SIGNS = ("daytime_cramps", "muscle_twitching", "weakness_getting_worse", "muscle_wasting")
ADULT_ONLY = ("magnesium", "medicine_change", "vitamin_k2", "vitamin_b_complex")

VIGNETTES = (
    # 1. Dark urine -----------------------------------------------------------------------------
    _v(
        1,
        "positive",
        "a 55-year-old runner, no medicines, dark urine after sore muscles",
        person(age=55, sex="male", symptoms=("dark_urine",)),
        flags={"urgent_possible_muscle_breakdown"},
        not_flags={"urgent_statin_muscle_damage"},
        urgent=True,
        words={"urgent_possible_muscle_breakdown": ("muscle", "today")},
    ),
    _v(
        1,
        "positive",
        "a 70-year-old with typical cramps, a medicine the app does not know, dark urine",
        person(age=70, symptoms=(*TYPICAL, "dark_urine"), medications=("Frobnistatin",)),
        flags={"urgent_possible_muscle_breakdown"},
        urgent=True,
    ),
    _v(
        1,
        "positive",
        "a 66-year-old on simvastatin with dark urine gets the statin flag, not a second one",
        person(age=66, symptoms=("dark_urine",), medications=("simvastatin 40mg",)),
        flags={"urgent_statin_muscle_damage"},
        not_flags={"urgent_possible_muscle_breakdown"},
        urgent=True,
    ),
    _v(
        1,
        "negative",
        "a 68-year-old with typical cramps and normal urine",
        person(),
        not_flags={"urgent_possible_muscle_breakdown", "urgent_statin_muscle_damage"},
        urgent=False,
    ),
    _v(
        1,
        "negative",
        "a 62-year-old on atorvastatin with typical cramps and normal urine",
        person(age=62, medications=("atorvastatin",)),
        not_flags={"urgent_possible_muscle_breakdown", "urgent_statin_muscle_damage"},
        urgent=False,
    ),
    # 2. Nerve or muscle signs -------------------------------------------------------------------
    *(
        _v(
            2,
            "positive",
            f"a 61-year-old with typical night cramps who also reports {sign}",
            person(age=61, sex="male", symptoms=(*TYPICAL, sign)),
            flags={"see_doctor_nerve_or_muscle_signs"},
            urgent=False,
            no_trials=True,
            held_back={"nerve_or_muscle_signs"},
        )
        for sign in NERVE_SIGNS
    ),
    _v(
        2,
        "positive",
        "a 74-year-old with typical cramps whose legs feel weak: no trial before a doctor",
        person(age=74, symptoms=(*TYPICAL, "muscle_weakness")),
        flags={"see_doctor_muscle_weakness"},
        no_trials=True,
        held_back={"nerve_or_muscle_signs"},
    ),
    _v(
        2,
        "negative",
        "a 68-year-old with typical cramps and none of the muscle signs",
        person(),
        not_flags={"see_doctor_nerve_or_muscle_signs", "see_doctor_muscle_weakness"},
        trials={"stretching", "evening_walk"},
        held_back=set(),
    ),
    _v(
        2,
        "negative",
        "a 68-year-old with typical cramps and numb feet: a routine flag that does not stop trials",
        person(symptoms=(*TYPICAL, "numbness_or_tingling")),
        flags={"consider_neuropathy"},
        not_flags={"see_doctor_nerve_or_muscle_signs"},
        trials={"stretching"},
        held_back=set(),
    ),
    # 3. Who a plan is for -----------------------------------------------------------------------
    _v(
        3,
        "positive",
        "a 15-year-old with typical cramps on a reliever inhaler: habits only, see a doctor",
        person(age=15, sex="male", medications=("Ventolin",)),
        trials={"stretching"},
        not_trials=ADULT_ONLY,
        held_back={"under_18"},
    ),
    _v(
        3,
        "negative",
        "an 18-year-old with typical cramps on furosemide may test a change with the doctor",
        person(age=18, medications=("furosemide",)),
        trials={"stretching", "medicine_change"},
        held_back=set(),
    ),
    _v(
        3,
        "positive",
        "a 58-year-old whose leg pain does not ease with stretching: not night cramps",
        person(age=58, symptoms=("sudden_painful_tightening", "occurs_in_bed")),
        not_flags={"meets_sleep_related_leg_cramp_criteria"},
        no_trials=True,
        held_back={"not_night_cramps"},
    ),
    _v(
        3,
        "positive",
        "a 63-year-old with an urge to move that walking eases, plus some tightening",
        person(age=63, symptoms=(*TYPICAL, "urge_to_move", "relieved_by_movement")),
        flags={"consider_restless_legs"},
        no_trials=True,
        held_back={"restless_legs"},
    ),
    _v(
        3,
        "negative",
        "a 63-year-old with typical cramps and an urge to move that movement does not ease",
        person(age=63, symptoms=(*TYPICAL, "urge_to_move")),
        not_flags={"consider_restless_legs"},
        trials={"stretching"},
        held_back=set(),
    ),
    # 4. Magnesium -------------------------------------------------------------------------------
    _v(
        4,
        "positive",
        "a 75-year-old woman with typical cramps is not offered magnesium by default",
        person(age=75),
        trials={"stretching"},
        not_trials={"magnesium"},
    ),
    _v(
        4,
        "positive",
        "a 70-year-old who already takes magnesium is still not offered a magnesium trial",
        person(age=70, medications=("Mag-Ox 400",)),
        not_trials={"magnesium"},
        medicine_status={"Mag-Ox 400": "not_checked"},
    ),
    _v(
        4,
        "negative",
        "a 70-year-old with typical cramps is still offered the habit trials",
        person(age=70),
        trials={"stretching", "evening_walk"},
    ),
    # 5. Muscle relaxants ------------------------------------------------------------------------
    _v(
        5,
        "positive",
        "a 72-year-old taking Soma (carisoprodol) for back pain",
        person(age=72, medications=("Soma 350mg",)),
        flags={"review_muscle_relaxant"},
        ask_doctor={"muscle_relaxant_review"},
        words={"review_muscle_relaxant": ("dependence", "over 65", "market")},
    ),
    _v(
        5,
        "positive",
        "a 69-year-old taking orphenadrine",
        person(age=69, medications=("orphenadrine citrate 100mg",)),
        flags={"review_muscle_relaxant"},
        words={"review_muscle_relaxant": ("dependence", "over 65")},
    ),
    _v(
        5,
        "negative",
        "a 69-year-old taking diltiazem, another cramp treatment",
        person(age=69, medications=("diltiazem",)),
        not_flags={"review_muscle_relaxant"},
    ),
    # 6. Medicines recognised --------------------------------------------------------------------
    _v(
        6,
        "positive",
        "a 71-year-old with COPD on Relvar Ellipta and Anoro",
        person(age=71, sex="male", medications=("Relvar Ellipta 92/22", "Anoro Ellipta")),
        flags={"medicine_associated_with_cramps"},
        medicine_status={"Relvar Ellipta 92/22": "linked", "Anoro Ellipta": "linked"},
        words={"medicine_associated_with_cramps": ("not in that study", "do not know")},
    ),
    _v(
        6,
        "positive",
        "a 67-year-old on Trelegy, Spiolto, Ultibro and Onbrez (one of each, all recognised)",
        person(
            age=67,
            medications=("Trelegy Ellipta", "Spiolto Respimat", "Ultibro Breezhaler", "Onbrez"),
        ),
        flags={"medicine_associated_with_cramps"},
        medicine_status={
            "Trelegy Ellipta": "linked",
            "Spiolto Respimat": "linked",
            "Ultibro Breezhaler": "linked",
            "Onbrez": "linked",
        },
    ),
    _v(
        6,
        "positive",
        "a 60-year-old on Ventolin and pregabalin: their leaflets list cramps",
        person(age=60, medications=("Ventolin evohaler", "pregabalin 75mg")),
        flags={"medicine_associated_with_cramps"},
        medicine_status={"Ventolin evohaler": "linked", "pregabalin 75mg": "linked"},
        words={"medicine_associated_with_cramps": ("information that comes with it",)},
    ),
    _v(
        6,
        "positive",
        "a 78-year-old in France on Hexaquine",
        person(age=78, medications=("Hexaquine",)),
        flags={"review_quinine"},
    ),
    _v(
        6,
        "positive",
        "a 65-year-old on lisinopril and paracetamol: recognised, marked not checked",
        person(age=65, medications=("lisinopril 10mg", "paracetamol")),
        not_flags={"medicine_associated_with_cramps"},
        medicine_status={"lisinopril 10mg": "not_checked", "paracetamol": "not_checked"},
    ),
    _v(
        6,
        "negative",
        "a 65-year-old on bisoprolol and Spiriva: studied, no link found",
        person(age=65, medications=("bisoprolol 5mg", "Spiriva")),
        not_flags={"medicine_associated_with_cramps"},
        medicine_status={"bisoprolol 5mg": "no_known_link", "Spiriva": "no_known_link"},
    ),
    # 7. Quinine ---------------------------------------------------------------------------------
    _v(
        7,
        "positive",
        "an 80-year-old who has taken quinine sulfate for years",
        person(age=80, medications=("quinine sulfate 300mg",)),
        flags={"review_quinine"},
        not_trials={"quinine"},
        ask_doctor={"quinine_review"},
        words={"review_quinine": ("4 weeks", "3 months")},
    ),
    _v(
        7,
        "negative",
        "an 80-year-old with typical cramps who takes no quinine",
        person(age=80),
        not_flags={"review_quinine"},
        not_trials={"quinine"},
    ),
    # 8. Sources and questions -------------------------------------------------------------------
    _v(
        8,
        "positive",
        "a 59-year-old with new, sudden chest pain and breathlessness",
        person(age=59, symptoms=("chest_pain_or_breathless",)),
        flags={"emergency_possible_pulmonary_embolism"},
        urgent=True,
        words={"emergency_possible_pulmonary_embolism": ("New or sudden",)},
    ),
    _v(
        8,
        "negative",
        "a 59-year-old with typical cramps and no chest symptoms",
        person(age=59),
        not_flags={"emergency_possible_pulmonary_embolism"},
        urgent=False,
    ),
    _v(
        8,
        "positive",
        "a 70-year-old with an underactive thyroid: the risk is sourced to sleep experts",
        person(age=70, conditions=("hypothyroidism",)),
        flags={"risk_factor_condition"},
    ),
    _v(
        8,
        "negative",
        "a 70-year-old who had polio: only a trial's exclusion list named it, so no risk flag",
        person(age=70, conditions=("post_polio", "alcohol_use_disorder")),
        not_flags={"risk_factor_condition"},
    ),
)
