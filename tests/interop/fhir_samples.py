"""Diaries used by the FHIR tests: one with every kind of record, and an empty one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import EpisodeRecord, FactorSpec, MedicineRecord, NightRecord
from crampwise.interop import PatientData

GENERATED_AT = datetime(2025, 11, 28, 8, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def rich_diary(username: str = "alice@example.org") -> PatientData:
    """A week in November with every field filled somewhere, in New York time."""
    nights = (
        NightRecord(
            date(2025, 11, 20), 0, sleep_quality=4, factors={"stretched": 1.0, "fluid_glasses": 6.0}
        ),
        NightRecord(
            date(2025, 11, 21),
            2,
            worst_pain=7,
            minutes_awake=25,
            sleep_quality=2,
            soreness=2,
            factors={
                "stretched": 0.0,
                "alcohol_units": 2.5,
                "leg massage": 1.0,
                "tonic water": None,
            },
            medicines_taken=("Magnesium citrate",),
            note="Woke twice.\nLeft calf both times.",
        ),
        NightRecord(date(2025, 11, 22), None),  # missing: never exported
        NightRecord(date(2025, 11, 23), None, factors={"stretched": 1.0}),  # no count, some data
        NightRecord(
            date(2025, 11, 24),
            1,
            worst_pain=4,
            factors={"hours_on_feet": 9.0, "exercise_minutes": 30.0},
        ),
    )
    episodes = (
        EpisodeRecord(
            date(2025, 11, 21),
            datetime(2025, 11, 22, 7, 10, tzinfo=UTC),  # 02:10 in New York
            2,
            95,
            "calf",
            "left",
            7,
            ("stretch", "stand_walk"),
        ),
        EpisodeRecord(
            date(2025, 11, 21), datetime(2025, 11, 22, 9, 0, tzinfo=UTC), 4, None, None, "both"
        ),
        EpisodeRecord(
            date(2025, 11, 24),
            datetime(2025, 11, 25, 8, 30, tzinfo=UTC),
            3,
            40,
            "toes",
            None,
            4,
            ("massage",),
        ),
        EpisodeRecord(
            date(2025, 11, 24),
            datetime(2025, 11, 25, 8, 45, tzinfo=UTC),
            3,
            20,
            "hamstring",
            "right",
            3,
        ),
        EpisodeRecord(
            date(2025, 11, 24), datetime(2025, 11, 25, 8, 50, tzinfo=UTC), 3, 10, "foot", "right", 2
        ),
        EpisodeRecord(
            date(2025, 11, 24), datetime(2025, 11, 25, 8, 55, tzinfo=UTC), 3, 10, "thigh", "left", 2
        ),
    )
    medicines = (
        MedicineRecord(
            "Magnesium citrate", "300 mg at night", date(2025, 11, 1), None, "cramps_preventive"
        ),
        MedicineRecord("Atorvastatin", "20 mg", date(2021, 3, 1), None, "other"),
        MedicineRecord("Ibuprofen", "", None, date(2025, 6, 30), "cramps_at_time"),
    )
    specs = (
        *BUILTIN_FACTORS,
        FactorSpec("leg massage", "yes_no", "Leg massage"),
        FactorSpec("tonic water", "yes_no"),
        FactorSpec("never used", "count", "A factor nobody filled in"),
    )
    # Shaped like guidance.assessment.assess: its input as answers, its result's flags.
    assessments = (
        {
            "answers": {
                "age": 71,
                "sex": "female",
                "pregnant": False,
                "conditions": ["type_2_diabetes"],
                "medications": ["atorvastatin 20mg", "furosemide 40mg"],
                "symptoms": {
                    "sudden_painful_tightening": True,
                    "occurs_in_bed": True,
                    "urge_to_move": False,
                    "one_leg_swollen_warm_or_red": False,
                },
            },
            "flags": [
                {
                    "id": "medicine_associated_with_cramps",
                    "severity": "routine",
                    "medicine": "furosemide 40mg",
                    "message": "Furosemide is a water tablet. Water tablets can go with cramps.",
                    "action": "Ask your doctor before you change it.",
                    "sources": ["garrison2012"],
                },
                {
                    "id": "meets_criteria",
                    "severity": "info",
                    "message": "This sounds like night cramps.",
                },
                "risk_factor_age",
            ],
            "at": datetime(2025, 11, 19, 18, 30, tzinfo=UTC),
        },
        {
            "answers": {"age": 71, "symptoms.occurs_in_bed": True, "conditions": []},
            "flags": [],
            "at": date(2025, 11, 26),
        },
    )
    # Shaped like trials.analysis.TrialAnalysis.to_dict(), with the shell's remedy and dates.
    trials = (
        {
            "remedy": "Calf stretching before bed",
            "started": date(2025, 9, 1),
            "ended": date(2025, 10, 12),
            "nights_used": 40,
            "rate_ratio": {"median": 0.71, "ci95": [0.52, 0.97], "mean_log": -0.34, "sd_log": 0.16},
            "p_reduction": 0.98,
            "p_meaningful": 0.82,
            "threshold": 0.8,
        },
    )
    return PatientData(
        username=username,
        birth_year=1954,
        sex="female",
        time_zone="America/New_York",
        nights=nights,
        episodes=episodes,
        medicines=medicines,
        factor_specs=specs,
        assessments=assessments,
        trial_results=trials,
    )


def empty_diary() -> PatientData:
    """A person who signed up and recorded nothing yet."""
    return PatientData(username="bob")


def entries_of(bundle: dict, resource_type: str) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def observations_coded(bundle: dict, system: str, code: str) -> list[dict]:
    return [
        r
        for r in entries_of(bundle, "Observation")
        if any(c["system"] == system and c["code"] == code for c in r["code"].get("coding", []))
    ]
