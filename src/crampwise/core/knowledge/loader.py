"""Read, validate and cross-check the evidence base.

Each data file is checked against its definition in ``schemas/knowledge.schema.json``, then the
whole base is checked as one: every cited key must exist in the bibliography, ids must be unique
and every reference between files must resolve. A broken base raises ``KnowledgeError`` at load
time rather than showing a half-sourced page to a patient.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import jsonschema

from crampwise.core.knowledge.records import (
    ChecklistItem,
    Combination,
    Condition,
    Drug,
    EffectSize,
    Evidence,
    EvidenceInfo,
    KnowledgeBase,
    LearnSection,
    Measure,
    MedicineClass,
    RedFlag,
    ReliefGuide,
    ReliefStretch,
    ReliefTechnique,
    Remedy,
    RemedyPlan,
    Source,
    Statement,
)

DATA_FILES = {
    "manifest.json": "manifest_file",
    "sources.json": "sources_file",
    "remedies.json": "remedies_file",
    "medicines.json": "medicines_file",
    "conditions.json": "conditions_file",
    "red_flags.json": "red_flags_file",
    "learn.json": "learn_file",
    "relief.json": "relief_file",
}


class KnowledgeError(ValueError):
    """The evidence base is broken; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _package() -> Traversable:
    return resources.files("crampwise.core.knowledge")


def read_data_file(name: str) -> Any:
    """The parsed JSON of one data file, not yet validated."""
    return json.loads((_package() / "data" / name).read_text(encoding="utf-8"))


@cache
def knowledge_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (_package() / "schemas" / "knowledge.schema.json").read_text("utf-8")
    )
    return schema


def schema_problems(name: str, document: Any) -> list[str]:
    """Schema errors of one data file, each naming the file and the path inside it."""
    schema = knowledge_schema()
    wrapper = {"$defs": schema["$defs"], "$ref": f"#/$defs/{DATA_FILES[name]}"}
    validator = jsonschema.Draft202012Validator(wrapper)
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        problems.append(f"{name}: {where}: {error.message}")
    return problems


def illustration_names() -> set[str]:
    folder = _package() / "illustrations"
    return {item.name for item in folder.iterdir() if item.name.endswith(".svg")}


def illustration_svg(name: str) -> str:
    """The text of one illustration, e.g. ``illustration_svg("calf-stretch.svg")``."""
    if name not in illustration_names():
        raise KeyError(name)
    return (_package() / "illustrations" / name).read_text(encoding="utf-8")


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _statement(raw: Mapping[str, Any] | None) -> Statement | None:
    if raw is None:
        return None
    return Statement(
        text=raw["text"],
        sources=tuple(raw["sources"]),
        certainty=raw.get("certainty", "verified"),
        basis=raw.get("basis"),
    )


def _statements(raws: Iterable[Mapping[str, Any]]) -> tuple[Statement, ...]:
    return tuple(s for s in (_statement(raw) for raw in raws) if s is not None)


