"""What read_bundle takes, what it leaves out and why, and other apps' observations."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

import pytest

from crampwise.diary.core import limits
from crampwise.diary.core.records import EpisodeRecord, NightRecord
from crampwise.interop import FhirImportError, build_bundle, read_bundle
from tests.interop.fhir_samples import GENERATED_AT, rich_diary

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"


@pytest.fixture(scope="module")
def bundle() -> dict:
    return build_bundle(rich_diary(), generated_at=GENERATED_AT)


def bundle_of(*resources: dict, bundle_type: str = "collection") -> dict:
    return {
        "resourceType": "Bundle",
        "type": bundle_type,
        "entry": [
            {"fullUrl": f"urn:uuid:00000000-0000-5000-8000-{i:012d}", "resource": r}
            for i, r in enumerate(resources)
        ],
    }


def other_apps_cramp(start: str, **extra) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": SNOMED, "code": "55300003"}]},
        "effectivePeriod": {"start": start, **extra.pop("period", {})},
        **extra,
    }


def other_apps_pain(when: str, score: int, **extra) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "72514-3"}]},
        "effectiveDateTime": when,
        "valueInteger": score,
        **extra,
    }


# Bad input ------------------------------------------------------------------------------------


def test_text_that_is_not_json_is_refused_clearly():
    """A CSV handed to the FHIR import says it is not JSON."""
    with pytest.raises(FhirImportError, match="not JSON"):
        read_bundle("night,cramps\n2025-11-20,0\n")


def test_json_that_is_not_an_object_is_refused():
    """A JSON list is not a Bundle."""
    with pytest.raises(FhirImportError, match="got a JSON list"):
        read_bundle("[1, 2]")


def test_a_single_resource_is_refused_with_its_type():
    """An Observation on its own is named in the error, so the person knows what they gave."""
    with pytest.raises(
        FhirImportError, match="Expected a FHIR Bundle, but this is a single Observation"
    ):
        read_bundle({"resourceType": "Observation", "status": "final"})


def test_a_json_object_without_a_resource_type_is_refused():
    """Some other JSON document is not mistaken for FHIR."""
    with pytest.raises(FhirImportError, match="no resourceType"):
        read_bundle('{"nights": []}')


def test_entries_that_are_not_a_list_are_refused():
    """Bundle.entry must be a list."""
    with pytest.raises(FhirImportError, match="list"):
        read_bundle({"resourceType": "Bundle", "type": "collection", "entry": {"resource": {}}})


def test_json_text_and_bytes_read_like_the_parsed_bundle(bundle):
    """The same bundle as dict, str and bytes gives the same records."""
    as_dict = read_bundle(bundle)
    assert read_bundle(json.dumps(bundle)) == as_dict
    assert read_bundle(json.dumps(bundle).encode()) == as_dict


def test_an_unknown_time_zone_argument_is_refused():
    """The zone given by the caller must exist."""
    with pytest.raises(FhirImportError, match="Unknown time zone"):
        read_bundle(bundle_of(), time_zone="Nowhere/Special")


# Skipped entries ------------------------------------------------------------------------------


def test_our_own_bundle_imports_with_nothing_skipped(bundle):
    """Patient, Condition, Questionnaire and every record are understood."""
    result = read_bundle(bundle)
    assert result.skipped == []
    assert (result.username, result.birth_year, result.sex, result.time_zone) == (
        "alice@example.org",
        1954,
        "female",
        "America/New_York",
    )


def test_a_transaction_bundle_reads_like_the_collection(bundle):
    """The requests of a transaction change nothing about the records."""
    transaction = build_bundle(rich_diary(), "transaction", generated_at=GENERATED_AT)
    assert read_bundle(transaction) == read_bundle(bundle)


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (
            {"resourceType": "AllergyIntolerance", "patient": {}},
            "AllergyIntolerance is not something crampwise imports",
        ),
        (
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [{"system": LOINC, "code": "8867-4"}]},
            },
            "Observation code not understood: http://loinc.org|8867-4",
        ),
        (
            {"resourceType": "Observation", "status": "final", "code": {"text": "mood"}},
            "Observation code not understood: mood",
        ),
        (
            {
                "resourceType": "Condition",
                "code": {
                    "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I10"}]
                },
            },
            "only the sleep-related leg cramps Condition",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": "http://example.org/Questionnaire/phq9",
            },
            "answers to a questionnaire crampwise does not know",
        ),
        (
            {"resourceType": "Questionnaire", "status": "active", "url": "http://example.org/q"},
            "questionnaire crampwise does not know",
        ),
        (
            {
                "resourceType": "MedicationStatement",
                "status": "active",
                "medicationReference": {"reference": "Medication/1"},
                "subject": {},
            },
            "medicine given as a reference",
        ),
        (
            {
                "resourceType": "MedicationStatement",
                "status": "not-taken",
                "medicationCodeableConcept": {"text": "Quinine"},
                "subject": {},
            },
            "not taken",
        ),
        (other_apps_cramp("2025-11-20T03:00:00Z", status="entered-in-error"), "entered-in-error"),
        (other_apps_cramp("2025-11-20T03:00:00"), "has no time zone"),
        (other_apps_cramp("2025-11-20"), "is not a date and time"),
        (
            other_apps_pain("2025-11-20T03:00:00Z", 3, bodySite={"text": "Lower back"}),
            "somewhere other than the legs",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else v.get("resourceType"),
)
def test_entries_crampwise_cannot_take_are_skipped_with_a_reason(resource, reason):
    """Each skipped entry says where it was, what it was and why it was left out."""
    result = read_bundle(bundle_of(resource))
    assert len(result.skipped) == 1
    skipped = result.skipped[0]
    assert skipped.index == 0
    assert skipped.resource_type == resource["resourceType"]
    assert reason in skipped.reason
    assert skipped.identifier == "urn:uuid:00000000-0000-5000-8000-000000000000"
    assert result.nights == [] and result.episodes == [] and result.medicines == []


def test_a_value_the_diary_cannot_hold_is_read_as_written_for_the_limits_to_refuse(bundle):
    """The reader does not judge a diary answer's bounds: the import checks every record against the
    diary's one set of limits and refuses the whole file in their words (tests/test_input_rules.py)."""
    broken = copy.deepcopy(bundle)
    broken["entry"][2]["resource"]["valueQuantity"]["value"] = -1
    result = read_bundle(broken)
    assert result.skipped == []
    assert {n.night: n.cramps for n in result.nights}[date(2025, 11, 20)] == -1
    problems = limits.import_problems(
        window=limits.date_window(date(2026, 1, 1)),
        medicine_window=limits.date_window(date(2026, 1, 1)),
        kinds={f.name: f.kind for f in result.factor_specs},
        nights=result.nights,
    )
    assert problems == ["2025-11-20, cramps: Write a whole number from 0 to 200."]


