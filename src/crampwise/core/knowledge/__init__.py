"""The evidence base as data: sources, remedies, medicines, red flags, learn pages, relief guide.

The data lives in ``data/*.json`` (schema: ``schemas/knowledge.schema.json``; documented in
docs/guidance.md). Text fields are English source text; show them through
``crampwise.core.i18n.gettext`` so that translations apply at display time.
"""

from __future__ import annotations

from crampwise.core.knowledge.evidence import TrialEvidence, trial_evidence
from crampwise.core.knowledge.loader import KnowledgeError, illustration_svg, load_knowledge
from crampwise.core.knowledge.records import (
    ChecklistItem,
    Condition,
    EvidenceInfo,
    KnowledgeBase,
    LearnSection,
    MedicineClass,
    RedFlag,
    ReliefGuide,
    Remedy,
    Source,
    Statement,
)


def evidence_info() -> EvidenceInfo:
    """Version, review date and review status, to print on learn pages and reports."""
    return load_knowledge().info


def evidence_version() -> str:
    return load_knowledge().info.version


def load_sources() -> dict[str, Source]:
    return load_knowledge().sources


def load_remedies() -> dict[str, Remedy]:
    return load_knowledge().remedies


def get_remedy(remedy_id: str) -> Remedy:
    """One remedy by its stable id (``KeyError`` if unknown)."""
    return load_knowledge().remedies[remedy_id]


def trialable_remedies() -> tuple[Remedy, ...]:
    """Remedies the trial wizard may offer, in plan order."""
    remedies = load_knowledge().remedies.values()
    return tuple(sorted((r for r in remedies if r.trialable), key=lambda r: r.plan.priority))


def load_medicine_classes() -> dict[str, MedicineClass]:
    return load_knowledge().classes


def load_conditions() -> dict[str, Condition]:
    return load_knowledge().conditions


def load_red_flags() -> dict[str, RedFlag]:
    return load_knowledge().red_flags


def load_learn_pages() -> tuple[LearnSection, ...]:
    return load_knowledge().learn


def load_relief_guide() -> ReliefGuide:
    return load_knowledge().relief


def prevention_checklist() -> tuple[ChecklistItem, ...]:
    return load_knowledge().relief.prevention_checklist


__all__ = [
    "KnowledgeError",
    "evidence_info",
    "evidence_version",
    "get_remedy",
    "illustration_svg",
    "load_conditions",
    "load_knowledge",
    "load_learn_pages",
    "load_medicine_classes",
    "load_red_flags",
    "load_relief_guide",
    "load_remedies",
    "load_sources",
    "prevention_checklist",
    "trialable_remedies",
    "trial_evidence",
    "TrialEvidence",
    "Statement",
    "KnowledgeBase",
]
