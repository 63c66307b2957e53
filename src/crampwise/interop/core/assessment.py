"""The assessment ("is this nocturnal leg cramps?") <-> Questionnaire, QuestionnaireResponse and
an Observation of the flags it raised.

The Questionnaire's linkIds are the assessment's input keys: age, sex, pregnant, conditions,
medications, and `symptoms.<key>` inside a `symptoms` group. The symptom questions belong to the
guidance app and may grow, so the Questionnaire lists every key met in the exported answers.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crampwise.interop.core.codes import (
    ASSESSMENT_FLAG,
    ASSESSMENT_FLAGS,
    ASSESSMENT_QUESTIONNAIRE,
    ASSESSMENT_QUESTIONNAIRE_VERSION,
)
from crampwise.interop.core.datatypes import (
    BadValue,
    JsonDict,
    codings,
    concept,
    concept_text,
    dt,
    fhir_text,
    local_concept,
    reference,
)
from crampwise.interop.core.ids import decode_part, encode_part, identifier, instant_key
from crampwise.interop.core.night import SURVEY

QUESTIONNAIRE_CANONICAL = f"{ASSESSMENT_QUESTIONNAIRE}|{ASSESSMENT_QUESTIONNAIRE_VERSION}"

# The questions every assessment asks, in the order it asks them: linkId -> (text, type, repeats).
FIXED_ITEMS: dict[str, tuple[str, str, bool]] = {
    "age": ("How old are you?", "integer", False),
    "sex": ("Sex", "string", False),
    "pregnant": ("Are you pregnant?", "boolean", False),
    "conditions": ("Long-term health conditions", "string", True),
    "medications": ("Medicines you take", "string", True),
    "symptoms": ("What happens in your legs", "group", False),
}
FIXED_REPEATS = frozenset(k for k, (_, _, repeats) in FIXED_ITEMS.items() if repeats)


# Normalising the input ----------------------------------------------------------------------


def nest_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """`{"symptoms.x": v}` becomes `{"symptoms": {"x": v}}`; None and empty groups are dropped."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"assessment answer key {key!r} is not a name")
        if isinstance(value, Mapping):
            value = nest_answers(value)
        head, _, rest = key.partition(".")
        if rest:
            value = nest_answers({rest: value})
            head_value = out.setdefault(head, {})
            if not isinstance(head_value, dict):
                raise ValueError(f"assessment answer {head!r} is both a value and a group")
            head_value.update(value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return {k: v for k, v in out.items() if v is not None and v != {}}


def assessment_key(assessment: Mapping[str, Any]) -> str:
    """A stable name for one assessment: its time, else a digest of its answers."""
    at = assessment.get("at")
    if isinstance(at, datetime):
        return instant_key(at)
    if isinstance(at, date):
        return at.isoformat()
    canonical = json.dumps(assessment.get("answers") or {}, sort_keys=True, default=str)
    return "answers-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


# Questionnaire --------------------------------------------------------------------------------


@dataclass
class _Shape:
    type: str
    repeats: bool = False
    children: dict[str, _Shape] = field(default_factory=dict)


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "decimal"
    if isinstance(value, datetime):
        return "dateTime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "string"
    raise TypeError(f"assessment answer {value!r} has no FHIR answer type")


def _merge_shape(shapes: dict[str, _Shape], answers: Mapping[str, Any]) -> None:
    for key, value in answers.items():
        if isinstance(value, Mapping):
            shape = shapes.setdefault(key, _Shape("group"))
            _merge_shape(shape.children, value)
        elif isinstance(value, list | tuple):
            first = next((v for v in value if v is not None), None)
            kind = _value_type(first) if first is not None else "string"
            shapes.setdefault(key, _Shape(kind, repeats=True))
        else:
            shapes.setdefault(key, _Shape(_value_type(value)))


def build_questionnaire(urn: str, all_answers: Sequence[Mapping[str, Any]]) -> JsonDict:
    shapes: dict[str, _Shape] = {
        key: _Shape(kind, repeats) for key, (_, kind, repeats) in FIXED_ITEMS.items()
    }
    for answers in all_answers:
        _merge_shape(shapes, answers)
    return {
        "resourceType": "Questionnaire",
        "url": ASSESSMENT_QUESTIONNAIRE,
        "identifier": [identifier(urn)],
        "version": ASSESSMENT_QUESTIONNAIRE_VERSION,
        "name": "CrampwiseAssessment",
        "title": "Is it nocturnal leg cramps?",
        "status": "active",
        "subjectType": ["Patient"],
        "item": _questionnaire_items(shapes, ""),
    }


def _questionnaire_items(shapes: Mapping[str, _Shape], prefix: str) -> list[JsonDict]:
    items = []
    for key, shape in shapes.items():
        link = prefix + key
        item: JsonDict = {"linkId": link, "text": _item_text(link), "type": shape.type}
        if shape.repeats:
            item["repeats"] = True
        if shape.type == "group":
            children = _questionnaire_items(shape.children, link + ".")
            if not children:
                continue  # FHIR (que-1): a group must hold items
            item["item"] = children
        items.append(item)
    return items


def _item_text(link_id: str) -> str:
    if link_id in FIXED_ITEMS:
        return FIXED_ITEMS[link_id][0]
    return fhir_text(link_id.rsplit(".", 1)[-1].replace("_", " ").capitalize())


# QuestionnaireResponse and flags ------------------------------------------------------------


def build_questionnaire_response(
    answers: Mapping[str, Any], *, urn: str, patient_url: str, at: date | datetime | None
) -> JsonDict:
    response: JsonDict = {
        "resourceType": "QuestionnaireResponse",
        "identifier": identifier(urn),  # a single Identifier on this resource
        "questionnaire": QUESTIONNAIRE_CANONICAL,
        "status": "completed",
        "subject": reference(patient_url),
    }
    if at is not None:
        response["authored"] = dt(at)
    response["author"] = reference(patient_url)
    response["source"] = reference(patient_url)
    items = _response_items(answers, "")
    if items:
        response["item"] = items
    return response


def _response_items(answers: Mapping[str, Any], prefix: str) -> list[JsonDict]:
    items = []
    for key, value in answers.items():
        link = prefix + key
        item: JsonDict = {"linkId": link, "text": _item_text(link)}
        if isinstance(value, Mapping):
            item["item"] = _response_items(value, link + ".")
        else:
            values = value if isinstance(value, list | tuple) else [value]
            answer = [a for a in (_answer(v) for v in values if v is not None) if a]
            if answer:
                item["answer"] = answer
        items.append(item)
    return items


def _answer(value: Any) -> JsonDict | None:
    kind = _value_type(value)
    if kind == "string":
        text = fhir_text(value)
        return {"valueString": text} if text else None
    if kind == "decimal" and not math.isfinite(value):
        raise ValueError(f"assessment answer {value!r} is not a finite number")
    if kind in ("date", "dateTime"):
        return {f"value{kind[0].upper()}{kind[1:]}": dt(value)}
    return {f"value{kind[0].upper()}{kind[1:]}": value}


def build_flags_observation(
    flags: Sequence[Any],
    *,
    urn: str,
    patient_url: str,
    response_url: str,
    at: date | datetime | None,
) -> JsonDict:
    obs: JsonDict = {
        "resourceType": "Observation",
        "identifier": [identifier(urn)],
        "status": "final",
        "category": [SURVEY],
        "code": local_concept(ASSESSMENT_FLAGS),
        "subject": reference(patient_url),
    }
    if at is not None:
        obs["effectiveDateTime"] = dt(at)
    obs["valueInteger"] = len(flags)
    obs["derivedFrom"] = [reference(response_url)]
    components = [_flag_component(flag) for flag in flags]
    if components:
        obs["component"] = components
    return obs


def _flag_component(flag: Any) -> JsonDict:
    """A flag of `guidance.assessment.assess`: its id, message and severity.

    Action and sources are left out: they follow from the id and the evidence base, and the
    answers that raised the flag are in the QuestionnaireResponse.
    """
    if isinstance(flag, str):
        return {"code": concept(ASSESSMENT_FLAG, encode_part(flag)), "valueBoolean": True}
    flag_id = flag.get("id", flag.get("code")) if isinstance(flag, Mapping) else None
    if not isinstance(flag_id, str) or not flag_id:
        raise ValueError(f"assessment flag {flag!r} is neither an id nor a mapping with an id")
    message = fhir_text(str(flag.get("message", flag.get("text")) or ""))
    code = concept(ASSESSMENT_FLAG, encode_part(flag_id), message or None, message or None)
    severity = fhir_text(str(flag.get("severity", flag.get("level")) or ""))
    if severity:
        return {"code": code, "valueString": severity}
    return {"code": code, "valueBoolean": True}


# Reading ------------------------------------------------------------------------------------


def is_our_questionnaire(resource: Mapping[str, Any]) -> bool:
    return resource.get("url") == ASSESSMENT_QUESTIONNAIRE


def is_our_response(resource: Mapping[str, Any]) -> bool:
    canonical = resource.get("questionnaire")
    return isinstance(canonical, str) and canonical.split("|")[0] == ASSESSMENT_QUESTIONNAIRE


def repeating_link_ids(questionnaire: Mapping[str, Any] | None) -> frozenset[str]:
    """linkIds whose answers are lists, from our Questionnaire if the bundle has it."""
    if questionnaire is None:
        return FIXED_REPEATS
    found: set[str] = set()

    def walk(items: Any) -> None:
        for item in items or []:
            if isinstance(item, Mapping):
                if item.get("repeats") is True and isinstance(item.get("linkId"), str):
                    found.add(item["linkId"])
                walk(item.get("item"))

    walk(questionnaire.get("item"))
    return frozenset(found)


def read_questionnaire_response(
    resource: Mapping[str, Any], repeats: frozenset[str]
) -> dict[str, Any]:
    """An assessment dict (answers, and `at` when the response says when) without its flags."""
    out: dict[str, Any] = {"answers": _read_items(resource.get("item"), repeats), "flags": []}
    authored = resource.get("authored")
    if authored is not None:
        out["at"] = _read_moment(authored, "authored")
    return out


def _read_items(items: Any, repeats: frozenset[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("linkId"), str):
            raise BadValue("questionnaire item without a linkId")
        link = item["linkId"]
        key = link.rsplit(".", 1)[-1]
        if "item" in item:
            out[key] = _read_items(item["item"], repeats)
            continue
        values = [_read_answer(a) for a in item.get("answer") or []]
        if link in repeats:
            out[key] = values
        elif len(values) == 1:
            out[key] = values[0]
        elif values:
            out[key] = values
    return out


def _read_answer(answer: Any) -> Any:
    if not isinstance(answer, Mapping):
        raise BadValue("questionnaire answer is not an object")
    for key, value in answer.items():
        if key == "valueDate":
            return _read_moment(value, "answer")
        if key == "valueDateTime":
            return _read_moment(value, "answer")
        if key == "valueCoding" and isinstance(value, Mapping):
            return value.get("code")
        if key.startswith("value"):
            return value
    raise BadValue("questionnaire answer without a value")


def _read_moment(value: Any, what: str) -> date | datetime:
    if not isinstance(value, str):
        raise BadValue(f"{what}: {value!r} is not a date")
    try:
        if "T" in value:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadValue(f"{what}: {value!r} is not a date") from exc


def read_flags_observation(resource: Mapping[str, Any]) -> tuple[str | None, list[Any]]:
    """(the fullUrl of the response it derives from, its flags)."""
    derived = resource.get("derivedFrom") or []
    source = next(
        (d.get("reference") for d in derived if isinstance(d, Mapping) and d.get("reference")), None
    )
    flags: list[Any] = []
    for comp in resource.get("component") or []:
        if not isinstance(comp, Mapping):
            continue
        code = next((c for s, c, _ in codings(comp.get("code")) if s == ASSESSMENT_FLAG), None)
        if code is None:
            continue
        flag: dict[str, Any] = {"id": decode_part(code)}
        if isinstance(comp.get("valueString"), str):
            flag["severity"] = comp["valueString"]
        message = concept_text(comp.get("code"))
        if message:
            flag["message"] = message
        flags.append(flag if len(flag) > 1 else flag["id"])
    return source, flags