@pytest.mark.parametrize(
    ("component", "field", "value"),
    [
        (
            {
                "code": {"coding": [{"system": LOINC, "code": "72514-3"}]},
                "valueQuantity": {"value": 11},
            },
            "worst_pain",
            11,
        ),
        (
            {
                "code": {
                    "coding": [
                        {
                            "system": "https://crampwise.example/fhir/CodeSystem/crampwise",
                            "code": "sleep-quality",
                        }
                    ]
                },
                "valueQuantity": {"value": 6},
            },
            "sleep_quality",
            6,
        ),
    ],
)
def test_out_of_range_answers_reach_the_limits_unchanged(bundle, component, field, value):
    broken = copy.deepcopy(bundle)
    broken["entry"][2]["resource"]["component"] = [component]
    result = read_bundle(broken)
    night = next(n for n in result.nights if n.night == date(2025, 11, 20))
    assert result.skipped == [] and getattr(night, field) == value


def test_another_apps_pain_score_out_of_range_reaches_the_limits_unchanged():
    result = read_bundle(bundle_of(other_apps_pain("2025-11-20T03:00:00Z", 14)))
    # Another app's pain score is the night's worst pain.
    assert result.skipped == [] and [n.worst_pain for n in result.nights] == [14]


@pytest.mark.parametrize(
    ("component", "reason"),
    [
        (
            {
                "code": {"coding": [{"system": LOINC, "code": "72514-3"}]},
                "valueQuantity": {"value": 4.5},
            },
            "not a whole number",
        ),
        (
            {"code": {"coding": [{"system": LOINC, "code": "72514-3"}]}, "valueString": "bad"},
            "no numeric value",
        ),
        (
            {
                "code": {
                    "coding": [
                        {
                            "system": "https://crampwise.example/fhir/CodeSystem/crampwise",
                            "code": "minutes-awake",
                        }
                    ]
                },
                "valueQuantity": {"value": 1, "code": "wk"},
            },
            "unit 'wk' not understood",
        ),
        (
            {
                "code": {
                    "coding": [
                        {
                            "system": "https://crampwise.example/fhir/CodeSystem/crampwise",
                            "code": "factor-stretched",
                        }
                    ]
                },
                "valueBoolean": "yes",
            },
            "is not yes or no",
        ),
    ],
)
def test_bad_component_values_skip_the_night_with_a_reason(bundle, component, reason):
    """Fractional, wrongly typed or in an unknown unit: the night is not guessed at."""
    broken = copy.deepcopy(bundle)
    broken["entry"][2]["resource"]["component"] = [component]
    result = read_bundle(broken)
    assert len(result.skipped) == 1 and reason in result.skipped[0].reason


