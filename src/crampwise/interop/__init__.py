"""Data in and out of crampwise: FHIR R4 export, import and validation (docs/fhir.md).

The modules here are pure: plain records in, plain dicts out, no Django and no I/O beyond reading
the vendored schema (a test enforces it). The Django shell loads a person's rows into
`PatientData`, calls `build_bundle`, and stores what `read_bundle` returns.
"""

from __future__ import annotations

from crampwise.interop.core.bundle_export import build_bundle
from crampwise.interop.core.bundle_import import (
    FhirImportError,
    ImportResult,
    SkippedEntry,
    parse_bundle_json,
    read_bundle,
)
from crampwise.interop.core.patient_data import PatientData
from crampwise.interop.core.validate import validate_bundle

__all__ = [
    "FhirImportError",
    "ImportResult",
    "PatientData",
    "SkippedEntry",
    "build_bundle",
    "parse_bundle_json",
    "read_bundle",
    "validate_bundle",
]
