"""Every piece of patient-facing text in the data files, with where it lives.

One walk over the base serves three jobs: the readability test, the test that nothing is copied
from the factsheet, and extracting the strings into a translation catalogue (gettext cannot find
strings inside JSON on its own).
"""

from __future__ import annotations

from collections.abc import Iterator

from crampwise.core.knowledge.records import KnowledgeBase, Statement


def _statement(where: str, statement: Statement | None) -> Iterator[tuple[str, Statement]]:
    if statement is not None:
        yield where, statement


def iter_statements(kb: KnowledgeBase) -> Iterator[tuple[str, Statement]]:
    """(where, statement) for every sourced statement in the base."""
    for remedy in kb.remedies.values():
        for i, statement in enumerate(remedy.evidence.statements):
            yield f"remedies/{remedy.id}/evidence/{i}", statement
        yield from _statement(f"remedies/{remedy.id}/before_trial", remedy.evidence.before_trial)
        effect = remedy.evidence.effect_size
        if effect is not None:
            yield from _statement(f"remedies/{remedy.id}/effect_size/caveat", effect.caveat)
        for i, statement in enumerate(remedy.safety):
            yield f"remedies/{remedy.id}/safety/{i}", statement
        yield from _statement(f"remedies/{remedy.id}/trial_note", remedy.trial_note)
        yield from _statement(f"remedies/{remedy.id}/advice", remedy.advice)
    for condition in kb.conditions.values():
        yield from _statement(f"conditions/{condition.id}", condition.statement)
    for section in kb.learn:
        for i, statement in enumerate(section.statements):
            yield f"learn/{section.id}/{i}", statement


def iter_patient_texts(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """(where, text) for every string a patient may read."""
    for where, statement in iter_statements(kb):
        yield where, statement.text
    for remedy in kb.remedies.values():
        yield f"remedies/{remedy.id}/name", remedy.name
        yield f"remedies/{remedy.id}/summary", remedy.summary
    for cls in kb.classes.values():
        yield f"medicines/classes/{cls.id}/plain_name", cls.plain_name
    for condition in kb.conditions.values():
        yield f"conditions/{condition.id}/label", condition.label
    for flag in kb.red_flags.values():
        yield f"red_flags/{flag.id}/message", flag.message
        yield f"red_flags/{flag.id}/action", flag.action
    for section in kb.learn:
        yield f"learn/{section.id}/title", section.title
    for stretch in kb.relief.muscles:
        yield f"relief/{stretch.muscle}/title", stretch.title
        yield f"relief/{stretch.muscle}/alt", stretch.alt
        for i, step in enumerate(stretch.steps):
            yield f"relief/{stretch.muscle}/steps/{i}", step
    for technique in kb.relief.techniques:
        yield f"relief/{technique.id}/title", technique.title
        yield f"relief/{technique.id}/alt", technique.alt
        for i, step in enumerate(technique.steps):
            yield f"relief/{technique.id}/steps/{i}", step
    for item in kb.relief.prevention_checklist:
        yield f"relief/checklist/{item.id}", item.text
