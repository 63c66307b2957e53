"""What a person should read before testing a remedy: the evidence statement of one remedy.

The trial wizard shows this when someone chooses a remedy, and above all when they choose one
the plan does not suggest (magnesium: high-certainty evidence of no benefit in older adults).
No Django imports here (a test enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass

from crampwise.core.knowledge.loader import load_knowledge
from crampwise.core.knowledge.records import EffectSize, Source, Statement


@dataclass(frozen=True, slots=True)
class TrialEvidence:
    """The evidence on one remedy, ready to show before a personal trial.

    ``warning`` is the remedy's ``before_trial`` statement: present when the plan does not
    suggest the remedy because the evidence speaks against it; show it first. ``effect_size``
    comes with its ``caveat`` when the paper behind it carries a notice; show both or neither.
    ``sources`` holds every cited source with its citation, in the order first cited.
    """

    remedy_id: str
    name: str
    grade: str
    verdict: str
    suggested: bool
    warning: Statement | None
    statements: tuple[Statement, ...]
    safety: tuple[Statement, ...]
    effect_size: EffectSize | None
    sources: tuple[Source, ...]


def trial_evidence(remedy_id: str) -> TrialEvidence:
    """The evidence statement of one remedy (``KeyError`` if the id is unknown)."""
    kb = load_knowledge()
    remedy = kb.remedies[remedy_id]
    evidence = remedy.evidence
    return TrialEvidence(
        remedy_id=remedy.id,
        name=remedy.name,
        grade=evidence.grade,
        verdict=evidence.verdict,
        suggested=remedy.trialable and remedy.plan.suggest_trial,
        warning=evidence.before_trial,
        statements=evidence.statements,
        safety=remedy.safety,
        effect_size=evidence.effect_size,
        sources=tuple(kb.sources[key] for key in remedy.sources),
    )
