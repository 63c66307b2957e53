"""A series' pooled answer as a FHIR R4 collection Bundle. Pure.

One Observation holds the population's rate ratio, with its 95% interval, the chances of any cut
and of a worthwhile cut, the spread between people (tau) and the range most people would see, as
components. One Observation per patient holds that patient's estimate shrunk towards the
population, named by the series' patient code only (never a name), with ``focus`` on the pooled
one. Codes are crampwise's own code system (interop/core/codes.py), as for a single trial.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from crampwise.interop.core.codes import UNIT_PROBABILITY, UNIT_RATIO
from crampwise.interop.core.datatypes import JsonDict, dt, local_concept, quantity, reference
from crampwise.interop.core.ids import full_url, identifier, urn

POOLED = "series-pooled-rate-ratio"
INDIVIDUAL = "series-individual-rate-ratio"


def _component(code: str, display: str, value: float, unit: tuple[str, str]) -> JsonDict:
    return {"code": local_concept(code, display), "valueQuantity": quantity(float(value), unit)}


def _interval(prefix: str, what: str, ci: Sequence[float]) -> list[JsonDict]:
    return [
        _component(f"{prefix}-low", f"{what}, lower end", ci[0], UNIT_RATIO),
        _component(f"{prefix}-high", f"{what}, upper end", ci[1], UNIT_RATIO),
    ]


def pooled_bundle(
    series_id: str, title: str, remedy: str, pooled: Mapping[str, Any], *, generated_at: datetime
) -> JsonDict:
    """The bundle; ``pooled`` is ``presentation.pooled_dict`` (with enough data)."""
    key = urn("series", series_id)
    pooled_url = full_url(key + ":pooled")
    compares = " over ".join(pooled["compares"])
    main: JsonDict = {
        "resourceType": "Observation",
        "identifier": [identifier(key + ":pooled")],
        "status": "final",
        "code": local_concept(POOLED, "Pooled cramp rate ratio of a trial series"),
        "issued": dt(generated_at),
        "valueQuantity": quantity(float(pooled["rate_ratio_median"]), UNIT_RATIO),
        "note": [{"text": f"{title}: {remedy}. Rate ratio of {compares}. "
                          f"{pooled['patients']} patients."}],
        "component": [
            *_interval("series-rate-ratio-ci95", "95% interval", pooled["rate_ratio_ci95"]),
            _component("series-p-reduction", "Probability of any cut", pooled["p_reduction"],
                       UNIT_PROBABILITY),
            _component("series-p-meaningful", "Probability of a worthwhile cut",
                       pooled["p_meaningful"], UNIT_PROBABILITY),
            _component("series-threshold", "Worthwhile cut, as a rate ratio",
                       pooled["threshold"], UNIT_RATIO),
            _component("series-tau", "Spread between people (tau, log scale)",
                       pooled["tau_median"], ("1", "1")),
            *_interval("series-predictive", "Range 8 in 10 people would see (80% predictive interval)",
                       pooled["predictive_ci"]),
        ],
    }  # fmt: skip
    entries = [{"fullUrl": pooled_url, "resource": main}]
    for person in pooled["individuals"]:
        person_key = f"{key}:patient:{person['patient']}"
        entries.append({
            "fullUrl": full_url(person_key),
            "resource": {
                "resourceType": "Observation",
                "identifier": [identifier(person_key)],
                "status": "final",
                "code": local_concept(INDIVIDUAL, "Patient's cramp rate ratio in a trial series, "
                                                  "shrunk towards the population"),
                "focus": [reference(pooled_url)],
                "issued": dt(generated_at),
                "valueQuantity": quantity(float(person["median"]), UNIT_RATIO),
                "note": [{"text": f"Patient {person['patient']}"}],
                "component": [
                    *_interval("series-rate-ratio-ci95", "95% interval", person["ci95"]),
                    _component("series-unpooled-rate-ratio", "Patient's own estimate, not pooled",
                               person["unpooled_median"], UNIT_RATIO),
                ],
            },
        })  # fmt: skip
    return {
        "resourceType": "Bundle",
        "identifier": identifier(key + ":bundle"),
        "type": "collection",
        "timestamp": dt(generated_at),
        "entry": entries,
    }
