"""A personal plan built from an assessment: what to do, what to ask, what to test.

Non-drug steps come first, then questions for the doctor (a medicine review, and which blood tests
the doctor may consider), then the remedies worth a personal trial. Which remedies appear, and in
which order, is set in the knowledge data (each remedy's ``plan`` block), so a clinical reviewer
can change it without touching code. The plan is only built when no urgent or emergency flag is
present: ``assess`` enforces that. No Django imports here (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crampwise.core.i18n import gettext as _
from crampwise.core.knowledge.records import ADULT_AGE, KnowledgeBase, Remedy, Statement
from crampwise.guidance.core import messages as m
from crampwise.guidance.core.inputs import AssessmentInput

DIURETIC_CLASSES = frozenset({"potassium_sparing_diuretic", "thiazide_diuretic", "loop_diuretic"})
# Flags that are already answered by a dedicated plan item, so "tell your doctor about the other
# things" does not repeat them.
FLAGS_WITH_OWN_ITEM = frozenset(
    {
        "medicine_associated_with_cramps",
        "review_quinine",
        "review_muscle_relaxant",
        "meets_sleep_related_leg_cramp_criteria",
    }
)
# Findings that may come from a disease of the nerves or muscles: no home trial until a doctor
# has seen the person, because a trial would put off that visit by weeks.
NERVE_OR_MUSCLE_FLAGS = frozenset(
    {"see_doctor_nerve_or_muscle_signs", "see_doctor_muscle_weakness"}
)


def _skipped(remedy: Remedy, answers: AssessmentInput) -> bool:
    if remedy.plan.skip_if_pregnant and answers.pregnant:
        return True
    return any(c in remedy.plan.skip_if_conditions for c in answers.conditions)


def _item(item_id: str, text: str, sources: Iterable[str], **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "text": text, "sources": list(dict.fromkeys(sources)), **extra}


def _from_statement(item_id: str, statement: Statement, **extra: Any) -> dict[str, Any]:
    return _item(item_id, _(statement.text), statement.sources, **extra)


def _from_text(item_id: str, text: m.Text, **params: Any) -> dict[str, Any]:
    return _item(item_id, text.render(**params), text.sources)


def _steps(kb: KnowledgeBase, answers: AssessmentInput) -> list[dict[str, Any]]:
    steps = []
    remedies = sorted(kb.remedies.values(), key=lambda r: r.plan.priority)
    for remedy in remedies:
        if not remedy.plan.step or remedy.advice is None:
            continue
        if _skipped(remedy, answers):
            # Someone told to limit fluids must not read "drink enough"; they get a question for
            # their own doctor instead.
            if remedy.id == "fluids":
                steps.append(_from_text("ask_about_fluids", m.STEP_FLUIDS_ASK))
            continue
        steps.append(_from_statement(remedy.id, remedy.advice, remedy=remedy.id))
        if remedy.id == "stretching":
            steps.append(_from_text("during_a_cramp", m.STEP_DURING_CRAMP))
    return steps


def _linked_medicines(flags: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [f for f in flags if f["id"] == "medicine_associated_with_cramps"]


def _ask_doctor(
    answers: AssessmentInput, flags: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    items = []
    linked = _linked_medicines(flags)
    if linked:
        item = _from_text("medicine_review", m.ASK_MEDICINE_REVIEW)
        item["medicines"] = list(dict.fromkeys(f["medicine"] for f in linked))
        items.append(item)
    if any(f["id"] == "review_quinine" for f in flags):
        items.append(_from_text("quinine_review", m.ASK_QUININE))
    if any(f["id"] == "review_muscle_relaxant" for f in flags):
        items.append(_from_text("muscle_relaxant_review", m.ASK_MUSCLE_RELAXANT))
    items.append(_from_text("blood_tests", m.ASK_BLOOD_TESTS))
    if any(f["class"] in DIURETIC_CLASSES for f in linked):
        items.append(_from_text("blood_salts", m.ASK_BLOOD_SALTS_DIURETIC))
    if answers.pregnant:
        items.append(_from_text("ask_before_supplements", m.ASK_PREGNANT))
    others = [
        f["id"] for f in flags if f["severity"] == "routine" and f["id"] not in FLAGS_WITH_OWN_ITEM
    ]
    if others:
        item = _from_text("other_findings", m.ASK_OTHER_FLAGS)
        item["flags"] = list(dict.fromkeys(others))
        items.append(item)
    items.append(_from_text("when_to_see_doctor", m.ASK_FREQUENT))
    return items


def held_back(
    answers: AssessmentInput, flags: Sequence[Mapping[str, Any]], *, criteria_met: bool
) -> list[dict[str, Any]]:
    """Why the plan offers no home trial (or no supplement or medicine trial), most serious first.

    Trials are for night leg cramps in adults whom nothing else needs a doctor for first: signs
    of a nerve or muscle disease hold back every trial, a restless-legs pattern or cramps that do
    not fit the criteria hold back the cramp trials, and under 18 supplements and medicines are
    for a doctor to decide.
    """
    flag_ids = {f["id"] for f in flags}
    reasons = []
    if flag_ids & NERVE_OR_MUSCLE_FLAGS:
        reasons.append(_from_text("nerve_or_muscle_signs", m.HOLD_NERVE_OR_MUSCLE))
    if answers.age < ADULT_AGE:
        reasons.append(_from_text("under_18", m.HOLD_UNDER_18))
    if "consider_restless_legs" in flag_ids:
        reasons.append(_from_text("restless_legs", m.HOLD_RESTLESS_LEGS))
    elif not criteria_met:
        reasons.append(_from_text("not_night_cramps", m.HOLD_NOT_CRAMPS))
    return reasons


# Reasons that hold back every trial; "under_18" holds back only the adults-only ones.
HOLD_ALL = frozenset({"nerve_or_muscle_signs", "restless_legs", "not_night_cramps"})


def _trials(
    kb: KnowledgeBase,
    answers: AssessmentInput,
    flags: Sequence[Mapping[str, Any]],
    reasons: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    reason_ids = {r["id"] for r in reasons}
    if reason_ids & HOLD_ALL:
        return []
    has_linked_medicine = bool(_linked_medicines(flags))
    trials = []
    remedies = sorted(kb.remedies.values(), key=lambda r: r.plan.priority)
    for remedy in remedies:
        if not (remedy.trialable and remedy.plan.suggest_trial) or _skipped(remedy, answers):
            continue
        if remedy.adults_only and "under_18" in reason_ids:
            continue
        # A medicine change is only worth testing when a medicine linked to cramps is taken.
        if remedy.id == "medicine_change" and not has_linked_medicine:
            continue
        note = remedy.trial_note
        trials.append(
            {
                "id": remedy.id,
                "remedy": remedy.id,
                "name": _(remedy.name),
                "text": _(note.text) if note else "",
                "grade": remedy.evidence.grade,
                "verdict": remedy.evidence.verdict,
                "default_period_nights": remedy.default_period_nights,
                "washout_nights": remedy.washout_nights,
                "needs_prescriber_agreement": remedy.needs_prescriber_agreement,
                "trial_kind": remedy.trial_kind,
                "sources": list(remedy.sources),
            }
        )
    return trials


def build_plan(
    kb: KnowledgeBase,
    answers: AssessmentInput,
    flags: Sequence[Mapping[str, Any]],
    *,
    criteria_met: bool,
) -> dict[str, Any]:
    """The plan for answers whose flags hold nothing urgent (the caller checks)."""
    reasons = held_back(answers, flags, criteria_met=criteria_met)
    return {
        "steps": _steps(kb, answers),
        "ask_doctor": _ask_doctor(answers, flags),
        "trials": _trials(kb, answers, flags, reasons),
        "held_back": reasons,
    }


def plan_sources(plan: Mapping[str, Any]) -> list[str]:
    """Every source key the plan cites, in order."""
    keys = [
        key
        for part in ("steps", "ask_doctor", "trials", "held_back")
        for item in plan[part]
        for key in item["sources"]
    ]
    return list(dict.fromkeys(keys))
