"""What build_bundle writes: codes, units, identifiers, references and the transaction format."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest

from crampwise.diary.core.records import EpisodeRecord, MedicineRecord, NightRecord
from crampwise.interop import PatientData, build_bundle
from crampwise.interop.core import codes as fhir_codes
from crampwise.interop.core.codes import (
    CRAMPWISE,
    EXT_LATERALITY,
    EXT_NIGHT,
    ICD10CM,
    LOINC,
    SNOMED,
    UCUM,
)
from tests.interop.fhir_samples import (
    GENERATED_AT,
    empty_diary,
    entries_of,
    observations_coded,
    rich_diary,
)

UUID_URL = re.compile(
    r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


@pytest.fixture(scope="module")
def bundle() -> dict:
    return build_bundle(rich_diary(), generated_at=GENERATED_AT)


def night_observations(bundle: dict) -> list[dict]:
    return observations_coded(bundle, CRAMPWISE, "cramps-per-night")


def component(resource: dict, system: str, code: str) -> dict:
    found = [
        c
        for c in resource.get("component", [])
        if any(x["system"] == system and x["code"] == code for x in c["code"]["coding"])
    ]
    assert len(found) == 1, f"expected one {system}|{code} component, found {len(found)}"
    return found[0]


def test_it_exports_the_same_bytes_for_the_same_diary():
    """Two exports of the same data at the same time are identical, so exports are reproducible."""
    first = json.dumps(build_bundle(rich_diary(), generated_at=GENERATED_AT), sort_keys=True)
    second = json.dumps(build_bundle(rich_diary(), generated_at=GENERATED_AT), sort_keys=True)
    assert first == second


def test_a_record_keeps_its_uuid_when_its_values_change():
    """UUIDs derive from a record's identity (who, which night), not from its values."""
    diary = rich_diary()
    edited = dataclasses.replace(
        diary,
        nights=tuple(
            dataclasses.replace(n, cramps=5) if n.cramps == 2 else n for n in diary.nights
        ),
    )
    urls = [e["fullUrl"] for e in build_bundle(diary, generated_at=GENERATED_AT)["entry"]]
    edited_urls = [e["fullUrl"] for e in build_bundle(edited, generated_at=GENERATED_AT)["entry"]]
    assert urls == edited_urls


def test_every_entry_has_a_uuid_full_url_and_a_crampwise_identifier(bundle):
    """fullUrls are urn:uuid (version 5) and every resource carries its urn:crampwise: identifier."""
    for entry in bundle["entry"]:
        assert UUID_URL.match(entry["fullUrl"]), entry["fullUrl"]
        resource = entry["resource"]
        assert resource["id"] == entry["fullUrl"].removeprefix("urn:uuid:")
        idents = resource["identifier"]
        idents = idents if isinstance(idents, list) else [idents]
        assert idents[0]["system"] == "urn:ietf:rfc:3986"
        assert idents[0]["value"].startswith("urn:crampwise:")


def test_identifiers_name_the_owner_and_the_night(bundle):
    """A night's identifier is urn:crampwise:night:<username>:<date>, the username percent-encoded."""
    values = [n["identifier"][0]["value"] for n in night_observations(bundle)]
    assert "urn:crampwise:night:alice%40example.org:2025-11-21" in values
    assert unquote(values[0].split(":")[3]) == "alice@example.org"


def test_every_reference_points_inside_the_bundle(bundle):
    """References use the urn:uuid fullUrls of other entries."""
    urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    refs = re.findall(r'"reference": "([^"]+)"', text)
    assert refs and set(refs) <= urls


