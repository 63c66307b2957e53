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

from crampwise.i18n import gettext as _
from crampwise.knowledge.records import KnowledgeBase, Remedy, Statement

from . import messages as m
from .inputs import AssessmentInput

DIURETIC_CLASSES = frozenset({"potassium_sparing_diuretic", "thiazide_diuretic", "loop_diuretic"})
# Flags that are already answered by a dedicated plan item, so "tell your doctor about the other
# things" does not repeat them.
FLAGS_WITH_OWN_ITEM = frozenset(
    {"medicine_associated_with_cramps", "review_quinine", "meets_sleep_related_leg_cramp_criteria"}
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


def _trials(
    kb: KnowledgeBase, answers: AssessmentInput, flags: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    has_linked_medicine = bool(_linked_medicines(flags))
    trials = []
    remedies = sorted(kb.remedies.values(), key=lambda r: r.plan.priority)
    for remedy in remedies:
        if not (remedy.trialable and remedy.plan.suggest_trial) or _skipped(remedy, answers):
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
    kb: KnowledgeBase, answers: AssessmentInput, flags: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The plan for answers whose flags hold nothing urgent (the caller checks)."""
    return {
        "steps": _steps(kb, answers),
        "ask_doctor": _ask_doctor(answers, flags),
        "trials": _trials(kb, answers, flags),
    }


def plan_sources(plan: Mapping[str, Any]) -> list[str]:
    """Every source key the plan cites, in order."""
    keys = [
        key
        for part in ("steps", "ask_doctor", "trials")
        for item in plan[part]
        for key in item["sources"]
    ]
    return list(dict.fromkeys(keys))
