"""Check a Bundle three ways: the fhir.resources R4B models, the official FHIR R4 JSON Schema, and
the few Bundle rules neither of them checks (unique fullUrls, requests, internal references).

The models catch structure (required fields, types, one value[x]); the schema catches coded values
(`Bundle.type`, `Observation.status`) and FHIR's string patterns, which the models let through.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import Any

from jsonschema import Draft6Validator
from jsonschema.exceptions import ValidationError, best_match, relevance

MAX_ERRORS_PER_RESOURCE = 10


def validate_bundle(
    bundle: Mapping[str, Any], *, model: bool = True, schema: bool = True
) -> list[str]:
    """Problems with a Bundle, one sentence each; an empty list means it is valid."""
    errors = bundle_rule_errors(bundle)
    if model:
        errors += model_errors(bundle)
    if schema:
        errors += schema_errors(bundle)
    return errors


# fhir.resources ---------------------------------------------------------------------------------


def model_errors(bundle: Mapping[str, Any]) -> list[str]:
    """Errors from `fhir.resources` R4B (JSON-compatible with R4 for the resources we use)."""
    from fhir.resources.R4B.bundle import Bundle  # slow import (~0.2 s); only when validating
    from pydantic import ValidationError as ModelError

    try:
        Bundle.model_validate(dict(bundle))
    except ModelError as exc:
        return [f"model: {_where(bundle, err['loc'])}: {err['msg']}" for err in exc.errors()]
    except (KeyError, TypeError, AttributeError) as exc:
        # fhir.resources raises a bare KeyError for an unknown resourceType, for one.
        return [f"model: the bundle cannot be read as FHIR R4B ({type(exc).__name__}: {exc})"]
    return []


def _where(bundle: Mapping[str, Any], loc: tuple[Any, ...] | list[Any]) -> str:
    """`entry[3] Observation: component[0].valueQuantity` from a pydantic or jsonschema path."""
    parts = list(loc)
    prefix = "Bundle"
    if (
        len(parts) >= 3
        and parts[0] == "entry"
        and isinstance(parts[1], int)
        and parts[2] == "resource"
    ):
        index = parts[1]
        try:
            kind = bundle["entry"][index]["resource"].get("resourceType", "?")
        except (KeyError, IndexError, TypeError, AttributeError):
            kind = "?"
        prefix, parts = f"entry[{index}] {kind}", parts[3:]
    return prefix + (": " + _dotted(parts) if parts else "")


def _dotted(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Official JSON schema ---------------------------------------------------------------------------


@functools.cache
def _schema() -> dict[str, Any]:
    text = files("crampwise.interop").joinpath("data/fhir.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _validator(resource_type: str) -> Draft6Validator | None:
    """A validator for one resource type, built once.

    Checking a resource against its own definition, instead of the schema's top-level oneOf over
    all 146 resource types, is about 12 times faster on a year's diary
    (benchmarks/interop_fhir_speed.py --compare-naive) and names the real error instead of "is not
    valid under any of the given schemas".
    """
    schema = _schema()
    if resource_type not in schema["discriminator"]["mapping"]:
        return None
    return Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": schema["definitions"]}
    )


def schema_errors(bundle: Mapping[str, Any]) -> list[str]:
    """Errors from the official FHIR R4 JSON Schema, the Bundle shell and each resource apart."""
    bundle_validator = _validator("Bundle")
    assert bundle_validator is not None
    shell = dict(bundle)
    entries = bundle.get("entry")
    if isinstance(entries, list):
        # The shell is checked without its resources; each resource by its own type below.
        shell["entry"] = [
            {k: v for k, v in e.items() if k != "resource"} if isinstance(e, Mapping) else e
            for e in entries
        ]
    errors = [
        f"schema: {_where(bundle, e.absolute_path)}: {e.message}"
        for e in _ranked(bundle_validator, shell)
    ]
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            continue
        kind = resource.get("resourceType")
        validator = _validator(kind) if isinstance(kind, str) else None
        if validator is None:
            errors.append(f"schema: entry[{index}]: unknown resourceType {kind!r}")
            continue
        for err in _ranked(validator, resource):
            path = ["entry", index, "resource", *err.absolute_path]
            errors.append(f"schema: {_where(bundle, path)}: {_short(err.message)}")
    return errors


def _ranked(validator: Draft6Validator, instance: Any) -> Iterator[ValidationError]:
    """The most relevant error first (jsonschema's best_match), then the rest, capped."""
    found = list(validator.iter_errors(instance))
    if not found:
        return
    first = best_match(found)
    assert first is not None
    yield first
    rest = sorted((e for e in found if e is not first), key=relevance)
    yield from rest[: MAX_ERRORS_PER_RESOURCE - 1]


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


# Bundle rules -----------------------------------------------------------------------------------


def bundle_rule_errors(bundle: Mapping[str, Any]) -> list[str]:
    """Rules of Bundle that the schema and models do not check."""
    if bundle.get("resourceType") != "Bundle":
        return [f"rules: not a Bundle (resourceType {bundle.get('resourceType')!r})"]
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        return ["rules: Bundle.entry is not a list"]
    errors = []
    kind = bundle.get("type")
    needs_request = kind in ("transaction", "batch", "history")
    full_urls: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        url = entry.get("fullUrl")
        if isinstance(url, str):
            if url in full_urls:
                errors.append(f"rules: entry[{index}]: fullUrl {url} is used twice (bdl-7)")
            full_urls.add(url)
        if needs_request and "request" not in entry:
            errors.append(f"rules: entry[{index}]: a {kind} entry needs a request (bdl-3)")
        if not needs_request and "request" in entry:
            errors.append(f"rules: entry[{index}]: a {kind} entry cannot have a request (bdl-3)")
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        for ref in _references(resource):
            if ref.startswith("urn:uuid:") and ref not in full_urls:
                errors.append(f"rules: entry[{index}]: reference {ref} is not in the bundle")
    return errors


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)
