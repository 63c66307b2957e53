"""Every flag the assessment can raise, each with a case that raises it and one that does not."""

from __future__ import annotations

import jsonschema
import pytest

from crampwise.core.knowledge import evidence_version
from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.schema import FLAG_IDS, output_schema


def ids(result):
    return [flag["id"] for flag in result["flags"]]


def flag(result, flag_id):
    return next(f for f in result["flags"] if f["id"] == flag_id)


# (flag id, changes that raise it, changes that look close but must not raise it)
CASES = [
    (
        "meets_sleep_related_leg_cramp_criteria",
        {"symptoms": ["sudden_painful_tightening", "occurs_in_bed", "relieved_by_stretching"]},
        {"symptoms": ["sudden_painful_tightening", "occurs_in_bed"]},  # criterion C missing
    ),
    (
        "emergency_possible_pulmonary_embolism",
        {"symptoms": ["chest_pain_or_breathless"]},
        {"symptoms": ["one_leg_swollen_warm_or_red"]},
    ),
    (
        "urgent_possible_dvt",
        {"symptoms": ["one_leg_swollen_warm_or_red"]},
        {"symptoms": ["numbness_or_tingling"]},
    ),
    (
        "urgent_prolonged_cramp",
        {"symptoms": ["cramp_over_10_min_not_easing"]},
        {"symptoms": ["sudden_painful_tightening"]},
    ),
    (
        "urgent_statin_muscle_damage",
        {"medications": ["atorvastatin 20mg"], "symptoms": ["dark_urine"]},
        {"medications": ["bisoprolol"], "symptoms": ["dark_urine"]},
    ),
    (
        "urgent_possible_muscle_breakdown",
        {"symptoms": ["dark_urine"]},
        {"medications": ["atorvastatin"], "symptoms": ["dark_urine"]},  # the statin flag instead
    ),
    (
        "urgent_quinine_bleeding",
        {"medications": ["quinine sulfate 300mg"], "symptoms": ["unusual_bleeding_or_bruising"]},
        {"medications": ["quinine sulfate 300mg"]},
    ),
    (
        "urgent_tetanus_risk",
        {"symptoms": ["soil_contaminated_wound"]},
        {"symptoms": ["cramp_over_10_min_not_easing"]},
    ),
    (
        "consider_restless_legs",
        {"symptoms": ["urge_to_move", "relieved_by_movement"]},
        {"symptoms": ["urge_to_move"]},
    ),
    (
        "consider_claudication",
        {"symptoms": ["walking_pain_relieved_by_rest"]},
        {"symptoms": ["relieved_by_movement"]},
    ),
    ("consider_neuropathy", {"symptoms": ["numbness_or_tingling"]}, {"conditions": ["diabetes"]}),
    (
        "see_doctor_muscle_weakness",
        {"symptoms": ["muscle_weakness"]},
        {"medications": ["simvastatin"], "symptoms": ["muscle_weakness"]},  # urgent flag instead
    ),
    (
        "see_doctor_nerve_or_muscle_signs",
        {"symptoms": ["muscle_twitching"]},
        {"symptoms": ["muscle_weakness"]},  # weakness alone has its own flag
    ),
    ("review_quinine", {"medications": ["Qualaquin"]}, {"medications": ["diltiazem"]}),
    ("review_muscle_relaxant", {"medications": ["Norflex"]}, {"medications": ["naftidrofuryl"]}),
    ("risk_factor_age", {"age": 50}, {"age": 49}),
    ("risk_factor_sex", {"sex": "female"}, {"sex": "other"}),
    ("risk_factor_pregnancy", {"sex": "female", "pregnant": True}, {"sex": "female"}),
    ("risk_factor_condition", {"conditions": ["cirrhosis"]}, {"conditions": ["hypertension"]}),
    (
        "medicine_associated_with_cramps",
        {"medications": ["Lasix 40mg"]},
        {"medications": ["Tylenol"]},
    ),
]


def test_every_flag_id_has_a_positive_and_a_negative_case():
    """The cases below cover the documented list of flag ids exactly."""
    assert sorted(case[0] for case in CASES) == sorted(FLAG_IDS)


@pytest.mark.parametrize(("flag_id", "raise_it", "_"), CASES, ids=[c[0] for c in CASES])
def test_the_flag_is_raised_when_its_rule_holds(answers, flag_id, raise_it, _):
    """The positive case raises the flag, with a message and sources."""
    result = assess(answers(**raise_it))
    assert flag_id in ids(result)
    found = flag(result, flag_id)
    assert found["message"] and found["sources"]


@pytest.mark.parametrize(("flag_id", "_", "near_miss"), CASES, ids=[c[0] for c in CASES])
def test_the_flag_is_not_raised_by_a_near_miss(answers, flag_id, _, near_miss):
    """The negative case, one step away from the rule, does not raise the flag."""
    assert flag_id not in ids(assess(answers(**near_miss)))


def test_nothing_is_flagged_for_a_young_man_with_no_symptoms(answers):
    """No flags, no urgency, and a plan."""
    result = assess(answers())
    assert result["flags"] == [] and result["urgent"] is False and result["plan"] is not None


def test_dark_urine_or_weakness_on_a_statin_inside_a_combination_is_urgent(answers):
    """Caduet holds atorvastatin, so weakness on Caduet is an urgent statin flag."""
    result = assess(answers(medications=["Caduet 5/10"], symptoms=["muscle_weakness"]))
    assert "urgent_statin_muscle_damage" in ids(result)


