"""Read a FHIR R4 Bundle back into diary records: our own exports losslessly, and the parts of
other apps' bundles that use the same codes. Anything else is listed in `skipped`, with a reason.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crampwise.diary.core.nights import night_of
from crampwise.diary.core.records import EpisodeRecord, FactorSpec, MedicineRecord, NightRecord
from crampwise.interop.core.assessment import (
    is_our_questionnaire,
    is_our_response,
    read_flags_observation,
    read_questionnaire_response,
    repeating_link_ids,
)
from crampwise.interop.core.codes import (
    ASSESSMENT_FLAGS,
    CRAMPS_PER_NIGHT,
    LOINC,
    MUSCLE_SITES,
    MUSCLE_WORDS,
    PAIN_SCORE,
    SNOMED,
    TRIAL_RATE_RATIO,
)
from crampwise.interop.core.datatypes import (
    BadValue,
    codings,
    component_number,
    concept_text,
    has_code,
    local_code_of,
    parse_date,
    parse_instant,
    whole,
)
from crampwise.interop.core.episode import is_episode, read_episode_observation
from crampwise.interop.core.ids import crampwise_urn_of
from crampwise.interop.core.medicine import read_medication_statement
from crampwise.interop.core.night import read_night_observation
from crampwise.interop.core.patient import (
    PatientInfo,
    builtin_spec,
    is_leg_cramp_condition,
    read_patient,
)
from crampwise.interop.core.patient_data import PatientData
from crampwise.interop.core.trial import read_trial_observation


class FhirImportError(ValueError):
    """The input is not a FHIR Bundle at all, so nothing in it can be read."""


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """One entry (or one part of it) that was not imported, and why."""

    index: int  # position in Bundle.entry
    resource_type: str  # "" when the entry has no resource
    reason: str
    identifier: str = ""  # our urn:crampwise: identifier, else the entry's fullUrl


@dataclass(slots=True)
class ImportResult:
    nights: list[NightRecord] = field(default_factory=list)
    episodes: list[EpisodeRecord] = field(default_factory=list)
    medicines: list[MedicineRecord] = field(default_factory=list)
    factor_specs: list[FactorSpec] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    trial_results: list[dict[str, Any]] = field(default_factory=list)
    username: str | None = None
    birth_year: int | None = None
    sex: str | None = None
    time_zone: str = "UTC"
    skipped: list[SkippedEntry] = field(default_factory=list)

    def to_patient_data(self, username: str | None = None) -> PatientData:
        """The imported records as export input (the bundle's username unless one is given)."""
        name = username or self.username
        if not name:
            raise ValueError("the bundle names nobody; pass the username to import into")
        return PatientData(
            username=name,
            birth_year=self.birth_year,
            sex=self.sex,
            time_zone=self.time_zone,
            nights=tuple(self.nights),
            episodes=tuple(self.episodes),
            medicines=tuple(self.medicines),
            factor_specs=tuple(self.factor_specs),
            assessments=tuple(self.assessments),
            trial_results=tuple(self.trial_results),
        )


def parse_bundle_json(text: str | bytes) -> dict[str, Any]:
    """A Bundle from JSON text, or a FhirImportError saying what is wrong."""
    if isinstance(text, str) and text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark some editors write (json.loads skips it in bytes)
    try:
        value = json.loads(text)
    except UnicodeDecodeError:
        raise FhirImportError(
            "This file is not UTF-8 text, so it cannot be a FHIR bundle."
        ) from None
    except json.JSONDecodeError as exc:
        raise FhirImportError(
            f"This file is not JSON, so it cannot be a FHIR bundle ({exc})."
        ) from exc
    except RecursionError:
        raise FhirImportError(
            "This file nests JSON too deeply to be a FHIR bundle; nothing was read."
        ) from None
    return _check_bundle(value)


def _check_bundle(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        kind = type(value).__name__
        raise FhirImportError(f"Expected a FHIR Bundle (a JSON object), got a JSON {kind}.")
    resource_type = value.get("resourceType")
    if resource_type != "Bundle":
        if isinstance(resource_type, str):
            raise FhirImportError(
                f"Expected a FHIR Bundle, but this is a single {resource_type} resource."
            )
        raise FhirImportError("Expected a FHIR Bundle, but this JSON object has no resourceType.")
    if not isinstance(value.get("entry", []), list):
        raise FhirImportError("Bundle.entry must be a list of entries.")
    return dict(value)


# What a wrongly typed value inside a resource raises in the readers (e.g. a number where a list is due;
# a date past year 9999 after adding a duration; nesting deeper than Python's stack).
MALFORMED = (
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
    ValueError,
    OverflowError,
    RecursionError,
)


def read_bundle(
    bundle: Mapping[str, Any] | str | bytes, *, time_zone: str | None = None
) -> ImportResult:
    """Diary records from a Bundle (a parsed dict, or JSON text).

    `time_zone` places other apps' cramps in nights; by default the zone our own Patient carries,
    else UTC. Raises FhirImportError when the input is not a Bundle at all.
    """
    data = parse_bundle_json(bundle) if isinstance(bundle, str | bytes) else _check_bundle(bundle)
    return _Reader(data.get("entry") or [], time_zone).read()


@dataclass(slots=True)
class _Reader:
    entries: list[Any]
    time_zone: str | None
    result: ImportResult = field(default_factory=ImportResult)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    patient: PatientInfo = field(default_factory=PatientInfo)
    repeats: frozenset[str] = frozenset()
    implied_specs: dict[str, FactorSpec] = field(default_factory=dict)
    nights: dict[date, NightRecord] = field(default_factory=dict)
    pain_only: dict[date, int] = field(default_factory=dict)
    seen_urns: set[str] = field(default_factory=set)
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: list[tuple[int, str | None, list[Any]]] = field(default_factory=list)
    patient_seen: bool = False

    def read(self) -> ImportResult:
        self._read_context()
        for index, entry in enumerate(self.entries):
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            if not isinstance(resource, Mapping):
                self._skip(index, "", "entry without a resource")
                continue
            try:
                self._read_entry(index, entry, resource)
            except BadValue as exc:
                self._skip(
                    index, str(resource.get("resourceType") or ""), str(exc), entry, resource
                )
            except MALFORMED as exc:
                # A value of the wrong JSON type deep inside one resource (another app's bug, or
                # a damaged file) spoils that entry only: it is skipped with the reason, never a crash.
                self._skip(
                    index, str(resource.get("resourceType") or ""), f"not well-formed FHIR ({exc})"
                )
        self._finish()
        return self.result

    # Pass 1: who, which zone, which questionnaire -------------------------------------------

    def _read_context(self) -> None:
        questionnaire = None
        patient_index = None
        for index, entry in enumerate(self.entries):
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            if not isinstance(resource, Mapping):
                continue
            if resource.get("resourceType") == "Patient" and patient_index is None:
                patient_index = index
                try:
                    self.patient = read_patient(resource)
                except MALFORMED as exc:
                    self.result.skipped.append(
                        SkippedEntry(index, "Patient", f"not well-formed FHIR ({exc})")
                    )
            elif resource.get("resourceType") == "Questionnaire" and is_our_questionnaire(resource):
                questionnaire = resource
        self.repeats = repeating_link_ids(questionnaire)
        self.result.username = self.patient.username
        self.result.birth_year = self.patient.birth_year
        self.result.sex = self.patient.sex
        zone = self.time_zone or self.patient.time_zone or "UTC"
        try:
            self.tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            if self.time_zone:
                raise FhirImportError(f"Unknown time zone {zone!r}.") from None
            reason = f"time zone {zone!r} not understood; times are placed in UTC"
            self.result.skipped.append(SkippedEntry(patient_index or 0, "Patient", reason))
            zone, self.tz = "UTC", ZoneInfo("UTC")
        self.result.time_zone = zone

    # Pass 2: the records ----------------------------------------------------------------------

    def _read_entry(
        self, index: int, entry: Mapping[str, Any], resource: Mapping[str, Any]
    ) -> None:
        kind = str(resource.get("resourceType") or "")
        request = entry.get("request")
        if isinstance(request, Mapping) and request.get("method") == "DELETE":
            raise BadValue("a delete request, not a record")
        if resource.get("status") == "entered-in-error":
            raise BadValue("marked entered-in-error")
        urn = crampwise_urn_of(dict(resource))
        if urn is not None:
            if urn in self.seen_urns:
                raise BadValue(f"a second copy of {urn}")
            self.seen_urns.add(urn)

        if kind == "Patient":
            if self.patient_seen:
                raise BadValue("a second Patient; only the first one is read")
            self.patient_seen = True
        elif kind == "Condition":
            if not is_leg_cramp_condition(resource):
                raise BadValue(
                    "only the sleep-related leg cramps Condition (ICD-10-CM G47.62) is read"
                )
        elif kind == "Observation":
            self._read_observation(index, entry, resource)
        elif kind == "MedicationStatement":
            self.result.medicines.append(read_medication_statement(resource))
        elif kind == "Questionnaire":
            if not is_our_questionnaire(resource):
                raise BadValue("a questionnaire crampwise does not know")
        elif kind == "QuestionnaireResponse":
            if not is_our_response(resource):
                raise BadValue("answers to a questionnaire crampwise does not know")
            assessment = read_questionnaire_response(resource, self.repeats)
            self.result.assessments.append(assessment)
            full_url = entry.get("fullUrl")
            if isinstance(full_url, str):
                self.responses[full_url] = assessment
        else:
            raise BadValue(f"{kind or 'an unknown resource'} is not something crampwise imports")

    def _read_observation(
        self, index: int, entry: Mapping[str, Any], resource: Mapping[str, Any]
    ) -> None:
        code = resource.get("code")
        local = local_code_of(code)
        if local == CRAMPS_PER_NIGHT:
            night, implied = read_night_observation(resource)
            if night.night in self.nights:
                raise BadValue(f"a second record of the night of {night.night}")
            self.nights[night.night] = night
            for spec in implied:
                self._imply_spec(spec)
        elif is_episode(resource):
            self.result.episodes.append(read_episode_observation(resource, self.tz))
        elif has_code(code, LOINC, PAIN_SCORE[1]):
            self._read_pain_only(resource)
        elif local == TRIAL_RATE_RATIO:
            self.result.trial_results.append(read_trial_observation(resource))
        elif local == ASSESSMENT_FLAGS:
            source, flags = read_flags_observation(resource)
            self.flags.append((index, source, flags))
        else:
            names = ", ".join(f"{s}|{c}" for s, c, _ in codings(code)) or concept_text(code)
            raise BadValue(f"Observation code not understood: {names or 'no code'}")

    def _read_pain_only(self, resource: Mapping[str, Any]) -> None:
        """Another app's pain score: the night's worst pain is the highest score of that night."""
        if not _about_the_legs(resource.get("bodySite")):
            raise BadValue("a pain score for somewhere other than the legs")
        pain = whole(component_number(resource, "pain", None), "pain")
        effective = resource.get("effectiveDateTime")
        if effective is None and isinstance(resource.get("effectivePeriod"), Mapping):
            effective = resource["effectivePeriod"].get("start")
        if isinstance(effective, str) and "T" in effective:
            night = night_of(parse_instant(effective, "pain time"), self.tz)
        else:
            night = parse_date(effective, "pain date")  # a bare date names the night, as ours do
        self.pain_only[night] = max(pain, self.pain_only.get(night, 0))

    def _imply_spec(self, spec: FactorSpec) -> None:
        known = self.implied_specs.get(spec.name)
        builtin = builtin_spec(spec.name)
        if builtin is not None:
            self.implied_specs[spec.name] = builtin
        elif known is None:
            label = spec.label if spec.label != spec.name else ""
            self.implied_specs[spec.name] = dataclasses.replace(spec, label=label)
        elif known.kind != spec.kind:
            # Numbers in one night and yes/no in another: a number holds both.
            self.implied_specs[spec.name] = dataclasses.replace(known, kind="count")

    def _skip(
        self,
        index: int,
        kind: str,
        reason: str,
        entry: Mapping[str, Any] | None = None,
        resource: Mapping[str, Any] | None = None,
    ) -> None:
        ident = crampwise_urn_of(dict(resource)) if resource is not None else None
        if ident is None and entry is not None and isinstance(entry.get("fullUrl"), str):
            ident = entry["fullUrl"]
        self.result.skipped.append(SkippedEntry(index, kind, reason, ident or ""))

    def _finish(self) -> None:
        for night, pain in self.pain_only.items():
            record = self.nights.get(night)
            if record is None:
                # A pain score alone says nothing about how many cramps: the count stays missing.
                self.nights[night] = NightRecord(night=night, cramps=None, worst_pain=pain)
            elif record.worst_pain is None or pain > record.worst_pain:
                self.nights[night] = dataclasses.replace(record, worst_pain=pain)
        self.result.nights = sorted(self.nights.values(), key=lambda n: n.night)
        self.result.episodes.sort(key=lambda e: e.started_at)
        declared = {s.name for s in self.patient.factor_specs}
        self.result.factor_specs = list(self.patient.factor_specs) + [
            s for name, s in self.implied_specs.items() if name not in declared
        ]
        for index, source, flags in self.flags:
            assessment = self.responses.get(source or "")
            if assessment is None:
                self.result.skipped.append(
                    SkippedEntry(index, "Observation", "assessment flags without their assessment")
                )
            else:
                assessment["flags"] = flags
        self.result.skipped.sort(key=lambda s: s.index)


_LEG_WORDS = {"leg", "legs"} | {w for words in MUSCLE_WORDS.values() for w in words}


def _about_the_legs(site: Any) -> bool:
    """No body site, or one of ours, or words that name the legs."""
    if site is None:
        return True
    codes = {code for code, _ in MUSCLE_SITES.values()}
    if any(s == SNOMED and c in codes for s, c, _ in codings(site)):
        return True
    return bool(_LEG_WORDS & set(re.findall(r"[a-z]+", concept_text(site).lower())))
