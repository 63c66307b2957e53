"""The assessment: red flags first, then what the answers suggest, then a personal plan.

``assess(data)`` takes the documented input (see docs/guidance.md), checks it, and returns a
JSON-ready dict. Safety comes first in two ways: the red flags are decided before anything else
and listed first, and when any of them is urgent or an emergency the plan is left out, so no
remedy advice sits next to "get help today". No Django imports here (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crampwise.core.i18n import gettext as _
from crampwise.core.knowledge import load_knowledge
from crampwise.core.knowledge.records import KnowledgeBase
from crampwise.guidance.core import messages as m
from crampwise.guidance.core.inputs import NERVE_OR_MUSCLE_SIGNS, AssessmentInput, parse_input
from crampwise.guidance.core.medicines import (
    MedicineMatch,
    match_medicines,
    strongest_link,
    takes_muscle_relaxant,
    takes_quinine,
    takes_statin,
)
from crampwise.guidance.core.plan import build_plan, plan_sources

SEVERITY_ORDER = ("emergency", "urgent", "routine", "info")
URGENT_SEVERITIES = frozenset({"emergency", "urgent"})
RISK_AGE_FROM = 50  # the factsheet's threshold; prevalence rises with age from there (naylor1994)


def _red_flag(kb: KnowledgeBase, flag_id: str) -> dict[str, Any]:
    flag = kb.red_flags[flag_id]
    return {
        "id": flag.id,
        "severity": flag.severity,
        "message": _(flag.message),
        "action": _(flag.action),
        "sources": list(flag.sources),
    }


def red_flag_ids(answers: AssessmentInput, medicines: list[MedicineMatch]) -> list[str]:
    """Which red flags apply, decided before anything else is looked at."""
    has = answers.has
    statin = takes_statin(medicines)
    quinine = takes_quinine(medicines)
    rules = [
        ("emergency_possible_pulmonary_embolism", has("chest_pain_or_breathless")),
        ("urgent_possible_dvt", has("one_leg_swollen_warm_or_red")),
        ("urgent_prolonged_cramp", has("cramp_over_10_min_not_easing")),
        ("urgent_statin_muscle_damage", statin and (has("muscle_weakness") or has("dark_urine"))),
        # Dark urine after muscle pain can mean muscle breakdown whatever the cause; with a
        # statin the flag above says so and names the statin, so this one would only repeat it.
        ("urgent_possible_muscle_breakdown", has("dark_urine") and not statin),
        ("urgent_quinine_bleeding", quinine and has("unusual_bleeding_or_bruising")),
        ("urgent_tetanus_risk", has("soil_contaminated_wound")),
        # IRLSSG criteria 1 and 3; "at rest" and "evening or night" are implied by the question
        # being about the night, and the mimic (cramps) is exactly what this check is sorting.
        ("consider_restless_legs", has("urge_to_move") and has("relieved_by_movement")),
        ("consider_claudication", has("walking_pain_relieved_by_rest")),
        ("consider_neuropathy", has("numbness_or_tingling")),
        # On a statin, weakness is already an urgent flag; saying "see your doctor at a normal
        # visit" as well would blur the message.
        ("see_doctor_muscle_weakness", has("muscle_weakness") and not statin),
        ("see_doctor_nerve_or_muscle_signs", any(has(s) for s in NERVE_OR_MUSCLE_SIGNS)),
        ("review_quinine", quinine),
        ("review_muscle_relaxant", takes_muscle_relaxant(medicines)),
    ]
    return [flag_id for flag_id, applies in rules if applies]


def meets_criteria(answers: AssessmentInput) -> bool:
    """ICSD-3 sleep-related leg cramps, criteria A (painful tightening), B (in bed), C (stretch)."""
    return (
        answers.has("sudden_painful_tightening")
        and answers.has("occurs_in_bed")
        and answers.has("relieved_by_stretching")
    )


def _criteria_flag() -> dict[str, Any]:
    return {
        "id": "meets_sleep_related_leg_cramp_criteria",
        "severity": "info",
        "message": m.CRITERIA_MET.render(),
        "action": m.CRITERIA_MET_ACTION.render(),
        "sources": list(m.CRITERIA_MET.sources),
    }


def _risk_flags(kb: KnowledgeBase, answers: AssessmentInput) -> list[dict[str, Any]]:
    flags: list[dict[str, Any]] = []
    if answers.age >= RISK_AGE_FROM:
        flags.append(_info("risk_factor_age", m.RISK_AGE))
    if answers.sex == "female":
        flags.append(_info("risk_factor_sex", m.RISK_SEX))
    if answers.pregnant:
        flag = _info("risk_factor_pregnancy", m.RISK_PREGNANCY)
        flag["action"] = m.RISK_PREGNANCY_ACTION.render()
        flags.append(flag)
    for condition_id in answers.conditions:
        condition = kb.conditions[condition_id]
        if condition.risk_factor and condition.statement is not None:
            flags.append(
                {
                    "id": "risk_factor_condition",
                    "severity": "info",
                    "condition": condition.id,
                    "label": _(condition.label),
                    "message": _(condition.statement.text),
                    "action": None,
                    "sources": list(condition.statement.sources),
                }
            )
    return flags


def _info(flag_id: str, text: m.Text) -> dict[str, Any]:
    return {
        "id": flag_id,
        "severity": "info",
        "message": text.render(),
        "action": None,
        "sources": list(text.sources),
    }


def _medicine_flags(kb: KnowledgeBase, medicines: Iterable[MedicineMatch]) -> list[dict[str, Any]]:
    flags = []
    for match in medicines:
        ingredient = strongest_link(match, kb)
        if ingredient is None:
            continue
        cls = kb.classes[ingredient.class_id]
        if cls.strength == "reported":
            text = m.MEDICINE_REPORTED
        elif cls.strength == "label":
            text = m.MEDICINE_LABEL
        elif cls.strength == "same_type":
            text = m.MEDICINE_SAME_TYPE
        elif cls.measure is None:
            text = m.MEDICINE_LISTED
        elif cls.strength == "weak":
            text = m.MEDICINE_MEASURED_WEAK
        else:
            text = m.MEDICINE_MEASURED_STRONG
        plain_name = _(cls.plain_name)
        if ingredient.generic in {name.lower() for name in match.matched_names}:
            intro = m.MEDICINE_IS.render(
                generic=ingredient.generic.capitalize(), plain_name=plain_name
            )
        else:
            shown = " / ".join(match.matched_names)  # the name as read, without the dose
            intro = m.MEDICINE_CONTAINS.render(
                medicine=shown, generic=ingredient.generic, plain_name=plain_name
            )
        message = intro + " " + text.render()
        sources = [*text.sources, *cls.sources]
        if cls.conflicting_sources:
            message += " " + m.MEDICINE_CONFLICT.render()
            sources += [*m.MEDICINE_CONFLICT.sources, *cls.conflicting_sources]
        flags.append(
            {
                "id": "medicine_associated_with_cramps",
                "severity": "routine",
                "medicine": match.text,
                "generic": ingredient.generic,
                "class": cls.id,
                "class_name": cls.name,
                "atc": ingredient.atc or (cls.atc[0] if cls.atc else None),
                "atc_verified": cls.atc_verified,
                "strength": cls.strength,
                "read_as": list(match.matched_names),
                "fuzzy": match.fuzzy,
                "message": message,
                "action": m.MEDICINE_ACTION.render(),
                "sources": list(dict.fromkeys(sources)),
            }
        )
    return flags


def _medicine_report(kb: KnowledgeBase, match: MedicineMatch) -> dict[str, Any]:
    return {
        "text": match.text,
        "status": match.status,
        "read_as": list(match.matched_names),
        "fuzzy": match.fuzzy,
        "not_recognised_parts": list(match.unmatched_parts),
        "ingredients": [
            {
                "generic": i.generic,
                "class": i.class_id,
                "atc": i.atc,
                "linked_to_cramps": kb.classes[i.class_id].associated,
                "strength": kb.classes[i.class_id].strength,
            }
            for i in match.ingredients
        ],
    }


def sort_flags(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first; the order built within one severity is kept (stable sort)."""
    return sorted(flags, key=lambda flag: SEVERITY_ORDER.index(flag["severity"]))


