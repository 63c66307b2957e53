"""The evidence base after the outside clinical review (issue 13): what it says and what it refuses."""

from __future__ import annotations

import copy

import pytest

from crampwise.core.knowledge import load_knowledge, trial_evidence, trialable_remedies
from crampwise.core.knowledge.loader import (
    KnowledgeError,
    cited_keys,
    read_documents,
    validate_documents,
)
from crampwise.core.knowledge.texts import iter_statements
from crampwise.guidance.forms import SYMPTOM_QUESTIONS


@pytest.fixture
def documents():
    return copy.deepcopy(read_documents())


def _remedy(documents, remedy_id):
    return next(r for r in documents["remedies.json"]["remedies"] if r["id"] == remedy_id)


def _safety_text(remedy_id: str) -> str:
    return " ".join(s.text for s in load_knowledge().remedies[remedy_id].safety)


# Magnesium (rule 4) ----------------------------------------------------------------------------


def test_magnesium_stays_testable_but_is_not_suggested():
    """A person who wants to test it can (the wizard lists it); the plan does not suggest it."""
    assert "magnesium" in {r.id for r in trialable_remedies()}
    evidence = trial_evidence("magnesium")
    assert evidence.suggested is False
    assert evidence.verdict == "probably_no_benefit"


def test_the_magnesium_evidence_record_warns_and_cites_the_trials():
    """The warning shown before a magnesium trial cites the Cochrane review and the RCT."""
    evidence = trial_evidence("magnesium")
    assert evidence.warning is not None
    assert {"garrison2020", "roguin_maor2017"} <= set(evidence.warning.sources)
    assert "dummy pill" in evidence.warning.text
    keys = {source.key for source in evidence.sources}
    assert {"garrison2020", "roguin_maor2017"} <= keys
    assert all(source.citation for source in evidence.sources)


def test_a_suggested_remedy_needs_no_warning():
    """Stretching: suggested, no before-trial warning."""
    evidence = trial_evidence("stretching")
    assert evidence.suggested is True and evidence.warning is None


def test_magnesium_safety_names_diarrhoea_and_the_interactions():
    """Diarrhoea; bisphosphonates; tetracycline and quinolone antibiotics; levothyroxine."""
    text = _safety_text("magnesium").lower()
    for word in ("diarrhoea", "alendronate", "doxycycline", "ciprofloxacin", "levothyroxine"):
        assert word in text, word
    cited = {key for s in load_knowledge().remedies["magnesium"].safety for key in s.sources}
    assert {"ods_magnesium", "magnesium_smpc_uk", "levothyroxine_antacids"} <= cited


def test_it_rejects_a_trial_against_the_evidence_without_a_warning(documents):
    """A trialable remedy left out of the plan for lack of benefit must say so before a trial."""
    del _remedy(documents, "magnesium")["evidence"]["before_trial"]
    with pytest.raises(KnowledgeError, match="magnesium: a trial against the evidence"):
        validate_documents(documents)


# Muscle relaxants (rule 5) and quinine (rule 7) -------------------------------------------------


def test_muscle_relaxants_carry_dependence_the_over_65_advice_and_the_eu_withdrawal():
    """Dependence (EMA, label), avoid over 65 (Beers), carisoprodol off the EU market (EMA)."""
    text = _safety_text("muscle_relaxants")
    assert "dependence" in text and "misused" in text
    assert "over 65" in text and "EU" in text
    cited = {k for s in load_knowledge().remedies["muscle_relaxants"].safety for k in s.sources}
    assert {"ema_carisoprodol2007", "ags_beers2023", "norflex_label"} <= cited


def test_quinine_states_the_mhra_conditions_contraindications_and_interactions():
    """Sleep disruption, non-drug first, 4 weeks, 3 months; tinnitus, myasthenia; digoxin, warfarin."""
    text = _safety_text("quinine")
    for words in (
        "break your sleep",
        "without pills",
        "4 weeks",
        "3 months",
        "ringing in the ears",
        "myasthenia gravis",
        "digoxin",
        "warfarin",
    ):
        assert words in text, words
    assert load_knowledge().remedies["quinine"].trialable is False


# Sources (rule 8) -------------------------------------------------------------------------------


def test_the_vitamin_k2_numbers_carry_the_retraction_caveat():
    """The effect size from the retracted-and-replaced paper is never without its caveat."""
    kb = load_knowledge()
    assert kb.sources["tan2024"].notice == "retracted_and_replaced"
    effect = kb.remedies["vitamin_k2"].evidence.effect_size
    assert effect.caveat is not None and "pulled" in effect.caveat.text
    assert trial_evidence("vitamin_k2").effect_size.caveat is effect.caveat


def test_it_rejects_numbers_from_a_noticed_paper_without_a_caveat(documents):
    """Removing the caveat makes loading fail and names the remedy and the source."""
    del _remedy(documents, "vitamin_k2")["evidence"]["effect_size"]["caveat"]
    with pytest.raises(KnowledgeError, match="vitamin_k2: effect size from tan2024 needs a caveat"):
        validate_documents(documents)


def test_a_trials_exclusion_list_is_not_cited_as_a_cause():
    """tan2024 backs only the vitamin K2 entries, never a condition, flag or test advice."""
    kb = load_knowledge()
    places = {where for where, key in cited_keys(kb) if key == "tan2024"}
    assert places <= {"remedy vitamin_k2", "learn section medicines"}
    for where, statement in iter_statements(kb):
        if "tan2024" in statement.sources:
            assert "K2" in statement.text or where.startswith("remedies/vitamin_k2"), where


def test_gabapentin_is_graded_as_insufficient_evidence():
    """As AAN 2010 does (level U), citing it; the text keeps a hedge since it was not re-read."""
    anticonvulsants = load_knowledge().remedies["anticonvulsants"]
    assert anticonvulsants.evidence.verdict == "insufficient_evidence"
    first = anticonvulsants.evidence.statements[0]
    assert "katzberg2010" in first.sources and "too little" in first.text


def test_the_chest_pain_question_asks_whether_it_is_new_or_sudden():
    """The emergency question and its flag both say new or sudden."""
    question = str(SYMPTOM_QUESTIONS["chest_pain_or_breathless"])
    assert "new" in question and "suddenly" in question
    message = load_knowledge().red_flags["emergency_possible_pulmonary_embolism"].message
    assert message.startswith("New or sudden")
