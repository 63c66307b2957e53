"""docs/fhir.md describes every code, extension and body site the export writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from crampwise.interop.core import codes as fhir_codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "fhir.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_local_code_is_defined_in_the_docs(doc):
    """Each crampwise code (and each code family) appears in backticks."""
    for code in fhir_codes.LOCAL_CODES:
        family = code.replace("<name>", "")
        assert f"`{code}`" in doc or f"`{family}" in doc, code
    for relief in fhir_codes.RELIEF_LABELS:
        assert f"`relief-{relief}`" in doc, relief


def test_every_extension_and_canonical_url_is_documented(doc):
    """Extension, code system and questionnaire URLs are written out in full."""
    urls = [
        fhir_codes.EXT_NIGHT,
        fhir_codes.EXT_TIME_ZONE,
        fhir_codes.EXT_DAILY_FACTOR,
        fhir_codes.EXT_LATERALITY,
        fhir_codes.CRAMPWISE,
        fhir_codes.ASSESSMENT_FLAG,
        fhir_codes.ASSESSMENT_QUESTIONNAIRE,
    ]
    for url in urls:
        assert url in doc, url


def test_every_standard_code_is_documented_with_its_system(doc):
    """ICD-10-CM, SNOMED CT and LOINC codes in use, body sites and sides included."""
    codes = [fhir_codes.SLEEP_RELATED_LEG_CRAMPS, fhir_codes.MUSCLE_CRAMP, fhir_codes.PAIN_SCORE]
    for system, code, _ in codes:
        assert f"`{code}`" in doc and system in doc, code
    for muscle, (code, display) in fhir_codes.MUSCLE_SITES.items():
        assert f"| {muscle} | `{code}` | {display} |" in doc, muscle
    for code, display in fhir_codes.SIDE_QUALIFIERS.values():
        assert f"`{code}` {display}" in doc, code


def test_the_docs_show_the_transaction_request_format(doc):
    """POST with ifNoneExist on the identifier is spelled out."""
    assert '"method": "POST"' in doc and '"ifNoneExist": "identifier=urn:ietf:rfc:3986%7C' in doc
