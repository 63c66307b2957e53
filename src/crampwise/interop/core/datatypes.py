"""Small builders and readers for FHIR data types (plain dicts in, plain dicts out)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from crampwise.interop.core.codes import CRAMPWISE, UCUM, local_display

JsonDict = dict[str, Any]


class BadValue(ValueError):
    """A value in an imported resource that crampwise cannot take; the entry is skipped."""


# Building -----------------------------------------------------------------------------------


def fhir_text(text: str) -> str:
    """Text made acceptable to FHIR's string pattern `^[ \\r\\n\\t\\S]+$`.

    The official schema rejects any whitespace other than space, tab, CR and LF, so a no-break
    space pasted from a phone keyboard would make the whole export invalid. Such whitespace
    becomes a plain space; control characters and lone surrogates (which cannot be encoded) go.
    """
    out = []
    for ch in text:
        if ch in " \t\r\n":
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def coding(system: str, code: str, display: str | None = None) -> JsonDict:
    out: JsonDict = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> JsonDict:
    out: JsonDict = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = fhir_text(text)
    return out


def local_concept(code: str, display: str | None = None) -> JsonDict:
    shown = display or local_display(code)
    return concept(CRAMPWISE, code, shown, shown)


def quantity(value: float | int, unit: tuple[str, str]) -> JsonDict:
    code, human = unit
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        # 3.0 glasses is written 3: the same decimal to FHIR, and shorter.
        value = int(value)
    return {"value": value, "unit": human, "system": UCUM, "code": code}


def reference(full_url: str, display: str | None = None) -> JsonDict:
    out: JsonDict = {"reference": full_url}
    if display:
        out["display"] = fhir_text(display)
    return out


def dt(value: date | datetime) -> str:
    """A FHIR date or dateTime; a time must be aware, and is written with its own offset."""
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            raise ValueError(f"FHIR needs a time zone on {value.isoformat()}")
        if offset.total_seconds() % 60:
            # Old local mean times (e.g. +00:19:32) have no FHIR form; the instant is kept.
            value = value.astimezone(UTC)
    return value.isoformat()


# Reading ------------------------------------------------------------------------------------


def codings(value: Any) -> Iterator[tuple[str, str, str]]:
    """(system, code, display) of each coding in a CodeableConcept, skipping malformed ones."""
    if not isinstance(value, Mapping):
        return
    for c in value.get("coding") or []:
        if isinstance(c, Mapping) and isinstance(c.get("code"), str):
            yield str(c.get("system") or ""), c["code"], str(c.get("display") or "")


def has_code(value: Any, system: str, code: str) -> bool:
    return any(s == system and c == code for s, c, _ in codings(value))


def local_code_of(value: Any) -> str | None:
    """Our own code in a CodeableConcept, if there is one."""
    for system, code, _ in codings(value):
        if system == CRAMPWISE:
            return code
    return None


def concept_text(value: Any) -> str:
    text = value.get("text") if isinstance(value, Mapping) else None
    if isinstance(text, str):
        return text
    for _, _, display in codings(value):
        if display:
            return display
    return ""


def number(value: Any, what: str) -> float:
    """A finite JSON number (FHIR decimal); booleans are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValue(f"{what}: {value!r} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadValue(f"{what}: {value!r} is not a finite number")
    return float(value)


def quantity_value(q: Any, what: str, units: Mapping[str, float] | None = None) -> float:
    """The value of a Quantity, converted by `units` (UCUM code -> factor) when given.

    The first of `units` is the expected unit; a Quantity without a code is taken to be in it,
    since many apps leave the code out.
    """
    if not isinstance(q, Mapping):
        raise BadValue(f"{what}: not a Quantity")
    value = number(q.get("value"), what)
    if units is None:
        return value
    code = q.get("code") or q.get("unit")
    if code is None:
        return value * next(iter(units.values()))
    if code not in units:
        raise BadValue(f"{what}: unit {code!r} not understood")
    return value * units[code]


def whole(value: float, what: str) -> int:
    """A whole number: 3.0 is fine, 3.5 is not.

    Its bounds are not checked here: the import checks every record against the diary's one set
    of limits (diary/core/limits.py) and refuses the file in their words.
    """
    if not float(value).is_integer():
        raise BadValue(f"{what}: {value!r} is not a whole number")
    return int(value)


def component_number(
    comp: Mapping[str, Any], what: str, units: Mapping[str, float] | None
) -> float:
    """The numeric value of a component or observation: valueQuantity or valueInteger."""
    if "valueQuantity" in comp:
        return quantity_value(comp["valueQuantity"], what, units)
    if "valueInteger" in comp:
        return number(comp["valueInteger"], what)
    raise BadValue(f"{what}: no numeric value")


def parse_date(value: Any, what: str) -> date:
    """A full FHIR date (YYYY-MM-DD), or the date as written at the start of a dateTime."""
    if not isinstance(value, str) or len(value) < 10:
        raise BadValue(f"{what}: {value!r} is not a full date")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise BadValue(f"{what}: {value!r} is not a date") from exc


def parse_instant(value: Any, what: str) -> datetime:
    """A FHIR dateTime with a time and a zone; a bare date is not an instant."""
    if not isinstance(value, str) or "T" not in value:
        raise BadValue(f"{what}: {value!r} is not a date and time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadValue(f"{what}: {value!r} is not a date and time") from exc
    if moment.tzinfo is None:
        raise BadValue(f"{what}: {value!r} has no time zone")
    return moment


def extension_value(element: Any, url: str, key: str) -> Any:
    """The `key` value (e.g. valueDate) of the first extension with this url, or None."""
    if not isinstance(element, Mapping):
        return None
    for ext in element.get("extension") or []:
        if isinstance(ext, Mapping) and ext.get("url") == url:
            return ext.get(key)
    return None


def note_text(resource: Mapping[str, Any]) -> str:
    notes = [n.get("text") for n in resource.get("note") or [] if isinstance(n, Mapping)]
    return "\n\n".join(t for t in notes if isinstance(t, str))
