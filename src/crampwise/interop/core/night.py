"""One recorded night <-> one Observation (code crampwise#cramps-per-night)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crampwise.diary.core.records import FactorSpec, NightRecord
from crampwise.interop.core.codes import (
    CRAMPS_PER_NIGHT,
    CRAMPWISE,
    DATA_ABSENT_REASON,
    FACTOR_DEFAULT_UNIT,
    FACTOR_PREFIX,
    FACTOR_UNITS,
    LOINC,
    MEDICINE_TAKEN,
    MINUTES_AWAKE,
    OBSERVATION_CATEGORY,
    PAIN_SCORE,
    SLEEP_QUALITY,
    SORENESS,
    UNIT_COUNT,
    UNIT_MINUTES,
    UNIT_SCORE,
)
from crampwise.interop.core.datatypes import (
    BadValue,
    JsonDict,
    component_number,
    concept,
    concept_text,
    fhir_text,
    has_code,
    local_code_of,
    local_concept,
    note_text,
    parse_date,
    quantity,
    reference,
    whole,
)
from crampwise.interop.core.ids import decode_part, encode_part, identifier

MINUTE_UNITS = {"min": 1.0, "h": 60.0, "s": 1 / 60}
SURVEY = concept(OBSERVATION_CATEGORY, "survey", "Survey")


def night_has_data(night: NightRecord) -> bool:
    """Whether a night says anything: a count (zero included) or any other answer."""
    return (
        night.cramps is not None
        or any(
            v is not None
            for v in (night.worst_pain, night.minutes_awake, night.sleep_quality, night.soreness)
        )
        or any(v is not None for v in night.factors.values())
        or bool(night.medicines_taken)
        or bool(fhir_text(night.note))
    )


def build_night_observation(
    night: NightRecord,
    *,
    urn: str,
    patient_url: str,
    specs: Mapping[str, FactorSpec],
    member_urls: Sequence[str] = (),
) -> JsonDict:
    """The night's Observation; effectiveDateTime is the date of the night's evening."""
    obs: JsonDict = {
        "resourceType": "Observation",
        "identifier": [identifier(urn)],
        "status": "final",
        "category": [SURVEY],
        "code": local_concept(CRAMPS_PER_NIGHT),
        "subject": reference(patient_url),
        "effectiveDateTime": night.night.isoformat(),
        "performer": [reference(patient_url)],
    }
    if night.cramps is None:
        # The night has other answers but no count: say so, so nobody reads it as zero.
        obs["dataAbsentReason"] = concept(DATA_ABSENT_REASON, "unknown", "Unknown", "Not recorded")
    else:
        obs["valueQuantity"] = quantity(night.cramps, UNIT_COUNT)
    note = fhir_text(night.note)
    if note:
        obs["note"] = [{"text": note}]
    if member_urls:
        obs["hasMember"] = [reference(url) for url in member_urls]
    components = _night_components(night, specs)
    if components:
        obs["component"] = components
    return obs


def _night_components(night: NightRecord, specs: Mapping[str, FactorSpec]) -> list[JsonDict]:
    out: list[JsonDict] = []
    if night.worst_pain is not None:
        out.append(
            {"code": concept(*PAIN_SCORE), "valueQuantity": quantity(night.worst_pain, UNIT_SCORE)}
        )
    if night.minutes_awake is not None:
        out.append(
            {
                "code": local_concept(MINUTES_AWAKE),
                "valueQuantity": quantity(night.minutes_awake, UNIT_MINUTES),
            }
        )
    if night.sleep_quality is not None:
        out.append(
            {
                "code": local_concept(SLEEP_QUALITY),
                "valueQuantity": quantity(night.sleep_quality, UNIT_SCORE),
            }
        )
    if night.soreness is not None:
        out.append(
            {"code": local_concept(SORENESS), "valueQuantity": quantity(night.soreness, UNIT_SCORE)}
        )
    # Factors in the person's own order (their spec list), then any others as recorded.
    names = [n for n in specs if n in night.factors] + [n for n in night.factors if n not in specs]
    for name in names:
        value = night.factors[name]
        if value is not None:
            out.append(_factor_component(name, float(value), specs.get(name)))
    for medicine in night.medicines_taken:
        text = fhir_text(medicine)
        if text:
            out.append({"code": local_concept(MEDICINE_TAKEN), "valueString": text})
    return out


def factor_code(name: str) -> str:
    return FACTOR_PREFIX + encode_part(name)


def _factor_component(name: str, value: float, spec: FactorSpec | None) -> JsonDict:
    label = spec.label if spec and spec.label else name
    code = concept(CRAMPWISE, factor_code(name), fhir_text(label), label)
    if spec is not None and spec.kind == "yes_no" and value in (0.0, 1.0):
        return {"code": code, "valueBoolean": value == 1.0}
    # A number factor, or a yes/no factor holding something other than 0/1: keep the number.
    unit = FACTOR_UNITS.get(name, FACTOR_DEFAULT_UNIT)
    return {"code": code, "valueQuantity": quantity(value, unit)}


# Reading ------------------------------------------------------------------------------------


def read_night_observation(resource: Mapping[str, Any]) -> tuple[NightRecord, list[FactorSpec]]:
    """A night and the factor specs its components imply (kind from the value, label from text)."""
    night_date = parse_date(_effective_date(resource), "night date")
    cramps = None
    if "valueQuantity" in resource or "valueInteger" in resource:
        cramps = whole(component_number(resource, "cramp count", None), "cramp count")
    worst_pain = minutes_awake = sleep_quality = soreness = None
    factors: dict[str, float | None] = {}
    implied: list[FactorSpec] = []
    medicines: list[str] = []
    for comp in resource.get("component") or []:
        if not isinstance(comp, Mapping):
            continue
        code = comp.get("code")
        if has_code(code, LOINC, PAIN_SCORE[1]):
            worst_pain = whole(component_number(comp, "worst pain", None), "worst pain")
            continue
        local = local_code_of(code)
        if local == MINUTES_AWAKE:
            value = component_number(comp, "minutes awake", MINUTE_UNITS)
            minutes_awake = whole(round(value, 6), "minutes awake")
        elif local == SLEEP_QUALITY:
            sleep_quality = whole(component_number(comp, "sleep quality", None), "sleep quality")
        elif local == SORENESS:
            soreness = whole(component_number(comp, "soreness", None), "soreness")
        elif local == MEDICINE_TAKEN:
            if not isinstance(comp.get("valueString"), str):
                raise BadValue("medicine taken: no name")
            medicines.append(comp["valueString"])
        elif local is not None and local.startswith(FACTOR_PREFIX):
            name = decode_part(local.removeprefix(FACTOR_PREFIX))
            if name in factors:
                raise BadValue(f"factor {name!r} given twice")
            factors[name], kind = _factor_value(comp, name)
            implied.append(FactorSpec(name, kind, concept_text(code)))
        # Components we do not know (another app's extras) are left out on purpose.
    record = NightRecord(
        night=night_date,
        cramps=cramps,
        worst_pain=worst_pain,
        minutes_awake=minutes_awake,
        sleep_quality=sleep_quality,
        soreness=soreness,
        factors=factors,
        medicines_taken=tuple(medicines),
        note=note_text(resource),
    )
    return record, implied


def _effective_date(resource: Mapping[str, Any]) -> Any:
    if "effectiveDateTime" in resource:
        return resource["effectiveDateTime"]
    period = resource.get("effectivePeriod")
    return period.get("start") if isinstance(period, Mapping) else None


def _factor_value(comp: Mapping[str, Any], name: str) -> tuple[float, str]:
    if "valueBoolean" in comp:
        if not isinstance(comp["valueBoolean"], bool):
            raise BadValue(f"factor {name!r}: {comp['valueBoolean']!r} is not yes or no")
        return (1.0 if comp["valueBoolean"] else 0.0), "yes_no"
    return component_number(comp, f"factor {name!r}", None), "count"
