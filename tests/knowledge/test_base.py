"""The evidence base: schema, citations, review dates, grades and cross-file references."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest

from crampwise.core.knowledge import (
    evidence_info,
    get_remedy,
    load_knowledge,
    load_remedies,
    load_sources,
    trialable_remedies,
)
from crampwise.core.knowledge.loader import (
    DATA_FILES,
    KnowledgeError,
    cited_keys,
    read_documents,
    schema_problems,
    validate_documents,
)
from crampwise.core.knowledge.records import GRADES, SEVERITIES, STRENGTHS, VERDICTS


@pytest.fixture
def documents():
    return copy.deepcopy(read_documents())


def test_every_data_file_matches_its_schema(documents):
    """Each JSON file validates against its definition in knowledge.schema.json."""
    for name in DATA_FILES:
        assert schema_problems(name, documents[name]) == []


def test_the_whole_base_loads_without_problems():
    """The loader's cross-file checks find nothing wrong."""
    kb = load_knowledge()
    assert kb.remedies and kb.sources and kb.red_flags and kb.learn


def test_every_cited_key_exists_in_the_bibliography():
    """No entry cites a source key that the bibliography lacks."""
    kb = load_knowledge()
    missing = [(where, key) for where, key in cited_keys(kb) if key not in kb.sources]
    assert missing == []


def test_every_source_in_the_bibliography_is_cited_somewhere():
    """The bibliography holds no orphans (guidance messages count as citing too)."""
    from crampwise.guidance.core.messages import all_texts

    kb = load_knowledge()
    cited = {key for _, key in cited_keys(kb)}
    cited |= {key for text in all_texts() for key in text.sources}
    cited |= {r.evidence.effect_size.source for r in kb.remedies.values() if r.evidence.effect_size}
    assert set(kb.sources) - cited == set()


def test_every_entry_has_a_last_reviewed_date():
    """Sources, remedies, medicines, conditions, flags, learn and relief entries carry a date."""
    kb = load_knowledge()
    entries = [
        *kb.sources.values(),
        *kb.remedies.values(),
        *kb.classes.values(),
        *kb.drugs.values(),
        *kb.combinations.values(),
        *kb.conditions.values(),
        *kb.red_flags.values(),
        *kb.learn,
        *kb.relief.muscles,
        *kb.relief.techniques,
        *kb.relief.prevention_checklist,
    ]
    for entry in entries:
        assert isinstance(entry.last_reviewed, date), entry
        assert entry.last_reviewed <= date.today()


def test_grades_verdicts_strengths_and_severities_come_from_fixed_sets():
    """Every enumerated field uses one of the documented values."""
    kb = load_knowledge()
    for remedy in kb.remedies.values():
        assert remedy.evidence.grade in GRADES
        assert remedy.evidence.verdict in VERDICTS
    for cls in kb.classes.values():
        assert cls.strength in STRENGTHS
    for flag in kb.red_flags.values():
        assert flag.severity in SEVERITIES


def test_the_evidence_base_has_a_version_for_pages_and_reports():
    """The manifest gives a dated version string and a review status."""
    info = evidence_info()
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}(\.\d+)?", info.version)
    assert info.review_status


def test_it_rejects_a_citation_of_an_unknown_source(documents):
    """A statement that cites a missing key makes loading fail and names the entry."""
    documents["remedies.json"]["remedies"][0]["evidence"]["statements"][0]["sources"] = ["nope"]
    with pytest.raises(KnowledgeError, match="remedy stretching cites unknown source 'nope'"):
        validate_documents(documents)


def test_it_rejects_a_grade_outside_the_fixed_set(documents):
    """An invented evidence grade fails the schema."""
    documents["remedies.json"]["remedies"][0]["evidence"]["grade"] = "excellent"
    with pytest.raises(KnowledgeError, match="remedies.json: remedies/0/evidence/grade"):
        validate_documents(documents)


def test_it_rejects_an_entry_without_a_review_date(documents):
    """Removing last_reviewed from a red flag fails the schema."""
    del documents["red_flags.json"]["red_flags"][0]["last_reviewed"]
    with pytest.raises(KnowledgeError, match="last_reviewed"):
        validate_documents(documents)


def test_it_rejects_an_unsourced_statement_without_a_reason(documents):
    """A statement with no sources must say why (practical, defer_to_clinician or app)."""
    documents["learn.json"]["sections"][0]["statements"][0]["sources"] = []
    with pytest.raises(KnowledgeError, match="basis"):
        validate_documents(documents)


def test_it_rejects_duplicate_ids(documents):
    """Two remedies with one id would make the trial wizard ambiguous."""
    remedies = documents["remedies.json"]["remedies"]
    remedies.append(copy.deepcopy(remedies[0]))
    with pytest.raises(KnowledgeError, match="duplicate id 'stretching'"):
        validate_documents(documents)


def test_it_rejects_a_washout_as_long_as_the_period(documents):
    """The trial design needs at least one analysed night per period."""
    documents["remedies.json"]["remedies"][0]["washout_nights"] = 7
    with pytest.raises(KnowledgeError, match="washout must be shorter"):
        validate_documents(documents)


def test_it_rejects_a_trialable_remedy_without_a_period(documents):
    """A trialable remedy must give its default period, washout and kind."""
    documents["remedies.json"]["remedies"][0]["default_period_nights"] = None
    with pytest.raises(KnowledgeError):
        validate_documents(documents)


def test_it_rejects_a_combination_of_an_unknown_drug(documents):
    """Every ingredient of a combination product is itself a listed drug."""
    documents["medicines.json"]["combinations"][0]["components"] = ["budesonide", "unobtainium"]
    with pytest.raises(KnowledgeError, match="unknown drug 'unobtainium'"):
        validate_documents(documents)


def test_it_rejects_a_missing_illustration(documents):
    """The relief guide may only point at SVG files that exist."""
    documents["relief.json"]["muscles"][0]["illustration"] = "nowhere.svg"
    with pytest.raises(KnowledgeError, match="missing illustration 'nowhere.svg'"):
        validate_documents(documents)


def test_the_remedies_the_trial_wizard_needs_have_stable_ids():
    """The ids named in the design are present."""
    ids = set(load_remedies())
    for remedy_id in (
        "stretching",
        "magnesium",
        "fluids",
        "supportive_shoes",
        "evening_walk",
        "medicine_change",
    ):
        assert remedy_id in ids


def test_trialable_remedies_give_period_washout_and_prescriber_fields():
    """The trial wizard reads four fields; they agree with each other."""
    for remedy in trialable_remedies():
        assert remedy.default_period_nights >= 1
        assert 0 <= remedy.washout_nights < remedy.default_period_nights
        assert isinstance(remedy.needs_prescriber_agreement, bool)
        assert remedy.trial_kind in {"stretching", "fluids", "behaviour", "supplement", "medicine"}


def test_get_remedy_raises_for_an_unknown_id():
    """Asking for a remedy that does not exist is an error, not None."""
    with pytest.raises(KeyError):
        get_remedy("unicorn_tears")


def test_sources_say_how_sure_they_are():
    """Every source is marked verified, secondary or a bare citation, and says what it backs."""
    for source in load_sources().values():
        assert source.status in {"verified", "secondary", "citation_only"}
        assert source.used_for
