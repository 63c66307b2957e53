"""One cramp logged in the night <-> one Observation (SNOMED CT 55300003 "Muscle cramp")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crampwise.diary.core.nights import night_of
from crampwise.diary.core.records import RELIEFS, EpisodeRecord
from crampwise.interop.core.codes import (
    CRAMP_DURATION,
    EXT_LATERALITY,
    EXT_NIGHT,
    LOINC,
    MUSCLE_CRAMP,
    MUSCLE_SITES,
    MUSCLE_WORDS,
    PAIN_SCORE,
    RELIEF_PREFIX,
    SIDE_QUALIFIERS,
    SNOMED,
    UNIT_MINUTES,
    UNIT_SCORE,
)
from crampwise.interop.core.datatypes import (
    JsonDict,
    coding,
    codings,
    component_number,
    concept,
    concept_text,
    dt,
    extension_value,
    has_code,
    local_code_of,
    local_concept,
    parse_date,
    parse_instant,
    quantity,
    reference,
    whole,
)
from crampwise.interop.core.ids import identifier
from crampwise.interop.core.night import MINUTE_UNITS, SURVEY


def build_episode_observation(
    episode: EpisodeRecord, *, urn: str, patient_url: str, tz: ZoneInfo
) -> JsonDict:
    """The cramp's Observation; times are written in the person's own zone, as they lived them."""
    start = episode.started_at.astimezone(tz)
    period: JsonDict = {"start": dt(start)}
    if episode.duration_seconds is not None:
        period["end"] = dt(start + timedelta(seconds=episode.duration_seconds))
    system, code, display = MUSCLE_CRAMP
    obs: JsonDict = {
        "resourceType": "Observation",
        # The night it belongs to, as the person's day boundary decided when it was logged.
        "extension": [{"url": EXT_NIGHT, "valueDate": episode.night.isoformat()}],
        "identifier": [identifier(urn)],
        "status": "final",
        "category": [SURVEY],
        "code": concept(system, code, display, "Leg cramp"),
        "subject": reference(patient_url),
        "effectivePeriod": period,
        "performer": [reference(patient_url)],
    }
    unknown = set(episode.reliefs) - set(RELIEFS)
    if unknown:
        raise ValueError(
            f"cramp at {episode.started_at.isoformat()}: unknown reliefs {sorted(unknown)}"
        )
    site = body_site(episode.muscle, episode.side)
    if site:
        obs["bodySite"] = site
    components: list[JsonDict] = []
    if episode.duration_seconds is not None:
        minutes = round(episode.duration_seconds / 60, 4)  # exact back to whole seconds
        components.append(
            {
                "code": local_concept(CRAMP_DURATION),
                "valueQuantity": quantity(minutes, UNIT_MINUTES),
            }
        )
    if episode.pain is not None:
        components.append(
            {"code": concept(*PAIN_SCORE), "valueQuantity": quantity(episode.pain, UNIT_SCORE)}
        )
    for relief in episode.reliefs:
        components.append({"code": local_concept(RELIEF_PREFIX + relief), "valueBoolean": True})
    if components:
        obs["component"] = components
    return obs


def body_site(muscle: str | None, side: str | None) -> JsonDict | None:
    """SNOMED CT body structure plus a laterality qualifier; the text says it in words."""
    if muscle is None and side is None:
        return None
    # A value outside the diary's lists would come back as nothing on import: refuse it here.
    if muscle is not None and muscle not in MUSCLE_SITES:
        raise ValueError(f"unknown muscle {muscle!r}; expected one of {sorted(MUSCLE_SITES)}")
    if side is not None and side not in SIDE_QUALIFIERS:
        raise ValueError(f"unknown side {side!r}; expected one of {sorted(SIDE_QUALIFIERS)}")
    site: JsonDict = {}
    if side is not None:
        code, display = SIDE_QUALIFIERS[side]
        site["extension"] = [
            {"url": EXT_LATERALITY, "valueCodeableConcept": concept(SNOMED, code, display)}
        ]
    if muscle is not None:
        code, display = MUSCLE_SITES[muscle]
        site["coding"] = [coding(SNOMED, code, display)]
    site["text"] = _site_words(muscle, side)
    return site


def _site_words(muscle: str | None, side: str | None) -> str:
    if muscle is None:
        return "Both legs" if side == "both" else f"{str(side).capitalize()} leg"
    if side is None:
        return muscle.capitalize()
    if side == "both":
        return f"{muscle.capitalize()}, both sides"
    return f"{side.capitalize()} {muscle}"


# Reading ------------------------------------------------------------------------------------


def is_episode(resource: Mapping[str, Any]) -> bool:
    return has_code(resource.get("code"), MUSCLE_CRAMP[0], MUSCLE_CRAMP[1])


def read_episode_observation(resource: Mapping[str, Any], tz: ZoneInfo) -> EpisodeRecord:
    """An episode from our export or another app's; the night comes from our extension if there,
    else from the start time and the default day boundary in the person's zone."""
    period = resource.get("effectivePeriod")
    if isinstance(period, Mapping):
        started = parse_instant(period.get("start"), "cramp start")
        end = period.get("end")
    else:
        started = parse_instant(resource.get("effectiveDateTime"), "cramp start")
        end = None
    night_value = extension_value(resource, EXT_NIGHT, "valueDate")
    night: date = (
        parse_date(night_value, "night") if night_value is not None else night_of(started, tz)
    )

    duration = None
    pain = None
    reliefs: list[str] = []
    for comp in resource.get("component") or []:
        if not isinstance(comp, Mapping):
            continue
        code = comp.get("code")
        if has_code(code, LOINC, PAIN_SCORE[1]):
            pain = whole(component_number(comp, "pain", None), "pain")
            continue
        local = local_code_of(code)
        if local == CRAMP_DURATION:
            minutes = component_number(comp, "duration", MINUTE_UNITS)
            duration = whole(round(minutes * 60), "duration in seconds")
        elif local is not None and local.startswith(RELIEF_PREFIX):
            relief = local.removeprefix(RELIEF_PREFIX)
            if relief in RELIEFS and comp.get("valueBoolean") is True and relief not in reliefs:
                reliefs.append(relief)
    if duration is None and end is not None:
        seconds = (parse_instant(end, "cramp end") - started).total_seconds()
        duration = whole(round(seconds), "duration in seconds")

    muscle, side = read_body_site(resource.get("bodySite"))
    return EpisodeRecord(
        night=night,
        started_at=started,
        local_hour=started.astimezone(tz).hour,
        duration_seconds=duration,
        muscle=muscle,
        side=side,
        pain=pain,
        reliefs=tuple(reliefs),
    )


def read_body_site(site: Any) -> tuple[str | None, str | None]:
    """Muscle and side from SNOMED CT codes, else from the words of the text."""
    if not isinstance(site, Mapping):
        return None, None
    by_code = {code: muscle for muscle, (code, _) in MUSCLE_SITES.items()}
    muscle = next((by_code[c] for s, c, _ in codings(site) if s == SNOMED and c in by_code), None)
    words = re.findall(r"[a-z]+", concept_text(site).lower())
    if muscle is None:
        muscle = next((m for m, names in MUSCLE_WORDS.items() if set(names) & set(words)), None)
    qualifier = extension_value(site, EXT_LATERALITY, "valueCodeableConcept")
    by_side = {code: side for side, (code, _) in SIDE_QUALIFIERS.items()}
    side = next(
        (by_side[c] for s, c, _ in codings(qualifier) if s == SNOMED and c in by_side), None
    )
    if side is None:
        if {"both", "bilateral"} & set(words) or {"left", "right"} <= set(words):
            side = "both"
        elif "left" in words:
            side = "left"
        elif "right" in words:
            side = "right"
    return muscle, side
