"""The Patient and the sleep-related leg cramps Condition, both ways."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import FactorSpec
from crampwise.interop.core.codes import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    EXT_DAILY_FACTOR,
    EXT_TIME_ZONE,
    SLEEP_RELATED_LEG_CRAMPS,
)
from crampwise.interop.core.datatypes import (
    JsonDict,
    concept,
    extension_value,
    fhir_text,
    has_code,
    reference,
)
from crampwise.interop.core.ids import URN_PREFIX, crampwise_urn_of, identifier, urn_parts

GENDERS = ("female", "male", "other", "unknown")
FACTOR_KINDS = ("yes_no", "count")


def fhir_gender(sex: str | None) -> str | None:
    """FHIR administrative gender for what the person told us; anything else is 'unknown'."""
    if sex is None or not sex.strip():
        return None
    sex = sex.strip().lower()
    aliases = {"f": "female", "woman": "female", "m": "male", "man": "male"}
    sex = aliases.get(sex, sex)
    return sex if sex in GENDERS else "unknown"


def build_patient(
    urn: str,
    birth_year: int | None,
    sex: str | None,
    time_zone: str,
    factor_specs: Sequence[FactorSpec],
) -> JsonDict:
    patient: JsonDict = {"resourceType": "Patient", "identifier": [identifier(urn)]}
    extensions: list[JsonDict] = [{"url": EXT_TIME_ZONE, "valueCode": time_zone}]
    # The factor list goes with the person, so a custom factor that was never filled in still
    # comes back on import, with its kind and label.
    extensions += [_factor_extension(spec) for spec in factor_specs]
    patient["extension"] = extensions
    gender = fhir_gender(sex)
    if gender:
        patient["gender"] = gender
    if birth_year is not None:
        patient["birthDate"] = f"{birth_year:04d}"
    return patient


def _factor_extension(spec: FactorSpec) -> JsonDict:
    if spec.kind not in FACTOR_KINDS:
        raise ValueError(f"factor {spec.name!r}: unknown kind {spec.kind!r}")
    parts: list[JsonDict] = [
        {"url": "name", "valueString": fhir_text(spec.name)},
        {"url": "kind", "valueCode": spec.kind},
    ]
    if spec.label:
        parts.append({"url": "label", "valueString": fhir_text(spec.label)})
    parts.append({"url": "builtin", "valueBoolean": spec.builtin})
    return {"url": EXT_DAILY_FACTOR, "extension": parts}


def build_condition(urn: str, patient_url: str) -> JsonDict:
    system, code, display = SLEEP_RELATED_LEG_CRAMPS
    return {
        "resourceType": "Condition",
        "identifier": [identifier(urn)],
        "clinicalStatus": concept(CONDITION_CLINICAL, "active", "Active"),
        # Reported by the person through the app, not diagnosed by a clinician.
        "verificationStatus": concept(CONDITION_VERIFICATION, "unconfirmed", "Unconfirmed"),
        "category": [concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
        "code": concept(system, code, display, "Nocturnal leg cramps (reported by the patient)"),
        "subject": reference(patient_url),
    }


def is_leg_cramp_condition(resource: Mapping[str, Any]) -> bool:
    system, code, _ = SLEEP_RELATED_LEG_CRAMPS
    return has_code(resource.get("code"), system, code)


@dataclass(slots=True)
class PatientInfo:
    """What an imported Patient tells us."""

    username: str | None = None
    birth_year: int | None = None
    sex: str | None = None
    time_zone: str | None = None
    factor_specs: list[FactorSpec] = field(default_factory=list)


def read_patient(resource: Mapping[str, Any]) -> PatientInfo:
    info = PatientInfo()
    urn = crampwise_urn_of(dict(resource))
    if urn and urn.startswith(URN_PREFIX + "patient:"):
        info.username = urn_parts(urn)[1]
    gender = resource.get("gender")
    if gender in GENDERS:
        info.sex = gender
    birth = resource.get("birthDate")
    if isinstance(birth, str) and birth[:4].isdigit():
        info.birth_year = int(birth[:4])
    tz = extension_value(resource, EXT_TIME_ZONE, "valueCode")
    if isinstance(tz, str):
        info.time_zone = tz
    for ext in resource.get("extension") or []:
        if isinstance(ext, Mapping) and ext.get("url") == EXT_DAILY_FACTOR:
            spec = _read_factor_extension(ext)
            if spec is not None:
                info.factor_specs.append(spec)
    return info


def _read_factor_extension(ext: Mapping[str, Any]) -> FactorSpec | None:
    name = extension_value(ext, "name", "valueString")
    kind = extension_value(ext, "kind", "valueCode")
    if not isinstance(name, str) or kind not in FACTOR_KINDS:
        return None
    label = extension_value(ext, "label", "valueString")
    builtin = extension_value(ext, "builtin", "valueBoolean")
    return FactorSpec(name, str(kind), label if isinstance(label, str) else "", builtin is True)


def builtin_spec(name: str) -> FactorSpec | None:
    return next((s for s in BUILTIN_FACTORS if s.name == name), None)