def assess(data: dict[str, Any]) -> dict[str, Any]:
    """Assess one person's answers; raises ``AssessmentInputError`` for invalid input."""
    answers = parse_input(data)
    kb = load_knowledge()
    medicines = match_medicines(answers.medications)

    flags = [_red_flag(kb, flag_id) for flag_id in red_flag_ids(answers, medicines)]
    criteria_met = meets_criteria(answers)
    if criteria_met:
        flags.append(_criteria_flag())
    flags += _risk_flags(kb, answers)
    flags += _medicine_flags(kb, medicines)
    flags = sort_flags(flags)

    urgent = any(flag["severity"] in URGENT_SEVERITIES for flag in flags)
    plan = None if urgent else build_plan(kb, answers, flags, criteria_met=criteria_met)
    cited = [key for flag in flags for key in flag["sources"]]
    if plan is not None:
        cited += plan_sources(plan)
    return {
        "evidence_version": kb.info.version,
        "urgent": urgent,
        "flags": flags,
        "medicines": [_medicine_report(kb, match) for match in medicines],
        "unrecognised_medicines": [x.text for x in medicines if x.status == "not_recognised"],
        "plan": plan,
        "note": m.NOTE.render(),
        "bibliography": {key: kb.sources[key].citation for key in dict.fromkeys(cited)},
    }