def test_red_flags_come_first_sorted_by_severity(answers):
    """Emergency, then urgent, then routine, then information, whatever the input order."""
    result = assess(
        answers(
            age=70,
            medications=["Lasix"],
            symptoms=[
                "numbness_or_tingling",
                "one_leg_swollen_warm_or_red",
                "chest_pain_or_breathless",
                "sudden_painful_tightening",
                "occurs_in_bed",
                "relieved_by_stretching",
            ],
        )
    )
    severities = [f["severity"] for f in result["flags"]]
    assert severities == sorted(severities, key=["emergency", "urgent", "routine", "info"].index)
    assert ids(result)[:2] == ["emergency_possible_pulmonary_embolism", "urgent_possible_dvt"]
    assert result["urgent"] is True


def test_an_urgent_result_has_no_plan(answers):
    """No remedy advice sits under a red flag that needs help today."""
    result = assess(
        answers(
            symptoms=[
                "cramp_over_10_min_not_easing",
                "sudden_painful_tightening",
                "occurs_in_bed",
                "relieved_by_stretching",
            ]
        )
    )
    assert result["urgent"] is True
    assert result["plan"] is None


def test_a_routine_flag_still_comes_with_a_plan(answers):
    """ "See your doctor" findings do not hold back the plan."""
    result = assess(answers(symptoms=["numbness_or_tingling"]))
    assert result["urgent"] is False and result["plan"] is not None


def test_one_medicine_flag_per_linked_medicine_with_its_class_and_strength(answers):
    """Each linked medicine gets its own flag: the text as typed, class, ATC and strength."""
    result = assess(
        answers(
            medications=[
                "Lasix 40mg",
                "Symbicort inhaler",
                "Hydrochlorothiazide 12.5mg",
                "bisoprolol",
            ]
        )
    )
    medicine_flags = [f for f in result["flags"] if f["id"] == "medicine_associated_with_cramps"]
    assert [(f["medicine"], f["class"], f["atc"], f["strength"]) for f in medicine_flags] == [
        ("Lasix 40mg", "loop_diuretic", "C03CA01", "weak"),
        ("Symbicort inhaler", "laba_with_ics", "R03AK07", "strong"),
        ("Hydrochlorothiazide 12.5mg", "thiazide_diuretic", "C03AA03", "moderate"),
    ]


def test_negative_controls_raise_no_medicine_flag_and_are_not_unrecognised(answers):
    """Beta-blockers and inhaled anticholinergics are known and not linked; paracetamol is known
    but nobody we cite checked it, so it is "not_checked" rather than "no known link"."""
    result = assess(
        answers(
            medications=[
                "bisoprolol",
                "metoprolol",
                "Spiriva",
                "tiotropium",
                "paracetamol",
                "acetaminophen",
                "Tylenol",
            ]
        )
    )
    assert "medicine_associated_with_cramps" not in ids(result)
    assert result["unrecognised_medicines"] == []
    statuses = {m["text"]: m["status"] for m in result["medicines"]}
    assert {statuses[name] for name in ("bisoprolol", "metoprolol", "Spiriva", "tiotropium")} == {
        "no_known_link"
    }
    assert {statuses[name] for name in ("paracetamol", "acetaminophen", "Tylenol")} == {
        "not_checked"
    }


def test_unknown_medicines_are_listed_back_and_never_guessed(answers):
    """A name the base does not know is returned as not recognised."""
    result = assess(answers(medications=["Frobnix 10mg", "Lasix"]))
    assert result["unrecognised_medicines"] == ["Frobnix 10mg"]
    assert [
        f["medicine"] for f in result["flags"] if f["id"] == "medicine_associated_with_cramps"
    ] == ["Lasix"]


def test_a_misspelt_medicine_flag_says_what_it_was_read_as(answers):
    """ "atorvastatn" is flagged as atorvastatin, marked as a guess for the form to confirm."""
    found = flag(assess(answers(medications=["atorvastatn"])), "medicine_associated_with_cramps")
    assert found["fuzzy"] is True and found["read_as"] == ["atorvastatin"]


def test_a_diuretic_flag_mentions_that_studies_disagree(answers):
    """Diuretic links are contested (Abdulla 1999, Haskell and Fiebach); the flag says so."""
    found = flag(assess(answers(medications=["spironolactone"])), "medicine_associated_with_cramps")
    assert "Not all studies" in found["message"]
    assert "abdulla1999" in found["sources"]


def test_conditions_without_a_sourced_link_are_not_risk_factors(answers):
    """Hypertension, heart failure and kidney disease off dialysis raise no risk flag."""
    result = assess(answers(conditions=["hypertension", "heart_failure", "kidney_disease"]))
    assert "risk_factor_condition" not in ids(result)


def test_each_risk_condition_gets_its_own_flag(answers):
    """Two linked conditions give two flags, each naming its condition."""
    result = assess(answers(conditions=["dialysis", "parkinsons"]))
    assert [f["condition"] for f in result["flags"] if f["id"] == "risk_factor_condition"] == [
        "dialysis",
        "parkinsons",
    ]


def test_the_output_matches_its_schema_and_carries_the_evidence_version(answers):
    """The documented output schema holds for a busy case, and the version is the base's."""
    result = assess(
        answers(
            age=80,
            sex="female",
            conditions=["diabetes"],
            medications=["Lasix", "Frobnix"],
            symptoms=["numbness_or_tingling", "urge_to_move", "relieved_by_movement"],
        )
    )
    jsonschema.validate(result, output_schema())
    assert result["evidence_version"] == evidence_version()


def test_every_cited_key_in_the_output_is_in_its_bibliography(answers):
    """The result carries the citation text for each key it uses."""
    result = assess(
        answers(age=80, medications=["Lasix", "quinine"], symptoms=["numbness_or_tingling"])
    )
    cited = {key for f in result["flags"] for key in f["sources"]}
    cited |= {key for part in result["plan"].values() for item in part for key in item["sources"]}
    assert cited <= set(result["bibliography"])
