"""Frozen records of the evidence base, built from the JSON data files by ``loader``.

The text fields hold the English source text. They are shown to people through gettext at
display time (``crampwise.core.i18n.gettext``), so a translation catalogue can replace them without
touching the data files. No Django imports here (a test enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

GRADES = ("high", "moderate", "low", "very_low", "none")
VERDICTS = (
    "helps",
    "may_help",
    "uncertain",
    "insufficient_evidence",
    "probably_no_benefit",
    "likely_not_effective",
    "harms_outweigh_benefit",
    "not_tested",
)
# "label": the product information lists cramps as a side effect; "same_type": a newer medicine of
# a linked type that the linking study did not include (so the link is not measured for it).
STRENGTHS = ("strong", "moderate", "weak", "reported", "label", "same_type", "none")
# Remedy kinds that are never offered for a home trial to someone under 18 (see a doctor instead).
ADULT_ONLY_KINDS = frozenset({"supplement", "prescription", "medicine_review"})
ADULT_AGE = 18
SEVERITIES = ("emergency", "urgent", "routine")
CERTAINTIES = ("verified", "memory", "unverified")


@dataclass(frozen=True, slots=True)
class Statement:
    """A plain sentence or two for patients and the sources behind it.

    ``certainty`` mirrors the research notes: ``memory`` and ``unverified`` facts must be worded
    with a hedge (a test checks). ``basis`` explains a statement without sources: practical
    handling advice, deferring to the person's own clinician, or how the app works.
    """

    text: str
    sources: tuple[str, ...]
    certainty: str = "verified"
    basis: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    citation: str
    year: int | None
    urls: tuple[str, ...]
    status: str  # verified | secondary | citation_only
    used_for: str
    last_reviewed: date
    doi: str | None = None
    notice: str | None = None  # retracted_and_replaced | retracted | expression_of_concern


@dataclass(frozen=True, slots=True)
class EffectSize:
    measure: str
    value: float
    ci: tuple[float, float]
    source: str
    note: str = ""
    caveat: Statement | None = None  # shown with the numbers; required when the source has a notice


@dataclass(frozen=True, slots=True)
class Evidence:
    grade: str
    verdict: str
    statements: tuple[Statement, ...]
    effect_size: EffectSize | None
    # Shown before a trial the plan does not suggest, to a person who wants to test it anyway.
    before_trial: Statement | None = None


@dataclass(frozen=True, slots=True)
class RemedyPlan:
    """How the personal plan uses a remedy (see ``crampwise.guidance.core.plan``)."""

    step: bool
    suggest_trial: bool
    priority: int
    skip_if_conditions: tuple[str, ...]
    skip_if_pregnant: bool


@dataclass(frozen=True, slots=True)
class Remedy:
    id: str
    kind: str  # non_drug | supplement | prescription | medicine_review
    use: tuple[str, ...]
    name: str
    summary: str
    examples: tuple[str, ...]
    evidence: Evidence
    safety: tuple[Statement, ...]
    trialable: bool
    default_period_nights: int | None
    washout_nights: int | None
    needs_prescriber_agreement: bool
    trial_kind: str | None
    trial_note: Statement | None
    advice: Statement | None
    plan: RemedyPlan
    diary_factor: str | None
    diary_relief: str | None
    last_reviewed: date

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source key this remedy cites, in first-seen order."""
        keys: list[str] = []
        effect = self.evidence.effect_size
        statements = [
            *self.evidence.statements,
            self.evidence.before_trial,
            *self.safety,
            self.trial_note,
            self.advice,
            effect.caveat if effect is not None else None,
        ]
        for statement in statements:
            if statement is not None:
                keys.extend(statement.sources)
        if effect is not None:
            keys.append(effect.source)
        return tuple(dict.fromkeys(keys))

    @property
    def adults_only(self) -> bool:
        """Supplements and medicines are not home trials for people under 18."""
        return self.kind in ADULT_ONLY_KINDS


@dataclass(frozen=True, slots=True)
class Measure:
    kind: str
    value: float
    ci: tuple[float, float]


@dataclass(frozen=True, slots=True)
class MedicineClass:
    id: str
    name: str
    plain_name: str
    atc: tuple[str, ...]
    atc_verified: bool
    associated: bool  # linked to cramps in a cited source
    strength: str
    measure: Measure | None
    sources: tuple[str, ...]
    conflicting_sources: tuple[str, ...]
    note: str
    last_reviewed: date
    # Not linked: True when a source looked for a link and found none (a negative control);
    # False when nobody we cite has checked, so the app must not say "no link".
    link_checked: bool = False


@dataclass(frozen=True, slots=True)
class Drug:
    generic: str
    aliases: tuple[str, ...]
    class_id: str
    atc: str | None
    brands: dict[str, tuple[str, ...]]  # country code -> brand names
    last_reviewed: date

    @property
    def brand_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for names in self.brands.values() for name in names))


@dataclass(frozen=True, slots=True)
class Combination:
    """A product with several ingredients.

    When ``class_id`` is set the product belongs to a class of its own (an inhaled LABA with a
    steroid is studied as its own class, not as "a LABA plus a steroid"); otherwise each
    ingredient keeps the class of its ``Drug`` entry.
    """

    id: str
    components: tuple[str, ...]
    class_id: str | None
    atc: str | None
    aliases: tuple[str, ...]
    brands: dict[str, tuple[str, ...]]
    last_reviewed: date

    @property
    def brand_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for names in self.brands.values() for name in names))


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    label: str
    risk_factor: bool
    statement: Statement | None
    note: str | None
    last_reviewed: date


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    severity: str
    when: str  # the rule in words, for reviewers; the code is in guidance.assessment
    message: str
    action: str
    sources: tuple[str, ...]
    last_reviewed: date
    certainty: str = "verified"


@dataclass(frozen=True, slots=True)
class LearnSection:
    id: str
    title: str
    statements: tuple[Statement, ...]
    last_reviewed: date


@dataclass(frozen=True, slots=True)
class ReliefStretch:
    muscle: str
    title: str
    illustration: str  # file name in knowledge/illustrations/
    alt: str
    steps: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: date


@dataclass(frozen=True, slots=True)
class ReliefTechnique:
    id: str
    title: str
    illustration: str
    alt: str
    steps: tuple[str, ...]
    sources: tuple[str, ...]
    remedy: str
    last_reviewed: date


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    diary_factor: str  # a diary factor name such as "stretched"
    remedy: str
    sources: tuple[str, ...]
    last_reviewed: date


@dataclass(frozen=True, slots=True)
class ReliefGuide:
    muscles: tuple[ReliefStretch, ...]
    techniques: tuple[ReliefTechnique, ...]
    prevention_checklist: tuple[ChecklistItem, ...]

    def for_muscle(self, muscle: str) -> ReliefStretch:
        for stretch in self.muscles:
            if stretch.muscle == muscle:
                return stretch
        raise KeyError(muscle)


@dataclass(frozen=True, slots=True)
class EvidenceInfo:
    """The version stamp shown on learn pages and reports."""

    version: str
    last_reviewed: date
    review_status: str


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    info: EvidenceInfo
    sources: dict[str, Source]
    remedies: dict[str, Remedy]
    classes: dict[str, MedicineClass]
    drugs: dict[str, Drug]  # by generic name
    combinations: dict[str, Combination]
    conditions: dict[str, Condition]
    red_flags: dict[str, RedFlag]
    learn: tuple[LearnSection, ...]
    relief: ReliefGuide
