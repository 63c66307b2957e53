"""A person's diary as a FHIR R4 Bundle: `collection` for a file, `transaction` for a server."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crampwise.diary.core.records import FactorSpec
from crampwise.interop.core.assessment import (
    assessment_key,
    build_flags_observation,
    build_questionnaire,
    build_questionnaire_response,
    nest_answers,
)
from crampwise.interop.core.datatypes import JsonDict, dt
from crampwise.interop.core.episode import build_episode_observation
from crampwise.interop.core.ids import full_url, if_none_exist, instant_key, urn, uuid_for
from crampwise.interop.core.medicine import build_medication_statement
from crampwise.interop.core.night import build_night_observation, night_has_data
from crampwise.interop.core.patient import build_condition, build_patient, builtin_spec
from crampwise.interop.core.patient_data import PatientData
from crampwise.interop.core.trial import build_trial_observation, normalise_trial_result

BundleType = Literal["collection", "transaction"]
BUNDLE_TYPES = ("collection", "transaction")


def build_bundle(
    data: PatientData, bundle_type: BundleType = "collection", *, generated_at: datetime
) -> JsonDict:
    """Everything in `data` as one Bundle; the same data and time give the same bundle, byte for byte.

    Nights without any answer are left out (missing is not zero); a night with a count of 0 is in.
    """
    if bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"bundle_type must be one of {BUNDLE_TYPES}, not {bundle_type!r}")
    if generated_at.utcoffset() is None:
        raise ValueError("generated_at needs a time zone: FHIR instants carry one")
    resources = list(_resources(data, generated_at=generated_at))
    seen: set[str] = set()
    for key, _ in resources:
        if key in seen:
            raise ValueError(f"two records share the identifier {key}")
        seen.add(key)
    return {
        "resourceType": "Bundle",
        "id": uuid_for(f"bundle:{data.username}:{bundle_type}:{instant_key(generated_at)}"),
        "type": bundle_type,
        "timestamp": dt(generated_at),
        "entry": [_entry(key, resource, bundle_type) for key, resource in resources],
    }


def _entry(key: str, resource: JsonDict, bundle_type: str) -> JsonDict:
    entry: JsonDict = {"fullUrl": full_url(key)}
    if bundle_type == "transaction":
        # The server assigns ids on create, so the resource goes without one; the conditional
        # create on our identifier makes sending the same export twice harmless.
        entry["resource"] = resource
        entry["request"] = {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": if_none_exist(key),
        }
    else:
        entry["resource"] = {"resourceType": resource["resourceType"], "id": uuid_for(key)} | {
            k: v for k, v in resource.items() if k != "resourceType"
        }
    return entry


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _resources(data: PatientData, *, generated_at: datetime) -> Iterator[tuple[str, JsonDict]]:
    """(identifier, resource) pairs in bundle order: who, what, then the records."""
    user = data.username
    tz = _zone(data.time_zone)
    today = generated_at.astimezone(tz).date()  # the person's today decides if a medicine stopped
    patient_key = urn("patient", user)
    patient_url = full_url(patient_key)
    yield (
        patient_key,
        build_patient(patient_key, data.birth_year, data.sex, data.time_zone, data.factor_specs),
    )
    condition_key = urn("condition", user, "G47.62")
    condition_url = full_url(condition_key)
    yield condition_key, build_condition(condition_key, patient_url)

    episodes = sorted(data.episodes, key=lambda e: e.started_at)
    episode_keys = _numbered([urn("episode", user, instant_key(e.started_at)) for e in episodes])
    members: dict[date, list[str]] = defaultdict(list)
    for episode, key in zip(episodes, episode_keys, strict=True):
        members[episode.night].append(full_url(key))

    specs: dict[str, FactorSpec] = {s.name: s for s in data.factor_specs}
    for night in sorted(data.nights, key=lambda n: n.night):
        for name in night.factors:
            builtin = builtin_spec(name)
            if name not in specs and builtin is not None:
                specs[name] = builtin
        if night_has_data(night):
            key = urn("night", user, night.night)
            yield (
                key,
                build_night_observation(
                    night,
                    urn=key,
                    patient_url=patient_url,
                    specs=specs,
                    member_urls=members.get(night.night, ()),
                ),
            )

    for episode, key in zip(episodes, episode_keys, strict=True):
        yield key, build_episode_observation(episode, urn=key, patient_url=patient_url, tz=tz)

    medicine_keys = _numbered(
        [urn("medicine", user, m.name, m.started or "undated") for m in data.medicines]
    )
    for medicine, key in zip(data.medicines, medicine_keys, strict=True):
        yield (
            key,
            build_medication_statement(
                medicine, urn=key, patient_url=patient_url, condition_url=condition_url, today=today
            ),
        )

    if data.assessments:
        answers = [nest_answers(a.get("answers") or {}) for a in data.assessments]
        questionnaire_key = urn("questionnaire", "assessment", "1")
        yield questionnaire_key, build_questionnaire(questionnaire_key, answers)
        keys = _numbered([urn("assessment", user, assessment_key(a)) for a in data.assessments])
        for assessment, nested, key in zip(data.assessments, answers, keys, strict=True):
            at = assessment.get("at")
            yield key, build_questionnaire_response(nested, urn=key, patient_url=patient_url, at=at)
            flags_key = key.replace(":assessment:", ":assessment-flags:", 1)
            yield (
                flags_key,
                build_flags_observation(
                    list(assessment.get("flags") or []),
                    urn=flags_key,
                    patient_url=patient_url,
                    response_url=full_url(key),
                    at=at,
                ),
            )

    trials = [normalise_trial_result(t) for t in data.trial_results]
    trial_keys = _numbered(
        [urn("trial", user, t["remedy"], t["started"] or "undated") for t in trials]
    )
    for trial, key in zip(trials, trial_keys, strict=True):
        yield key, build_trial_observation(trial, urn=key, patient_url=patient_url)


def _numbered(keys: list[str]) -> list[str]:
    """Repeated identifiers get :2, :3... in order, so two cramps logged in the same second or the
    same medicine listed twice stay two records."""
    count: dict[str, int] = defaultdict(int)
    out = []
    for key in keys:
        count[key] += 1
        out.append(key if count[key] == 1 else f"{key}:{count[key]}")
    return out