def test_a_second_copy_of_the_same_record_is_skipped(bundle):
    """The same identifier twice (e.g. two exports merged by hand) imports once."""
    doubled = copy.deepcopy(bundle)
    doubled["entry"].append(copy.deepcopy(bundle["entry"][3]))
    result = read_bundle(doubled)
    assert len(result.nights) == len(read_bundle(bundle).nights)
    assert result.skipped[-1].reason.startswith("a second copy of urn:crampwise:night:")


def test_a_second_patient_is_skipped():
    """One bundle, one person: another Patient is not merged in."""
    result = read_bundle(
        bundle_of(
            {"resourceType": "Patient", "gender": "male"},
            {"resourceType": "Patient", "gender": "female"},
        )
    )
    assert result.sex == "male"
    assert [s.reason for s in result.skipped] == ["a second Patient; only the first one is read"]


def test_a_delete_request_is_not_a_record():
    """Transaction entries that delete are skipped."""
    bundle = bundle_of(other_apps_cramp("2025-11-20T03:00:00Z"), bundle_type="transaction")
    bundle["entry"][0]["request"] = {"method": "DELETE", "url": "Observation/1"}
    assert read_bundle(bundle).skipped[0].reason == "a delete request, not a record"


def test_an_entry_without_a_resource_is_skipped():
    """An entry holding only a fullUrl is reported."""
    result = read_bundle(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": "urn:uuid:x"}, "junk"],
        }
    )
    assert [(s.index, s.reason) for s in result.skipped] == [
        (0, "entry without a resource"),
        (1, "entry without a resource"),
    ]


def test_flags_without_their_assessment_are_skipped(bundle):
    """Assessment flags are read only next to the answers they came from."""
    flags_only = copy.deepcopy(bundle)
    flags_only["entry"] = [
        e for e in flags_only["entry"] if e["resource"]["resourceType"] != "QuestionnaireResponse"
    ]
    result = read_bundle(flags_only)
    assert result.assessments == []
    assert {s.reason for s in result.skipped} == {"assessment flags without their assessment"}


# Other apps -----------------------------------------------------------------------------------


def test_another_apps_cramp_lands_in_the_night_by_the_day_boundary():
    """Without our night extension, 02:00 local on the 21st belongs to the night of the 20th."""
    result = read_bundle(
        bundle_of(other_apps_cramp("2025-11-21T07:00:00Z", period={"end": "2025-11-21T07:02:00Z"})),
        time_zone="America/New_York",
    )
    assert result.episodes == [
        EpisodeRecord(
            night=date(2025, 11, 20),
            started_at=datetime(2025, 11, 21, 7, 0, tzinfo=UTC),
            local_hour=2,
            duration_seconds=120,
        )
    ]


def test_another_apps_body_site_is_read_from_its_words():
    """'Right calf' without codes still gives the muscle and the side."""
    cramp = other_apps_cramp("2025-11-21T03:00:00+01:00", bodySite={"text": "Right calf"})
    (episode,) = read_bundle(bundle_of(cramp)).episodes
    assert (episode.muscle, episode.side) == ("calf", "right")


