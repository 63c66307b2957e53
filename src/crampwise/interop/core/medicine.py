"""One medicine the person takes <-> one MedicationStatement."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from crampwise.diary.core.records import MEDICINE_PURPOSES, MedicineRecord
from crampwise.interop.core.codes import MUSCLE_CRAMP, SLEEP_RELATED_LEG_CRAMPS
from crampwise.interop.core.datatypes import (
    BadValue,
    JsonDict,
    codings,
    concept,
    concept_text,
    fhir_text,
    has_code,
    parse_date,
    reference,
)
from crampwise.interop.core.ids import identifier

PURPOSE_TEXT = {
    "cramps_preventive": "To prevent night leg cramps",
    "cramps_at_time": "Taken when a leg cramp comes",
}


def build_medication_statement(
    medicine: MedicineRecord, *, urn: str, patient_url: str, condition_url: str, today: date
) -> JsonDict:
    if medicine.purpose not in MEDICINE_PURPOSES:
        raise ValueError(f"medicine {medicine.name!r}: unknown purpose {medicine.purpose!r}")
    stopped = medicine.stopped is not None and medicine.stopped <= today
    statement: JsonDict = {
        "resourceType": "MedicationStatement",
        "identifier": [identifier(urn)],
        "status": "completed" if stopped else "active",
        "medicationCodeableConcept": {"text": fhir_text(medicine.name) or "Unnamed medicine"},
        "subject": reference(patient_url),
    }
    period: JsonDict = {}
    if medicine.started is not None:
        period["start"] = medicine.started.isoformat()
    if medicine.stopped is not None:
        period["end"] = medicine.stopped.isoformat()
    if period:
        statement["effectivePeriod"] = period
    statement["informationSource"] = reference(patient_url)
    for_cramps = medicine.purpose in PURPOSE_TEXT
    if for_cramps:
        system, code, display = SLEEP_RELATED_LEG_CRAMPS
        statement["reasonCode"] = [concept(system, code, display, PURPOSE_TEXT[medicine.purpose])]
        statement["reasonReference"] = [reference(condition_url)]
    dosage: JsonDict = {}
    dose = fhir_text(medicine.dose)
    if dose:
        dosage["text"] = dose
    if for_cramps:
        # "When a cramp comes" is FHIR's as-needed; a preventive medicine is taken on schedule.
        dosage["asNeededBoolean"] = medicine.purpose == "cramps_at_time"
    if dosage:
        statement["dosage"] = [dosage]
    return statement


def read_medication_statement(resource: Mapping[str, Any]) -> MedicineRecord:
    if resource.get("status") == "not-taken":
        raise BadValue("the statement says the medicine was not taken")
    if "medicationCodeableConcept" not in resource:
        raise BadValue("medicine given as a reference to a Medication, not by name")
    name = concept_text(resource["medicationCodeableConcept"])
    if not name:
        name = next((code for _, code, _ in codings(resource["medicationCodeableConcept"])), "")
    if not name:
        raise BadValue("medicine without a name")
    dosages = [d for d in resource.get("dosage") or [] if isinstance(d, Mapping)]
    dose = next((d["text"] for d in dosages if isinstance(d.get("text"), str)), "")
    started = stopped = None
    period = resource.get("effectivePeriod")
    if isinstance(period, Mapping):
        if period.get("start") is not None:
            started = parse_date(period["start"], "medicine start")
        if period.get("end") is not None:
            stopped = parse_date(period["end"], "medicine stop")
    elif resource.get("effectiveDateTime") is not None:
        started = parse_date(resource["effectiveDateTime"], "medicine start")
    purpose = "other"
    reasons = [r for r in resource.get("reasonCode") or [] if isinstance(r, Mapping)]
    if any(_is_cramp_reason(r) for r in reasons):
        as_needed = any(d.get("asNeededBoolean") is True for d in dosages)
        purpose = "cramps_at_time" if as_needed else "cramps_preventive"
    return MedicineRecord(name=name, dose=dose, started=started, stopped=stopped, purpose=purpose)


def _is_cramp_reason(reason: Mapping[str, Any]) -> bool:
    return has_code(reason, *SLEEP_RELATED_LEG_CRAMPS[:2]) or has_code(reason, *MUSCLE_CRAMP[:2])