def test_the_bundle_starts_with_the_patient_and_the_condition(bundle):
    """Patient first (with birth year, gender and zone), then G47.62 as an unconfirmed Condition."""
    patient, condition = (e["resource"] for e in bundle["entry"][:2])
    assert patient["resourceType"] == "Patient"
    assert patient["birthDate"] == "1954" and patient["gender"] == "female"
    condition_code = condition["code"]["coding"]
    assert condition_code == [
        {"system": ICD10CM, "code": "G47.62", "display": "Sleep related leg cramps"}
    ]
    assert condition["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    assert not any(c["system"] == SNOMED for c in condition_code), "no verified SNOMED code exists"


def test_a_zero_night_is_exported_and_a_missing_night_is_not(bundle):
    """Zero is data and missing is not: 20 Nov (0) is there, 22 Nov (nothing) is absent."""
    by_date = {n["effectiveDateTime"]: n for n in night_observations(bundle)}
    assert by_date["2025-11-20"]["valueQuantity"] == {
        "value": 0,
        "unit": "cramps",
        "system": UCUM,
        "code": "{#}",
    }
    assert "2025-11-22" not in by_date
    assert sorted(by_date) == ["2025-11-20", "2025-11-21", "2025-11-23", "2025-11-24"]


def test_a_night_with_answers_but_no_count_says_the_count_is_unknown(bundle):
    """Such a night has a dataAbsentReason instead of a value, so it can never read as zero."""
    night = next(n for n in night_observations(bundle) if n["effectiveDateTime"] == "2025-11-23")
    assert "valueQuantity" not in night
    assert night["dataAbsentReason"]["coding"][0]["code"] == "unknown"


def test_a_night_carries_its_answers_as_components(bundle):
    """Worst pain is LOINC 72514-3 in {score}; the rest use crampwise codes and UCUM units."""
    night = next(n for n in night_observations(bundle) if n["effectiveDateTime"] == "2025-11-21")
    assert night["code"]["coding"][0] == {
        "system": CRAMPWISE,
        "code": "cramps-per-night",
        "display": "Leg cramps in one night",
    }
    assert night["category"][0]["coding"][0]["code"] == "survey"
    pain = component(night, LOINC, "72514-3")["valueQuantity"]
    assert pain == {"value": 7, "unit": "score", "system": UCUM, "code": "{score}"}
    assert component(night, CRAMPWISE, "minutes-awake")["valueQuantity"]["code"] == "min"
    assert component(night, CRAMPWISE, "sleep-quality")["valueQuantity"]["value"] == 2
    assert component(night, CRAMPWISE, "soreness")["valueQuantity"]["value"] == 2
    assert component(night, CRAMPWISE, "medicine-taken")["valueString"] == "Magnesium citrate"
    assert night["note"] == [{"text": "Woke twice.\nLeft calf both times."}]


def test_yes_no_factors_are_booleans_and_number_factors_are_quantities(bundle):
    """stretched -> valueBoolean; alcohol_units -> Quantity; an unrecorded factor is left out."""
    night = next(n for n in night_observations(bundle) if n["effectiveDateTime"] == "2025-11-21")
    assert component(night, CRAMPWISE, "factor-stretched")["valueBoolean"] is False
    assert component(night, CRAMPWISE, "factor-alcohol_units")["valueQuantity"]["value"] == 2.5
    massage = component(night, CRAMPWISE, "factor-leg%20massage")
    assert massage["valueBoolean"] is True and massage["code"]["text"] == "Leg massage"
    codes = {c["code"]["coding"][0]["code"] for c in night["component"]}
    assert "factor-tonic%20water" not in codes


def test_built_in_number_factors_have_ucum_units(bundle):
    """Hours on feet are h and exercise is min."""
    night = next(n for n in night_observations(bundle) if n["effectiveDateTime"] == "2025-11-24")
    assert component(night, CRAMPWISE, "factor-hours_on_feet")["valueQuantity"]["code"] == "h"
    assert component(night, CRAMPWISE, "factor-exercise_minutes")["valueQuantity"]["code"] == "min"


def test_a_night_lists_its_episodes_as_members(bundle):
    """hasMember links the night to the cramps logged in it."""
    night = next(n for n in night_observations(bundle) if n["effectiveDateTime"] == "2025-11-21")
    episode_urls = {
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"].get("extension", [{}])[0].get("valueDate") == "2025-11-21"
    }
    assert {m["reference"] for m in night["hasMember"]} == episode_urls
    assert len(episode_urls) == 2


def test_an_episode_is_a_snomed_muscle_cramp_in_local_time(bundle):
    """SNOMED 55300003, start and end in the person's zone, the night as an extension."""
    episode = observations_coded(bundle, SNOMED, "55300003")[0]
    assert episode["effectivePeriod"] == {
        "start": "2025-11-22T02:10:00-05:00",
        "end": "2025-11-22T02:11:35-05:00",
    }
    assert episode["extension"] == [{"url": EXT_NIGHT, "valueDate": "2025-11-21"}]
    duration = component(episode, CRAMPWISE, "cramp-duration")["valueQuantity"]
    assert duration == {"value": 1.5833, "unit": "min", "system": UCUM, "code": "min"}
    assert component(episode, LOINC, "72514-3")["valueQuantity"]["value"] == 7
    assert component(episode, CRAMPWISE, "relief-stretch")["valueBoolean"] is True
    assert component(episode, CRAMPWISE, "relief-stand_walk")["valueBoolean"] is True


def test_an_unfinished_episode_has_a_start_and_no_end(bundle):
    """A cramp without a known duration has no end and no duration component."""
    episode = observations_coded(bundle, SNOMED, "55300003")[1]
    assert episode["effectivePeriod"] == {"start": "2025-11-22T04:00:00-05:00"}
    assert all(
        c["code"]["coding"][0]["code"] != "cramp-duration" for c in episode.get("component", [])
    )


@pytest.mark.parametrize(
    ("index", "code", "side_code", "text"),
    [
        (0, "53840002", "7771000", "Left calf"),
        (2, "29707007", None, "Toes"),
        (3, "128511007", "24028007", "Right hamstring"),
        (4, "56459004", "24028007", "Right foot"),
        (5, "68367000", "7771000", "Left thigh"),
    ],
)
def test_the_body_site_has_a_snomed_structure_a_laterality_and_words(
    bundle, index, code, side_code, text
):
    """Muscles map to verified SNOMED CT body structures; the side is a SNOMED qualifier."""
    site = observations_coded(bundle, SNOMED, "55300003")[index]["bodySite"]
    assert site["coding"][0]["system"] == SNOMED and site["coding"][0]["code"] == code
    assert site["text"] == text
    if side_code is None:
        assert "extension" not in site
    else:
        assert site["extension"][0]["url"] == EXT_LATERALITY
        assert site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == side_code


def test_a_side_without_a_muscle_is_words_and_a_qualifier_only(bundle):
    """'Both legs' has the bilateral qualifier and no body structure code."""
    site = observations_coded(bundle, SNOMED, "55300003")[1]["bodySite"]
    assert "coding" not in site and site["text"] == "Both legs"
    assert site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "51440002"


def test_medicines_for_cramps_give_g47_62_as_their_reason(bundle):
    """Cramp medicines have reasonCode G47.62 and point to the Condition; others have no reason."""
    statements = {
        s["medicationCodeableConcept"]["text"]: s for s in entries_of(bundle, "MedicationStatement")
    }
    magnesium = statements["Magnesium citrate"]
    assert magnesium["reasonCode"][0]["coding"][0]["code"] == "G47.62"
    assert magnesium["reasonReference"][0]["reference"] == bundle["entry"][1]["fullUrl"]
    assert magnesium["dosage"] == [{"text": "300 mg at night", "asNeededBoolean": False}]
    assert (
        magnesium["effectivePeriod"] == {"start": "2025-11-01"} and magnesium["status"] == "active"
    )
    assert "reasonCode" not in statements["Atorvastatin"]
    ibuprofen = statements["Ibuprofen"]
    assert ibuprofen["dosage"] == [{"asNeededBoolean": True}] and ibuprofen["status"] == "completed"


def test_each_assessment_is_a_response_to_the_crampwise_questionnaire(bundle):
    """The Questionnaire's linkIds are the assessment's keys; symptoms sit in a group."""
    (questionnaire,) = entries_of(bundle, "Questionnaire")
    links = [i["linkId"] for i in questionnaire["item"]]
    assert links == ["age", "sex", "pregnant", "conditions", "medications", "symptoms"]
    symptoms = questionnaire["item"][-1]
    assert [i["linkId"] for i in symptoms["item"]] == [
        "symptoms.sudden_painful_tightening",
        "symptoms.occurs_in_bed",
        "symptoms.urge_to_move",
        "symptoms.one_leg_swollen_warm_or_red",
    ]
    assert symptoms["item"][0] == {
        "linkId": "symptoms.sudden_painful_tightening",
        "text": "Sudden painful tightening",
        "type": "boolean",
    }
    responses = entries_of(bundle, "QuestionnaireResponse")
    assert len(responses) == 2
    assert responses[0]["questionnaire"] == questionnaire["url"] + "|1"
    assert responses[0]["authored"] == "2025-11-19T18:30:00+00:00"


def test_flat_symptom_keys_become_the_same_group(bundle):
    """`symptoms.occurs_in_bed` as a flat key lands in the symptoms group like the nested form."""
    second = entries_of(bundle, "QuestionnaireResponse")[1]
    group = next(i for i in second["item"] if i["linkId"] == "symptoms")
    assert group["item"] == [
        {
            "linkId": "symptoms.occurs_in_bed",
            "text": "Occurs in bed",
            "answer": [{"valueBoolean": True}],
        }
    ]


def test_assessment_flags_are_an_observation_derived_from_the_response(bundle):
    """One component per flag: id as the code, message as its text, severity as the value."""
    flags = observations_coded(bundle, CRAMPWISE, "assessment-flags")
    assert [f["valueInteger"] for f in flags] == [3, 0]
    response_url = next(
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert flags[0]["derivedFrom"] == [{"reference": response_url}]
    medicine, criteria, age = flags[0]["component"]
    assert medicine["code"]["coding"][0]["code"] == "medicine_associated_with_cramps"
    assert medicine["code"]["text"].startswith("Furosemide is a water tablet")
    assert medicine["valueString"] == "routine"
    assert criteria["valueString"] == "info"
    assert age == {
        "code": {"coding": [{"system": fhir_codes.ASSESSMENT_FLAG, "code": "risk_factor_age"}]},
        "valueBoolean": True,
    }


def test_a_trial_result_is_a_rate_ratio_with_its_interval_and_probabilities(bundle):
    """Median as valueQuantity (UCUM 1); the 95% interval, probabilities and threshold as components."""
    (trial,) = observations_coded(bundle, CRAMPWISE, "trial-rate-ratio")
    assert trial["valueQuantity"] == {"value": 0.71, "unit": "ratio", "system": UCUM, "code": "1"}
    assert trial["effectivePeriod"] == {"start": "2025-09-01", "end": "2025-10-12"}
    assert (
        component(trial, CRAMPWISE, "trial-rate-ratio-ci95-low")["valueQuantity"]["value"] == 0.52
    )
    assert (
        component(trial, CRAMPWISE, "trial-rate-ratio-ci95-high")["valueQuantity"]["value"] == 0.97
    )
    assert component(trial, CRAMPWISE, "trial-p-reduction")["valueQuantity"]["value"] == 0.98
    assert component(trial, CRAMPWISE, "trial-p-meaningful")["valueQuantity"]["value"] == 0.82
    assert component(trial, CRAMPWISE, "trial-meaningful-ratio")["valueQuantity"]["value"] == 0.8
    assert (
        component(trial, CRAMPWISE, "trial-remedy")["valueString"] == "Calf stretching before bed"
    )


def test_flat_rate_ratio_keys_are_accepted_too():
    """`rate_ratio_median` and `rate_ratio_ci95` give the same Observation as the nested form."""
    diary = rich_diary()
    nested = diary.trial_results[0]
    flat = {k: v for k, v in nested.items() if k != "rate_ratio"}
    flat["rate_ratio_median"] = nested["rate_ratio"]["median"]
    flat["rate_ratio_ci95"] = tuple(nested["rate_ratio"]["ci95"])
    a = build_bundle(diary, generated_at=GENERATED_AT)
    b = build_bundle(dataclasses.replace(diary, trial_results=(flat,)), generated_at=GENERATED_AT)
    assert a == b


def test_a_collection_has_no_requests_and_a_transaction_has_one_per_entry():
    """Transaction entries POST with a conditional create on the identifier, and carry no id."""
    collection = build_bundle(rich_diary(), "collection", generated_at=GENERATED_AT)
    transaction = build_bundle(rich_diary(), "transaction", generated_at=GENERATED_AT)
    assert collection["type"] == "collection" and transaction["type"] == "transaction"
    assert all("request" not in e for e in collection["entry"])
    for entry in transaction["entry"]:
        resource = entry["resource"]
        ident = resource["identifier"]
        value = (ident if isinstance(ident, dict) else ident[0])["value"]
        assert "id" not in resource
        assert entry["request"]["method"] == "POST"
        assert entry["request"]["url"] == resource["resourceType"]
        assert unquote(entry["request"]["ifNoneExist"]) == f"identifier=urn:ietf:rfc:3986|{value}"
    assert [e["fullUrl"] for e in collection["entry"]] == [
        e["fullUrl"] for e in transaction["entry"]
    ]


def test_an_empty_diary_exports_the_patient_and_the_condition_only():
    """Nothing recorded yet still makes a valid bundle: who, and what for."""
    bundle = build_bundle(empty_diary(), generated_at=GENERATED_AT)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "Condition"]
    assert "gender" not in bundle["entry"][0]["resource"]


def test_text_with_whitespace_fhir_forbids_is_cleaned():
    """A no-break space becomes a space and control characters go; FHIR's string pattern demands it."""
    diary = PatientData(
        "carol", nights=(NightRecord(date(2025, 1, 1), 1, note="calf\u00a0cramp\x07 again\u2028"),)
    )
    night = night_observations(build_bundle(diary, generated_at=GENERATED_AT))[0]
    assert night["note"] == [{"text": "calf cramp again "}]


def test_two_cramps_logged_in_the_same_second_stay_two_records():
    """Same start, same owner: the second identifier gets :2 instead of clashing."""
    moment = datetime(2025, 1, 2, 3, 0, tzinfo=UTC)
    episodes = (
        EpisodeRecord(date(2025, 1, 1), moment, 3),
        EpisodeRecord(date(2025, 1, 1), moment, 3),
    )
    bundle = build_bundle(PatientData("dan", episodes=episodes), generated_at=GENERATED_AT)
    values = [o["identifier"][0]["value"] for o in observations_coded(bundle, SNOMED, "55300003")]
    assert values == [
        "urn:crampwise:episode:dan:20250102T030000Z",
        "urn:crampwise:episode:dan:20250102T030000Z:2",
    ]


def test_two_records_of_the_same_night_are_refused():
    """One source of truth: a diary with the same night twice is a bug to fix, not to export."""
    nights = (NightRecord(date(2025, 1, 1), 1), NightRecord(date(2025, 1, 1), 2))
    with pytest.raises(ValueError, match="night:erin:2025-01-01"):
        build_bundle(PatientData("erin", nights=nights), generated_at=GENERATED_AT)


def test_it_refuses_an_unknown_bundle_type():
    """Only collection and transaction are built."""
    with pytest.raises(ValueError, match="bundle_type"):
        build_bundle(empty_diary(), "batch", generated_at=GENERATED_AT)  # type: ignore[arg-type]


def test_it_refuses_a_time_without_a_zone():
    """generated_at must be aware: FHIR instants carry a zone."""
    with pytest.raises(ValueError, match="time zone"):
        build_bundle(empty_diary(), generated_at=datetime(2025, 1, 1, 8, 0))


def test_it_refuses_an_unknown_time_zone():
    """The person's zone must be an IANA name."""
    with pytest.raises(ValueError, match="Mars/Olympus"):
        build_bundle(PatientData("fay", time_zone="Mars/Olympus"), generated_at=GENERATED_AT)


def test_the_same_medicine_twice_stays_two_records():
    """A medicine listed twice with the same start gets a numbered identifier."""
    med = MedicineRecord("Magnesium", started=date(2025, 1, 1))
    bundle = build_bundle(PatientData("gus", medicines=(med, med)), generated_at=GENERATED_AT)
    assert len(entries_of(bundle, "MedicationStatement")) == 2


def test_a_stop_date_in_the_future_keeps_the_medicine_active():
    """Status is 'completed' only once the stop date has passed at export time."""
    med = MedicineRecord("Magnesium", stopped=date(2030, 1, 1))
    bundle = build_bundle(
        PatientData("hal", medicines=(med,)), generated_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    assert entries_of(bundle, "MedicationStatement")[0]["status"] == "active"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            EpisodeRecord(date(2025, 1, 1), datetime(2025, 1, 2, 3, tzinfo=UTC), 3, muscle="neck"),
            "unknown muscle 'neck'",
        ),
        (
            EpisodeRecord(date(2025, 1, 1), datetime(2025, 1, 2, 3, tzinfo=UTC), 3, side="up"),
            "unknown side 'up'",
        ),
        (
            EpisodeRecord(
                date(2025, 1, 1), datetime(2025, 1, 2, 3, tzinfo=UTC), 3, reliefs=("prayer",)
            ),
            "unknown reliefs",
        ),
        (MedicineRecord("Quinine", purpose="sleep"), "unknown purpose 'sleep'"),
    ],
)
def test_values_outside_the_diarys_lists_are_refused(record, message):
    """A value import could not read back is a bug to fix, not something to export quietly."""
    field = "episodes" if isinstance(record, EpisodeRecord) else "medicines"
    with pytest.raises(ValueError, match=message):
        build_bundle(PatientData("ivy", **{field: (record,)}), generated_at=GENERATED_AT)
