"""JSON Schemas of the assessment's input and output, for API docs and contract tests.

``inputs.parse_input`` gives the friendly error messages; these schemas state the same contract
in a standard form (docs/guidance.md shows them; tests check that the two agree).
"""

from __future__ import annotations

from typing import Any

from crampwise.guidance.core.inputs import MAX_AGE, SEXES, SYMPTOMS, condition_ids

FLAG_IDS = (
    "emergency_possible_pulmonary_embolism",
    "urgent_possible_dvt",
    "urgent_prolonged_cramp",
    "urgent_statin_muscle_damage",
    "urgent_possible_muscle_breakdown",
    "urgent_quinine_bleeding",
    "urgent_tetanus_risk",
    "consider_restless_legs",
    "consider_claudication",
    "consider_neuropathy",
    "see_doctor_muscle_weakness",
    "see_doctor_nerve_or_muscle_signs",
    "review_quinine",
    "review_muscle_relaxant",
    "meets_sleep_related_leg_cramp_criteria",
    "risk_factor_age",
    "risk_factor_sex",
    "risk_factor_pregnancy",
    "risk_factor_condition",
    "medicine_associated_with_cramps",
)


def input_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "crampwise assessment input",
        "type": "object",
        "required": ["age", "sex", "pregnant", "conditions", "medications", "symptoms"],
        "additionalProperties": True,
        "properties": {
            "age": {"type": "integer", "minimum": 0, "maximum": MAX_AGE},
            "sex": {"enum": list(SEXES)},
            "pregnant": {"type": "boolean"},
            "conditions": {"type": "array", "items": {"enum": list(condition_ids())}},
            "medications": {
                "type": "array",
                "maxItems": 100,
                "items": {"type": "string", "maxLength": 200},
                "description": 'Free text as a person types it, e.g. "Lasix 40mg".',
            },
            "symptoms": {
                "type": "object",
                "required": list(SYMPTOMS),
                "additionalProperties": False,
                "properties": {name: {"type": "boolean"} for name in SYMPTOMS},
            },
        },
    }


_SOURCES = {"type": "array", "items": {"type": "string"}}
_ITEM_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string"},
    "text": {"type": "string"},
    "sources": _SOURCES,
}
_ITEM: dict[str, Any] = {
    "type": "object",
    "required": ["id", "text", "sources"],
    "properties": _ITEM_PROPERTIES,
}


def output_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "crampwise assessment output",
        "type": "object",
        "required": [
            "evidence_version",
            "urgent",
            "flags",
            "medicines",
            "unrecognised_medicines",
            "plan",
            "note",
            "bibliography",
        ],
        "additionalProperties": False,
        "properties": {
            "evidence_version": {"type": "string"},
            "urgent": {"type": "boolean"},
            "flags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "severity", "message", "action", "sources"],
                    "properties": {
                        "id": {"enum": list(FLAG_IDS)},
                        "severity": {"enum": ["emergency", "urgent", "routine", "info"]},
                        "message": {"type": "string", "minLength": 1},
                        "action": {"type": ["string", "null"]},
                        "sources": {**_SOURCES, "minItems": 1},
                        "medicine": {"type": "string"},
                        "class": {"type": "string"},
                        "atc": {"type": ["string", "null"]},
                        "strength": {
                            "enum": ["strong", "moderate", "weak", "reported", "label", "same_type"]
                        },
                        "condition": {"type": "string"},
                    },
                    "allOf": [
                        {
                            "if": {
                                "properties": {"id": {"const": "medicine_associated_with_cramps"}}
                            },
                            "then": {"required": ["medicine", "class", "atc", "strength"]},
                        },
                        {
                            "if": {"properties": {"id": {"const": "risk_factor_condition"}}},
                            "then": {"required": ["condition"]},
                        },
                    ],
                },
            },
            "medicines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["text", "status", "read_as", "fuzzy", "ingredients"],
                    "properties": {
                        "text": {"type": "string"},
                        "status": {
                            "enum": ["linked", "no_known_link", "not_checked", "not_recognised"]
                        },
                        "read_as": {"type": "array", "items": {"type": "string"}},
                        "fuzzy": {"type": "boolean"},
                        "ingredients": {"type": "array"},
                    },
                },
            },
            "unrecognised_medicines": {"type": "array", "items": {"type": "string"}},
            "plan": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["steps", "ask_doctor", "trials", "held_back"],
                        "additionalProperties": False,
                        "properties": {
                            "steps": {"type": "array", "items": _ITEM},
                            "ask_doctor": {"type": "array", "items": _ITEM},
                            "held_back": {
                                "type": "array",
                                "items": {
                                    **_ITEM,
                                    "properties": {
                                        **_ITEM_PROPERTIES,
                                        "id": {
                                            "enum": [
                                                "nerve_or_muscle_signs",
                                                "under_18",
                                                "restless_legs",
                                                "not_night_cramps",
                                            ]
                                        },
                                    },
                                },
                            },
                            "trials": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": [
                                        "remedy",
                                        "name",
                                        "text",
                                        "grade",
                                        "default_period_nights",
                                        "washout_nights",
                                        "needs_prescriber_agreement",
                                        "sources",
                                    ],
                                },
                            },
                        },
                    },
                ]
            },
            "note": {"type": "string"},
            "bibliography": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
