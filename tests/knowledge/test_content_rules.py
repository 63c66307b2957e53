"""Safety and honesty rules for the content, checked over the whole evidence base."""

from __future__ import annotations

import re

from crampwise.core.knowledge import load_knowledge, prevention_checklist
from crampwise.core.knowledge.texts import iter_patient_texts, iter_statements
from crampwise.diary.core.factors import BUILTIN_FACTOR_NAMES
from crampwise.diary.core.records import MUSCLES, RELIEFS

# Words that mark a claim as uncertain. Facts the research notes took from memory ([M]) or could
# not verify ([U]) must carry one.
HEDGES = (
    "may",
    "might",
    "can",
    "could",
    "not sure",
    "do not know",
    "not been able",
    "seem",
    "probably",
    "likely",
    "about",
    "no good data",
)


def test_unverified_and_remembered_facts_are_worded_with_a_hedge():
    """A statement marked memory or unverified never reads as settled fact."""
    kb = load_knowledge()
    for where, statement in iter_statements(kb):
        if statement.certainty != "verified":
            text = statement.text.lower()
            assert any(re.search(rf"\b{hedge}\b", text) for hedge in HEDGES), where
    for flag in kb.red_flags.values():
        if flag.certainty != "verified":
            assert any(re.search(rf"\b{h}\b", flag.message.lower()) for h in HEDGES), flag.id


def test_statements_without_sources_give_a_reason():
    """Only practical tips, deferrals to the person's clinician or app how-tos go unsourced."""
    for where, statement in iter_statements(load_knowledge()):
        if not statement.sources:
            assert statement.basis in {"practical", "defer_to_clinician", "app"}, where


def test_quinine_is_never_a_personal_trial_and_carries_its_warning():
    """Quinine: not trialable, verdict harms outweigh benefit, FDA safety notes present."""
    quinine = load_knowledge().remedies["quinine"]
    assert quinine.trialable is False
    assert quinine.plan.suggest_trial is False
    assert quinine.evidence.verdict == "harms_outweigh_benefit"
    assert any("fda_quinine" in s.sources for s in quinine.safety)
    assert any("never" in s.text.lower() for s in quinine.safety)


def test_prescription_medicines_are_only_trialable_with_the_prescriber():
    """Any remedy that is a prescription medicine needs the prescriber's agreement."""
    for remedy in load_knowledge().remedies.values():
        if remedy.kind in {"prescription", "medicine_review"}:
            assert remedy.needs_prescriber_agreement, remedy.id


def test_no_patient_text_gives_a_dose():
    """No dosing of prescription drugs: no amount with a unit appears in patient text."""
    dose = re.compile(r"\b\d+(\.\d+)?\s*(mg|mcg|µg|micrograms?|milligrams?|g|ml|units?|iu)\b", re.I)
    for where, text in iter_patient_texts(load_knowledge()):
        assert not dose.search(text), where


def test_magnesium_is_graded_as_probably_no_benefit():
    """The Cochrane finding for older adults is what the base says."""
    magnesium = load_knowledge().remedies["magnesium"]
    assert magnesium.evidence.verdict == "probably_no_benefit"
    assert "garrison2020" in magnesium.sources


def test_uncertain_supplements_are_marked_uncertain():
    """Vitamin B complex and vitamin K2 are uncertain, not recommended."""
    remedies = load_knowledge().remedies
    for remedy_id in ("vitamin_b_complex", "vitamin_k2"):
        assert remedies[remedy_id].evidence.verdict == "uncertain"
        assert remedies[remedy_id].evidence.grade in {"low", "very_low"}


def test_the_factsheet_medicine_groups_are_covered():
    """Muscle relaxants, calcium channel blockers and anticonvulsants each have an entry."""
    remedies = load_knowledge().remedies
    assert set(remedies["calcium_channel_blockers"].examples) >= {"diltiazem", "verapamil"}
    assert "gabapentin" in remedies["anticonvulsants"].examples
    assert remedies["muscle_relaxants"].kind == "prescription"


def test_the_non_drug_remedies_of_the_factsheet_are_covered():
    """Stretching, standing and walking, massage, heat, cold, fluids, shoes and exercise."""
    ids = set(load_knowledge().remedies)
    assert {
        "stretching",
        "stand_and_walk",
        "massage",
        "heat",
        "cold",
        "fluids",
        "supportive_shoes",
        "evening_walk",
    } <= ids


def test_diary_names_in_the_base_exist_in_the_diary():
    """diary_factor and diary_relief values are real diary column and relief names."""
    for remedy in load_knowledge().remedies.values():
        assert remedy.diary_factor is None or remedy.diary_factor in BUILTIN_FACTOR_NAMES
        assert remedy.diary_relief is None or remedy.diary_relief in RELIEFS


def test_the_prevention_checklist_maps_to_diary_factors():
    """Stretch, fluids and shoes tick the diary factors stretched, fluid_glasses, supportive_shoes."""
    factors = {item.diary_factor for item in prevention_checklist()}
    assert {"stretched", "fluid_glasses", "supportive_shoes"} <= factors
    assert factors <= set(BUILTIN_FACTOR_NAMES)


def test_the_relief_guide_covers_every_muscle_the_diary_knows():
    """Calf, foot, thigh, hamstring and toes each have stretch steps."""
    guide = load_knowledge().relief
    assert {stretch.muscle for stretch in guide.muscles} == set(MUSCLES)
    for muscle in MUSCLES:
        assert len(guide.for_muscle(muscle).steps) >= 2
    assert {t.id for t in guide.techniques} >= {"stand_and_walk", "massage"}


def test_learn_pages_cover_the_required_topics():
    """What it is, risk factors, symptoms, diagnosis, relief, medicines, prevention."""
    ids = [section.id for section in load_knowledge().learn]
    assert ids == [
        "what_it_is",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "non_drug_relief",
        "medicines",
        "prevention",
    ]


def test_every_learn_statement_is_sourced_or_says_why_not():
    """Each plain statement on a learn page cites a source, bar app how-tos and deferrals."""
    for section in load_knowledge().learn:
        for statement in section.statements:
            assert statement.sources or statement.basis in {"app", "defer_to_clinician"}


def test_red_flags_include_the_required_ids_and_severities():
    """The emergency and urgent flags the assessment needs are in the data."""
    flags = load_knowledge().red_flags
    assert flags["emergency_possible_pulmonary_embolism"].severity == "emergency"
    for flag_id in (
        "urgent_possible_dvt",
        "urgent_prolonged_cramp",
        "urgent_statin_muscle_damage",
        "urgent_quinine_bleeding",
        "urgent_tetanus_risk",
    ):
        assert flags[flag_id].severity == "urgent"
    for flag_id in ("consider_restless_legs", "consider_claudication", "consider_neuropathy"):
        assert flags[flag_id].severity == "routine"
