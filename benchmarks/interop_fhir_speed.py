"""How long a year's diary takes to export as FHIR, validate and import back.

    PYTHONPATH=src .venv/bin/python benchmarks/interop_fhir_speed.py [--json] [--compare-naive]

Prints the median of several runs for each step. The first validation pays for loading the 3.4 MB
schema and building the per-type validators; it is shown apart ("cold"). --compare-naive also
validates every resource against the schema's top-level oneOf, the obvious way, to show why the
validator checks each resource against its own definition.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import (
    MUSCLES,
    RELIEFS,
    SIDES,
    EpisodeRecord,
    FactorSpec,
    MedicineRecord,
    NightRecord,
)
from crampwise.interop import PatientData, build_bundle, read_bundle
from crampwise.interop.core import validate as fhir_validate

GENERATED_AT = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def year_of_diary(seed: int = 1) -> PatientData:
    """365 nights (about 1 in 12 missing), about 1.3 cramps a night, most of them logged at night."""
    rng = random.Random(seed)
    tz = ZoneInfo("Europe/London")
    first = date(2025, 1, 1)
    nights, episodes = [], []
    for day in range(365):
        night = first + timedelta(days=day)
        if rng.random() < 0.08:
            continue
        cramps = min(rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4]), 6)
        factors = {
            "stretched": float(rng.random() < 0.5),
            "fluid_glasses": float(rng.randint(3, 10)),
            "alcohol_units": rng.choice([0.0, 0.0, 1.0, 2.5]),
            "exercise_minutes": float(rng.choice([0, 15, 30, 60])),
            "hours_on_feet": float(rng.randint(1, 10)),
            "supportive_shoes": float(rng.random() < 0.7),
            "tonic water": float(rng.random() < 0.2),
        }
        nights.append(
            NightRecord(
                night,
                cramps,
                worst_pain=rng.randint(3, 9) if cramps else None,
                minutes_awake=rng.randint(5, 60) if cramps else None,
                sleep_quality=rng.randint(1, 5),
                soreness=rng.randint(0, 3),
                factors=factors,
                medicines_taken=("Magnesium citrate",) if rng.random() < 0.6 else (),
                note="Woke with the left calf." if rng.random() < 0.05 else "",
            )
        )
        for _ in range(cramps):
            if rng.random() < 0.75:
                local = datetime(night.year, night.month, night.day, 22, tzinfo=tz) + timedelta(
                    minutes=rng.randint(0, 600)
                )
                started = local.astimezone(UTC)
                episodes.append(
                    EpisodeRecord(
                        night,
                        started,
                        local.hour,
                        rng.randint(20, 600),
                        rng.choice(MUSCLES),
                        rng.choice(SIDES),
                        rng.randint(2, 9),
                        tuple(rng.sample(RELIEFS, rng.randint(0, 2))),
                    )
                )
    return PatientData(
        username="benchmark",
        birth_year=1952,
        sex="female",
        time_zone="Europe/London",
        nights=tuple(nights),
        episodes=tuple(episodes),
        medicines=(
            MedicineRecord(
                "Magnesium citrate", "300 mg", date(2025, 3, 1), None, "cramps_preventive"
            ),
            MedicineRecord("Atorvastatin", "20 mg", date(2019, 1, 1), None, "other"),
            MedicineRecord("Furosemide", "40 mg", date(2024, 6, 1), None, "other"),
            MedicineRecord("Paracetamol", "1 g", None, None, "cramps_at_time"),
        ),
        factor_specs=(*BUILTIN_FACTORS, FactorSpec("tonic water", "yes_no", "Tonic water")),
        assessments=(
            {
                "answers": {
                    "age": 73,
                    "sex": "female",
                    "pregnant": False,
                    "conditions": ["diabetes"],
                    "medications": ["atorvastatin"],
                    "symptoms": {"muscle_hard": True},
                },
                "flags": ["statin_review"],
                "at": date(2025, 1, 3),
            },
        ),
        trial_results=(
            {
                "remedy": "Calf stretching",
                "started": date(2025, 4, 1),
                "ended": date(2025, 5, 12),
                "rate_ratio_median": 0.74,
                "rate_ratio_ci95": (0.55, 0.99),
                "p_reduction": 0.97,
                "p_meaningful": 0.78,
            },
        ),
    )


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--compare-naive", action="store_true", help="also time the top-level oneOf schema check"
    )
    args = parser.parse_args()

    data = year_of_diary()
    bundle = build_bundle(data, generated_at=GENERATED_AT)
    text = json.dumps(bundle)

    start = time.perf_counter()
    assert fhir_validate.schema_errors(bundle) == []
    schema_cold = time.perf_counter() - start
    start = time.perf_counter()
    assert fhir_validate.model_errors(bundle) == []
    model_cold = time.perf_counter() - start

    results: dict[str, float | int] = {
        "nights": len(data.nights),
        "episodes": len(data.episodes),
        "resources": len(bundle["entry"]),
        "bundle_kib": round(len(text.encode()) / 1024),
        "build_s": timed(lambda: build_bundle(data, generated_at=GENERATED_AT), args.repeat),
        "validate_model_s": timed(lambda: fhir_validate.model_errors(bundle), args.repeat),
        "validate_schema_s": timed(lambda: fhir_validate.schema_errors(bundle), args.repeat),
        "validate_rules_s": timed(lambda: fhir_validate.bundle_rule_errors(bundle), args.repeat),
        "validate_schema_cold_s": schema_cold,
        "validate_model_cold_s": model_cold,
        "import_s": timed(lambda: read_bundle(text), args.repeat),
    }
    results["build_and_validate_s"] = (
        results["build_s"]
        + results["validate_model_s"]
        + results["validate_schema_s"]
        + results["validate_rules_s"]
    )
    if args.compare_naive:
        from jsonschema import Draft6Validator

        naive = Draft6Validator(fhir_validate._schema())
        start = time.perf_counter()
        for entry in bundle["entry"]:
            assert not list(naive.iter_errors(entry["resource"]))
        results["validate_schema_naive_s"] = time.perf_counter() - start
        results["naive_over_per_type"] = round(
            results["validate_schema_naive_s"] / results["validate_schema_s"], 1
        )

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"A year's diary: {results['nights']} nights, {results['episodes']} episodes, "
        f"{results['resources']} resources, {results['bundle_kib']} KiB of JSON"
    )
    for key in (
        "build_s",
        "validate_model_s",
        "validate_schema_s",
        "validate_rules_s",
        "build_and_validate_s",
        "validate_schema_cold_s",
        "validate_model_cold_s",
        "import_s",
        "validate_schema_naive_s",
    ):
        if key in results:
            print(f"  {key.removesuffix('_s').replace('_', ' '):24} {results[key] * 1000:9.1f} ms")
    if "naive_over_per_type" in results:
        print(
            f"  top-level oneOf is {results['naive_over_per_type']}x slower than per-type validators"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
