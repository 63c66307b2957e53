"""A personal trial's result <-> one Observation of the cramp rate ratio (remedy over control)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from crampwise.interop.core.codes import (
    TRIAL_CI95_HIGH,
    TRIAL_CI95_LOW,
    TRIAL_P_MEANINGFUL,
    TRIAL_P_REDUCTION,
    TRIAL_RATE_RATIO,
    TRIAL_REMEDY,
    TRIAL_THRESHOLD,
    UNIT_PROBABILITY,
    UNIT_RATIO,
)
from crampwise.interop.core.datatypes import (
    BadValue,
    JsonDict,
    component_number,
    fhir_text,
    local_code_of,
    local_concept,
    parse_date,
    quantity,
    reference,
)
from crampwise.interop.core.ids import identifier
from crampwise.interop.core.night import SURVEY


def normalise_trial_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """Flat keys, ci95 as a (low, high) tuple, threshold None when not given.

    Takes the nested ``rate_ratio: {"median": m, "ci95": [lo, hi]}`` of
    ``TrialAnalysis.to_dict()`` or flat ``rate_ratio_median`` / ``rate_ratio_ci95`` keys.
    """
    nested = result.get("rate_ratio")
    if isinstance(nested, Mapping):
        median, ci95 = nested.get("median"), nested.get("ci95")
    else:
        median, ci95 = result.get("rate_ratio_median"), result.get("rate_ratio_ci95")
    remedy = result.get("remedy")
    if not isinstance(remedy, str) or not remedy.strip():
        raise ValueError(f"trial result without a remedy: {result!r}")
    if ci95 is None or len(ci95) != 2:
        raise ValueError(f"trial result for {remedy!r} needs rate_ratio_ci95 as (low, high)")
    out = {
        "remedy": remedy,
        "started": result.get("started"),
        "ended": result.get("ended"),
        "rate_ratio_median": _finite(median, "rate_ratio_median"),
        "rate_ratio_ci95": (_finite(ci95[0], "ci95 low"), _finite(ci95[1], "ci95 high")),
        "p_reduction": _finite(result.get("p_reduction"), "p_reduction"),
        "p_meaningful": _finite(result.get("p_meaningful"), "p_meaningful"),
        "threshold": None,
    }
    if result.get("threshold") is not None:
        out["threshold"] = _finite(result["threshold"], "threshold")
    for key in ("started", "ended"):
        if out[key] is not None and not isinstance(out[key], date):
            raise ValueError(f"trial result {key} must be a date, got {out[key]!r}")
    return out


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"trial result {what} must be a finite number, got {value!r}")
    return float(value)


def build_trial_observation(result: Mapping[str, Any], *, urn: str, patient_url: str) -> JsonDict:
    """`result` in the shape of `normalise_trial_result`."""
    low, high = result["rate_ratio_ci95"]
    obs: JsonDict = {
        "resourceType": "Observation",
        "identifier": [identifier(urn)],
        "status": "final",
        "category": [SURVEY],
        "code": local_concept(TRIAL_RATE_RATIO),
        "subject": reference(patient_url),
    }
    period: JsonDict = {}
    if result["started"] is not None:
        period["start"] = result["started"].isoformat()
    if result["ended"] is not None:
        period["end"] = result["ended"].isoformat()
    if period:
        obs["effectivePeriod"] = period
    obs["valueQuantity"] = quantity(result["rate_ratio_median"], UNIT_RATIO)
    obs["component"] = [
        {"code": local_concept(TRIAL_REMEDY), "valueString": fhir_text(result["remedy"])},
        {"code": local_concept(TRIAL_CI95_LOW), "valueQuantity": quantity(low, UNIT_RATIO)},
        {"code": local_concept(TRIAL_CI95_HIGH), "valueQuantity": quantity(high, UNIT_RATIO)},
        {
            "code": local_concept(TRIAL_P_REDUCTION),
            "valueQuantity": quantity(result["p_reduction"], UNIT_PROBABILITY),
        },
        {
            "code": local_concept(TRIAL_P_MEANINGFUL),
            "valueQuantity": quantity(result["p_meaningful"], UNIT_PROBABILITY),
        },
    ]
    if result["threshold"] is not None:
        # p_meaningful means nothing without the ratio it was measured against.
        obs["component"].append(
            {
                "code": local_concept(TRIAL_THRESHOLD),
                "valueQuantity": quantity(result["threshold"], UNIT_RATIO),
            }
        )
    return obs


def read_trial_observation(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A trial result in the nested shape of `TrialAnalysis.to_dict()`, plus remedy and dates."""
    values: dict[str, Any] = {}
    for comp in resource.get("component") or []:
        if not isinstance(comp, Mapping):
            continue
        code = local_code_of(comp.get("code"))
        if code == TRIAL_REMEDY and isinstance(comp.get("valueString"), str):
            values["remedy"] = comp["valueString"]
        elif code in (
            TRIAL_CI95_LOW,
            TRIAL_CI95_HIGH,
            TRIAL_P_REDUCTION,
            TRIAL_P_MEANINGFUL,
            TRIAL_THRESHOLD,
        ):
            values[code] = component_number(comp, code, None)
    missing = {TRIAL_CI95_LOW, TRIAL_CI95_HIGH, TRIAL_P_REDUCTION, TRIAL_P_MEANINGFUL, "remedy"}
    missing -= set(values)
    if missing:
        raise BadValue("trial result lacks " + ", ".join(sorted(missing)))
    found = resource.get("effectivePeriod")
    period: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    out = {
        "remedy": values["remedy"],
        "started": parse_date(period["start"], "trial start") if period.get("start") else None,
        "ended": parse_date(period["end"], "trial end") if period.get("end") else None,
        "rate_ratio": {
            "median": component_number(resource, "rate ratio", None),
            "ci95": [values[TRIAL_CI95_LOW], values[TRIAL_CI95_HIGH]],
        },
        "p_reduction": values[TRIAL_P_REDUCTION],
        "p_meaningful": values[TRIAL_P_MEANINGFUL],
    }
    if TRIAL_THRESHOLD in values:
        out["threshold"] = values[TRIAL_THRESHOLD]
    return out
