"""build_bundle then read_bundle gives back the same diary (DESIGN principle 5: import losslessly)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import (
    MEDICINE_PURPOSES,
    MUSCLES,
    RELIEFS,
    SIDES,
    EpisodeRecord,
    FactorSpec,
    MedicineRecord,
    NightRecord,
)
from crampwise.interop import PatientData, build_bundle, read_bundle, validate_bundle
from tests.interop.fhir_samples import GENERATED_AT, rich_diary

FIRST_NIGHT = date(2024, 1, 1)
ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Pacific/Chatham",
]
BUILTIN_KINDS = {f.name: f.kind for f in BUILTIN_FACTORS}

# Letters, digits, punctuation, symbols and emoji from any script, plus space and newline. FHIR
# forbids other whitespace and control characters; the exporter's cleaning of those is tested in
# test_fhir_export.py, so the round trip is stated over text FHIR can carry unchanged.
CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")) | st.sampled_from(
    [" ", "\n"]
)


def texts(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    return st.text(CHARS, min_size=min_size, max_size=max_size)


def factor_value(kind: str) -> st.SearchStrategy[float | None]:
    if kind == "yes_no":
        return st.sampled_from([0.0, 1.0, None])
    # Numbers as people write them in the nightly CSV: whole or with two decimals.
    return st.none() | st.integers(0, 100_000).map(lambda n: n / 100)


@st.composite
def custom_factors(draw) -> list[FactorSpec]:
    names = draw(
        st.lists(
            texts(max_size=15).filter(lambda n: n not in BUILTIN_KINDS), unique=True, max_size=4
        )
    )
    return [
        FactorSpec(name, draw(st.sampled_from(["yes_no", "count"])), draw(st.just("") | texts()))
        for name in names
    ]


@st.composite
def nights(draw, kinds: dict[str, str]) -> list[NightRecord]:
    days = draw(st.lists(st.integers(0, 500), unique=True, max_size=20))
    out = []
    for day in days:
        night = FIRST_NIGHT + timedelta(days=day)
        if draw(st.integers(0, 4)) == 0:
            out.append(NightRecord(night, None))  # a missing night
            continue
        names = draw(st.lists(st.sampled_from(sorted(kinds)), unique=True)) if kinds else []
        out.append(
            NightRecord(
                night=night,
                cramps=draw(st.none() | st.just(0) | st.integers(0, 20)),
                worst_pain=draw(st.none() | st.integers(0, 10)),
                minutes_awake=draw(st.none() | st.integers(0, 600)),
                sleep_quality=draw(st.none() | st.integers(1, 5)),
                soreness=draw(st.none() | st.integers(0, 3)),
                factors={name: draw(factor_value(kinds[name])) for name in names},
                medicines_taken=tuple(draw(st.lists(texts(), max_size=3))),
                note=draw(st.just("") | texts(max_size=60)),
            )
        )
    return out


@st.composite
def episodes(draw, tz: ZoneInfo) -> list[EpisodeRecord]:
    out = []
    for _ in range(draw(st.integers(0, 8))):
        night = FIRST_NIGHT + timedelta(days=draw(st.integers(0, 500)))
        # From 20:00 on the night's evening to 11:59:59 next morning, local time.
        offset = timedelta(
            minutes=draw(st.integers(20 * 60, 35 * 60 + 59)),
            seconds=draw(st.integers(0, 59)),
            microseconds=draw(st.sampled_from([0, 0, 250_000])),
        )
        local = (datetime.combine(night, time()) + offset).replace(tzinfo=tz)
        started = local.astimezone(UTC).astimezone(tz)  # a real instant even in a DST gap
        out.append(
            EpisodeRecord(
                night=night,
                started_at=started,
                local_hour=started.hour,
                duration_seconds=draw(st.none() | st.integers(0, 1800)),
                muscle=draw(st.none() | st.sampled_from(MUSCLES)),
                side=draw(st.none() | st.sampled_from(SIDES)),
                pain=draw(st.none() | st.integers(0, 10)),
                reliefs=tuple(draw(st.lists(st.sampled_from(RELIEFS), unique=True))),
            )
        )
    return out


@st.composite
def medicines(draw) -> list[MedicineRecord]:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        started = draw(st.none() | st.dates(date(2015, 1, 1), date(2026, 1, 1)))
        stopped = draw(st.none() | st.dates(started or date(2015, 1, 1), date(2027, 1, 1)))
        out.append(
            MedicineRecord(
                name=draw(texts()),
                dose=draw(st.just("") | texts()),
                started=started,
                stopped=stopped,
                purpose=draw(st.sampled_from(MEDICINE_PURPOSES)),
            )
        )
    return out


@st.composite
def diaries(draw) -> PatientData:
    zone = draw(st.sampled_from(ZONES))
    customs = draw(custom_factors())
    kinds = BUILTIN_KINDS | {s.name: s.kind for s in customs}
    # Sometimes the built-in factors are declared, sometimes only implied by their values.
    declared = (list(BUILTIN_FACTORS) if draw(st.booleans()) else []) + customs
    return PatientData(
        username=draw(st.from_regex(r"[A-Za-z0-9_.@+-]{1,20}", fullmatch=True)),
        birth_year=draw(st.none() | st.integers(1920, 2010)),
        sex=draw(st.none() | st.sampled_from(["female", "male", "other", "unknown"])),
        time_zone=zone,
        nights=tuple(draw(nights(kinds))),
        episodes=tuple(draw(episodes(ZoneInfo(zone)))),
        medicines=tuple(draw(medicines())),
        factor_specs=tuple(declared),
    )


def exported_nights(data: PatientData) -> list[NightRecord]:
    """What the export must keep: nights that say anything, without unrecorded factor values."""
    kept = []
    for n in sorted(data.nights, key=lambda n: n.night):
        factors = {k: v for k, v in n.factors.items() if v is not None}
        says_something = (
            n.cramps is not None
            or any(
                v is not None for v in (n.worst_pain, n.minutes_awake, n.sleep_quality, n.soreness)
            )
            or factors
            or n.medicines_taken
            or n.note
        )
        if says_something:
            kept.append(
                NightRecord(
                    n.night,
                    n.cramps,
                    n.worst_pain,
                    n.minutes_awake,
                    n.sleep_quality,
                    n.soreness,
                    factors,
                    n.medicines_taken,
                    n.note,
                )
            )
    return kept


def through_json(data: PatientData, bundle_type: str = "collection") -> tuple[dict, object]:
    bundle = build_bundle(data, bundle_type, generated_at=GENERATED_AT)  # type: ignore[arg-type]
    return bundle, read_bundle(json.dumps(bundle))


ROUND_TRIP = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(diaries())
def test_nights_come_back_with_the_same_values(data):
    """Counts (zero included), answers, factor values, medicines and notes; missing nights stay missing."""
    _, result = through_json(data)
    assert result.nights == exported_nights(data)
    assert result.skipped == []


@ROUND_TRIP
@given(diaries())
def test_episodes_come_back_with_the_same_values(data):
    """Start instant, night, local hour, duration to the second, muscle, side, pain and reliefs."""
    _, result = through_json(data)
    assert _in_utc(result.episodes) == _in_utc(sorted(data.episodes, key=lambda e: e.started_at))


def _in_utc(episodes):
    """The same instants in UTC: a local time that a clock change repeats (02:30 twice) never
    compares equal across two time zone objects (PEP 495), though it is the same instant."""
    return [replace(e, started_at=e.started_at.astimezone(UTC)) for e in episodes]


@ROUND_TRIP
@given(diaries())
def test_medicines_and_the_person_come_back(data):
    """Medicines in order with dose, dates and purpose; birth year, sex, zone and username."""
    _, result = through_json(data)
    assert result.medicines == list(data.medicines)
    assert (result.username, result.birth_year, result.sex, result.time_zone) == (
        data.username,
        data.birth_year,
        data.sex,
        data.time_zone,
    )


@ROUND_TRIP
@given(diaries())
def test_factor_specs_come_back_declared_first_then_implied(data):
    """Declared specs (custom ones too, even never used) in order; built-ins used but undeclared follow."""
    _, result = through_json(data)
    declared = list(data.factor_specs)
    assert result.factor_specs[: len(declared)] == declared
    used = {name for n in exported_nights(data) for name in n.factors}
    implied = {f for f in BUILTIN_FACTORS if f.name in used and f not in declared}
    assert set(result.factor_specs[len(declared) :]) == implied


@ROUND_TRIP
@given(diaries())
def test_a_transaction_bundle_round_trips_like_a_collection(data):
    """The transaction form carries the same records."""
    _, from_collection = through_json(data)
    _, from_transaction = through_json(data, "transaction")
    assert from_transaction == from_collection


@settings(max_examples=40, deadline=None)
@given(diaries())
def test_a_second_round_trip_changes_nothing(data):
    """Export, import, export again: after the first round the bundle is a fixed point."""
    _, first = through_json(data)
    again = first.to_patient_data()
    bundle_once = build_bundle(again, generated_at=GENERATED_AT)
    _, second = through_json(again)
    assert build_bundle(second.to_patient_data(), generated_at=GENERATED_AT) == bundle_once


@settings(max_examples=30, deadline=None)
@given(diaries(), st.sampled_from(["collection", "transaction"]))
def test_every_generated_diary_exports_a_valid_bundle(data, bundle_type):
    """Any text, zone, factor name and value the diary can hold passes both validators."""
    bundle = build_bundle(data, bundle_type, generated_at=GENERATED_AT)
    assert validate_bundle(bundle) == []


def test_the_rich_diary_round_trips_with_its_assessments_and_trials():
    """Assessment answers (flat symptom keys nested), flags and times, and trial results come back."""
    data = rich_diary()
    _, result = through_json(data)
    assert result.skipped == []
    assert result.nights == exported_nights(data)
    assert result.episodes == list(data.episodes)
    assert result.medicines == list(data.medicines)
    assert result.factor_specs == list(data.factor_specs)
    first, second = data.assessments
    assert result.assessments == [
        {
            "answers": first["answers"],
            # id, severity and message travel; action and sources follow from the id.
            "flags": [
                {k: v for k, v in flag.items() if k in ("id", "severity", "message")}
                if isinstance(flag, dict)
                else flag
                for flag in first["flags"]
            ],
            "at": datetime(2025, 11, 19, 18, 30, tzinfo=UTC),
        },
        {
            "answers": {"age": 71, "symptoms": {"occurs_in_bed": True}, "conditions": []},
            "flags": [],
            "at": date(2025, 11, 26),
        },
    ]
    trial = data.trial_results[0]
    assert result.trial_results == [
        {
            "remedy": trial["remedy"],
            "started": trial["started"],
            "ended": trial["ended"],
            "rate_ratio": {"median": 0.71, "ci95": [0.52, 0.97]},
            "p_reduction": 0.98,
            "p_meaningful": 0.82,
            "threshold": 0.8,
        }
    ]


def test_a_real_assessment_round_trips_with_its_flags():
    """The guidance app's own input and result go out as FHIR and come back unchanged."""
    from crampwise.guidance.core.assessment import assess
    from crampwise.guidance.core.inputs import SYMPTOMS

    answers = {
        "age": 71,
        "sex": "female",
        "pregnant": False,
        "conditions": [],
        "medications": ["furosemide 40mg", "atorvastatin"],
        "symptoms": {s: s in ("sudden_painful_tightening", "occurs_in_bed") for s in SYMPTOMS},
    }
    flags = assess(answers)["flags"]
    data = PatientData("kim", assessments=({"answers": answers, "flags": flags},))
    bundle, result = through_json(data)
    assert validate_bundle(bundle) == []
    (questionnaire,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Questionnaire"
    ]
    symptom_links = [i["linkId"] for i in questionnaire["item"][-1]["item"]]
    assert symptom_links == [f"symptoms.{s}" for s in SYMPTOMS]
    assert result.assessments == [
        {
            "answers": answers,
            "flags": [{k: f[k] for k in ("id", "severity", "message")} for f in flags],
        }
    ]


def test_the_nerve_and_muscle_signs_round_trip_with_their_flag():
    """The four new symptom answers and the see-a-doctor flag they raise come back unchanged."""
    from crampwise.guidance.core.assessment import assess
    from crampwise.guidance.core.inputs import NERVE_OR_MUSCLE_SIGNS, SYMPTOMS

    answers = {
        "age": 64,
        "sex": "male",
        "pregnant": False,
        "conditions": [],
        "medications": [],
        "symptoms": {s: s in ("muscle_twitching", "muscle_wasting") for s in SYMPTOMS},
    }
    flags = assess(answers)["flags"]
    assert "see_doctor_nerve_or_muscle_signs" in [f["id"] for f in flags]
    data = PatientData("kim", assessments=({"answers": answers, "flags": flags},))
    bundle, result = through_json(data)
    assert validate_bundle(bundle) == []
    (questionnaire,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Questionnaire"
    ]
    links = {i["linkId"] for i in questionnaire["item"][-1]["item"]}
    assert {f"symptoms.{s}" for s in NERVE_OR_MUSCLE_SIGNS} <= links
    (restored,) = result.assessments
    assert restored["answers"] == answers
    assert [f["id"] for f in restored["flags"]] == [f["id"] for f in flags]