def test_a_body_site_coded_in_snomed_is_read_by_its_code():
    """A foot structure code with no text is the foot."""
    cramp = other_apps_cramp(
        "2025-11-21T03:00:00Z", bodySite={"coding": [{"system": SNOMED, "code": "56459004"}]}
    )
    (episode,) = read_bundle(bundle_of(cramp)).episodes
    assert (episode.muscle, episode.side) == ("foot", None)


def test_another_apps_effective_date_time_cramp_is_read():
    """effectiveDateTime instead of a period is a start without a duration."""
    cramp = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": SNOMED, "code": "55300003"}]},
        "effectiveDateTime": "2025-11-21T03:00:00Z",
    }
    (episode,) = read_bundle(bundle_of(cramp)).episodes
    assert episode.duration_seconds is None and episode.night == date(2025, 11, 20)


def test_pain_scores_from_another_app_become_the_nights_worst_pain_and_never_a_count():
    """The highest score of the night is kept; the cramp count stays missing, not zero."""
    result = read_bundle(
        bundle_of(
            other_apps_pain("2025-11-21T02:00:00Z", 5),
            other_apps_pain("2025-11-21T04:00:00Z", 8),
            other_apps_pain("2025-11-22", 3),
        )
    )
    assert result.nights == [
        NightRecord(night=date(2025, 11, 20), cramps=None, worst_pain=8),
        NightRecord(night=date(2025, 11, 22), cramps=None, worst_pain=3),
    ]


def test_a_higher_pain_score_from_another_app_raises_our_nights_worst_pain(bundle):
    """Merged with our own night of 21 Nov (worst 7), a 9 from elsewhere wins; a 2 does not."""
    merged = copy.deepcopy(bundle)
    merged["entry"] += bundle_of(
        other_apps_pain("2025-11-22T06:00:00-05:00", 9), other_apps_pain("2025-11-20", 2)
    )["entry"]
    nights = {n.night: n for n in read_bundle(merged).nights}
    assert nights[date(2025, 11, 21)].worst_pain == 9 and nights[date(2025, 11, 21)].cramps == 2
    assert nights[date(2025, 11, 20)].worst_pain == 2  # that night had no pain answer


def test_another_apps_medicine_for_cramps_is_recognised_by_its_reason():
    """A MedicationStatement with reason 'Muscle cramp' is a cramp medicine taken on schedule."""
    statement = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "medicationCodeableConcept": {
            "coding": [
                {
                    "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                    "code": "6585",
                    "display": "Magnesium",
                }
            ]
        },
        "subject": {"reference": "Patient/1"},
        "effectiveDateTime": "2025-10-01",
        "reasonCode": [{"coding": [{"system": SNOMED, "code": "55300003"}]}],
    }
    (medicine,) = read_bundle(bundle_of(statement)).medicines
    assert (medicine.name, medicine.started, medicine.purpose) == (
        "Magnesium",
        date(2025, 10, 1),
        "cramps_preventive",
    )


def test_the_time_zone_argument_overrides_the_patients(bundle):
    """Our own episodes keep their night (from the extension) but local hours follow the zone given."""
    result = read_bundle(bundle, time_zone="UTC")
    first = result.episodes[0]
    assert (first.night, first.local_hour, result.time_zone) == (date(2025, 11, 21), 7, "UTC")


def test_an_unknown_time_zone_on_the_patient_falls_back_to_utc_and_says_so():
    """Other apps' cramps are then placed in UTC nights, and the skipped list tells why."""
    patient = {
        "resourceType": "Patient",
        "extension": [
            {
                "url": "https://crampwise.example/fhir/StructureDefinition/time-zone",
                "valueCode": "Moon/Base",
            }
        ],
    }
    result = read_bundle(bundle_of(patient, other_apps_cramp("2025-11-21T03:00:00Z")))
    assert result.time_zone == "UTC"
    assert [(s.index, s.resource_type) for s in result.skipped] == [(0, "Patient")]
    assert "Moon/Base" in result.skipped[0].reason
    assert result.episodes[0].night == date(2025, 11, 20)