def _brands(raw: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {country: tuple(names) for country, names in raw.items()}


def _remedy(raw: Mapping[str, Any]) -> Remedy:
    evidence = raw["evidence"]
    effect = evidence["effect_size"]
    plan = raw["plan"]
    return Remedy(
        id=raw["id"],
        kind=raw["kind"],
        use=tuple(raw["use"]),
        name=raw["name"],
        summary=raw["summary"],
        examples=tuple(raw.get("examples", ())),
        evidence=Evidence(
            grade=evidence["grade"],
            verdict=evidence["verdict"],
            statements=_statements(evidence["statements"]),
            effect_size=None
            if effect is None
            else EffectSize(
                measure=effect["measure"],
                value=effect["value"],
                ci=(effect["ci"][0], effect["ci"][1]),
                source=effect["source"],
                note=effect.get("note", ""),
                caveat=_statement(effect.get("caveat")),
            ),
            before_trial=_statement(evidence.get("before_trial")),
        ),
        safety=_statements(raw["safety"]),
        trialable=raw["trialable"],
        default_period_nights=raw["default_period_nights"],
        washout_nights=raw["washout_nights"],
        needs_prescriber_agreement=raw["needs_prescriber_agreement"],
        trial_kind=raw["trial_kind"],
        trial_note=_statement(raw["trial_note"]),
        advice=_statement(raw["advice"]),
        plan=RemedyPlan(
            step=plan["step"],
            suggest_trial=plan["suggest_trial"],
            priority=plan["priority"],
            skip_if_conditions=tuple(plan["skip_if_conditions"]),
            skip_if_pregnant=plan["skip_if_pregnant"],
        ),
        diary_factor=raw["diary_factor"],
        diary_relief=raw["diary_relief"],
        last_reviewed=_day(raw["last_reviewed"]),
    )


def _medicine_class(raw: Mapping[str, Any]) -> MedicineClass:
    measure = raw["measure"]
    return MedicineClass(
        id=raw["id"],
        name=raw["name"],
        plain_name=raw["plain_name"],
        atc=tuple(raw["atc"]),
        atc_verified=raw["atc_verified"],
        associated=raw["associated"],
        strength=raw["strength"],
        measure=None
        if measure is None
        else Measure(measure["kind"], measure["value"], (measure["ci"][0], measure["ci"][1])),
        sources=tuple(raw["sources"]),
        conflicting_sources=tuple(raw["conflicting_sources"]),
        note=raw["note"],
        last_reviewed=_day(raw["last_reviewed"]),
        link_checked=raw.get("link_checked", False),
    )


def _unique(kind: str, ids: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            yield f"{kind}: duplicate id {item!r}"
        seen.add(item)


def _build(documents: Mapping[str, Any]) -> KnowledgeBase:
    manifest = documents["manifest.json"]
    sources = {
        raw["key"]: Source(
            key=raw["key"],
            citation=raw["citation"],
            year=raw["year"],
            urls=tuple(raw["urls"]),
            status=raw["status"],
            used_for=raw["used_for"],
            last_reviewed=_day(raw["last_reviewed"]),
            doi=raw.get("doi"),
            notice=raw.get("notice"),
        )
        for raw in documents["sources.json"]["sources"]
    }
    medicines = documents["medicines.json"]
    relief = documents["relief.json"]
    return KnowledgeBase(
        info=EvidenceInfo(
            version=manifest["evidence_version"],
            last_reviewed=_day(manifest["last_reviewed"]),
            review_status=manifest["review_status"],
        ),
        sources=sources,
        remedies={raw["id"]: _remedy(raw) for raw in documents["remedies.json"]["remedies"]},
        classes={raw["id"]: _medicine_class(raw) for raw in medicines["classes"]},
        drugs={
            raw["generic"]: Drug(
                generic=raw["generic"],
                aliases=tuple(raw["aliases"]),
                class_id=raw["class_id"],
                atc=raw["atc"],
                brands=_brands(raw["brands"]),
                last_reviewed=_day(raw["last_reviewed"]),
            )
            for raw in medicines["drugs"]
        },
        combinations={
            raw["id"]: Combination(
                id=raw["id"],
                components=tuple(raw["components"]),
                class_id=raw.get("class_id"),
                atc=raw.get("atc"),
                aliases=tuple(raw["aliases"]),
                brands=_brands(raw["brands"]),
                last_reviewed=_day(raw["last_reviewed"]),
            )
            for raw in medicines["combinations"]
        },
        conditions={
            raw["id"]: Condition(
                id=raw["id"],
                label=raw["label"],
                risk_factor=raw["risk_factor"],
                statement=_statement(raw["statement"]),
                note=raw["note"],
                last_reviewed=_day(raw["last_reviewed"]),
            )
            for raw in documents["conditions.json"]["conditions"]
        },
        red_flags={
            raw["id"]: RedFlag(
                id=raw["id"],
                severity=raw["severity"],
                when=raw["when"],
                message=raw["message"],
                action=raw["action"],
                sources=tuple(raw["sources"]),
                last_reviewed=_day(raw["last_reviewed"]),
                certainty=raw.get("certainty", "verified"),
            )
            for raw in documents["red_flags.json"]["red_flags"]
        },
        learn=tuple(
            LearnSection(
                id=raw["id"],
                title=raw["title"],
                statements=_statements(raw["statements"]),
                last_reviewed=_day(raw["last_reviewed"]),
            )
            for raw in documents["learn.json"]["sections"]
        ),
        relief=ReliefGuide(
            muscles=tuple(
                ReliefStretch(
                    muscle=raw["muscle"],
                    title=raw["title"],
                    illustration=raw["illustration"],
                    alt=raw["alt"],
                    steps=tuple(raw["steps"]),
                    sources=tuple(raw["sources"]),
                    last_reviewed=_day(raw["last_reviewed"]),
                )
                for raw in relief["muscles"]
            ),
            techniques=tuple(
                ReliefTechnique(
                    id=raw["id"],
                    title=raw["title"],
                    illustration=raw["illustration"],
                    alt=raw["alt"],
                    steps=tuple(raw["steps"]),
                    sources=tuple(raw["sources"]),
                    remedy=raw["remedy"],
                    last_reviewed=_day(raw["last_reviewed"]),
                )
                for raw in relief["techniques"]
            ),
            prevention_checklist=tuple(
                ChecklistItem(
                    id=raw["id"],
                    text=raw["text"],
                    diary_factor=raw["diary_factor"],
                    remedy=raw["remedy"],
                    sources=tuple(raw["sources"]),
                    last_reviewed=_day(raw["last_reviewed"]),
                )
                for raw in relief["prevention_checklist"]
            ),
        ),
    )


def cited_keys(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """(where, key) for every citation in the base, so a test can resolve each one."""
    for remedy in kb.remedies.values():
        for key in remedy.sources:
            yield f"remedy {remedy.id}", key
    for cls in kb.classes.values():
        for key in (*cls.sources, *cls.conflicting_sources):
            yield f"medicine class {cls.id}", key
    for condition in kb.conditions.values():
        if condition.statement is not None:
            for key in condition.statement.sources:
                yield f"condition {condition.id}", key
    for flag in kb.red_flags.values():
        for key in flag.sources:
            yield f"red flag {flag.id}", key
    for section in kb.learn:
        for statement in section.statements:
            for key in statement.sources:
                yield f"learn section {section.id}", key
    for stretch in kb.relief.muscles:
        for key in stretch.sources:
            yield f"relief item {stretch.muscle}", key
    for technique in kb.relief.techniques:
        for key in technique.sources:
            yield f"relief item {technique.id}", key
    for item in kb.relief.prevention_checklist:
        for key in item.sources:
            yield f"relief item {item.id}", key


def cross_problems(kb: KnowledgeBase, documents: Mapping[str, Any]) -> list[str]:
    """Problems that span files: unknown keys, duplicate ids, dangling references."""
    problems: list[str] = []
    problems += _unique("sources", (s["key"] for s in documents["sources.json"]["sources"]))
    problems += _unique("remedies", (r["id"] for r in documents["remedies.json"]["remedies"]))
    medicines = documents["medicines.json"]
    problems += _unique("medicine classes", (c["id"] for c in medicines["classes"]))
    problems += _unique("drugs", (d["generic"] for d in medicines["drugs"]))
    problems += _unique("combinations", (c["id"] for c in medicines["combinations"]))
    problems += _unique("conditions", (c["id"] for c in documents["conditions.json"]["conditions"]))
    problems += _unique("red flags", (f["id"] for f in documents["red_flags.json"]["red_flags"]))
    problems += _unique("learn sections", (s["id"] for s in documents["learn.json"]["sections"]))

    for where, key in cited_keys(kb):
        if key not in kb.sources:
            problems.append(f"{where} cites unknown source {key!r}")
    for remedy in kb.remedies.values():
        if remedy.trialable:
            period, washout = remedy.default_period_nights or 0, remedy.washout_nights or 0
            if not 0 <= washout < period:
                problems.append(f"remedy {remedy.id}: washout must be shorter than the period")
        effect = remedy.evidence.effect_size
        source = kb.sources.get(effect.source) if effect is not None else None
        if effect is not None and source is not None and source.notice and effect.caveat is None:
            # Numbers from a paper under a notice are never shown bare.
            problems.append(f"remedy {remedy.id}: effect size from {source.key} needs a caveat")
        if (
            remedy.trialable
            and not remedy.plan.suggest_trial
            and remedy.evidence.verdict
            in {
                "probably_no_benefit",
                "likely_not_effective",
            }
        ):
            if remedy.evidence.before_trial is None:
                problems.append(
                    f"remedy {remedy.id}: a trial against the evidence needs before_trial"
                )
        for condition_id in remedy.plan.skip_if_conditions:
            if condition_id not in kb.conditions:
                problems.append(f"remedy {remedy.id}: unknown condition {condition_id!r}")
    for drug in kb.drugs.values():
        if drug.class_id not in kb.classes:
            problems.append(f"drug {drug.generic}: unknown class {drug.class_id!r}")
    for combination in kb.combinations.values():
        for component in combination.components:
            if component not in kb.drugs:
                problems.append(f"combination {combination.id}: unknown drug {component!r}")
        if combination.class_id is not None and combination.class_id not in kb.classes:
            problems.append(f"combination {combination.id}: unknown class {combination.class_id!r}")
    pictures = illustration_names()
    drawn = [s.illustration for s in kb.relief.muscles] + [
        t.illustration for t in kb.relief.techniques
    ]
    for name in drawn:
        if name not in pictures:
            problems.append(f"relief guide: missing illustration {name!r}")
    linked = [t.remedy for t in kb.relief.techniques]
    linked += [item.remedy for item in kb.relief.prevention_checklist]
    for remedy_id in linked:
        if remedy_id not in kb.remedies:
            problems.append(f"relief guide: unknown remedy {remedy_id!r}")
    return problems


def validate_documents(documents: Mapping[str, Any]) -> KnowledgeBase:
    """Build the base from parsed documents, or raise ``KnowledgeError`` with every problem."""
    problems: list[str] = []
    for name in DATA_FILES:
        if name not in documents:
            problems.append(f"{name}: missing")
        else:
            problems += schema_problems(name, documents[name])
    if problems:
        raise KnowledgeError(problems)
    kb = _build(documents)
    problems = cross_problems(kb, documents)
    if problems:
        raise KnowledgeError(problems)
    return kb


def read_documents() -> dict[str, Any]:
    return {name: read_data_file(name) for name in DATA_FILES}


@cache
def load_knowledge() -> KnowledgeBase:
    """The whole evidence base, validated once per process."""
    return validate_documents(read_documents())
