"""Every bundle we build passes the fhir.resources R4B models and the official R4 JSON schema."""

from __future__ import annotations

import copy
import hashlib
from importlib.resources import files

import pytest

from crampwise.interop import build_bundle, validate_bundle
from crampwise.interop.core import validate as fhir_validate
from crampwise.interop.core.validate import model_errors, schema_errors
from tests.interop.fhir_samples import GENERATED_AT, empty_diary, rich_diary

SCHEMA_SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"


@pytest.fixture(scope="module")
def rich_bundle() -> dict:
    return build_bundle(rich_diary(), generated_at=GENERATED_AT)


@pytest.mark.parametrize("bundle_type", ["collection", "transaction"])
@pytest.mark.parametrize("diary", [rich_diary, empty_diary], ids=["rich", "empty"])
def test_every_bundle_we_build_is_valid_under_both_validators(bundle_type, diary):
    """Rich and empty diaries, as collection and as transaction: no model, schema or rule errors."""
    bundle = build_bundle(diary(), bundle_type, generated_at=GENERATED_AT)
    assert model_errors(bundle) == []
    assert schema_errors(bundle) == []
    assert validate_bundle(bundle) == []


def test_the_vendored_schema_is_the_official_r4_schema_unchanged():
    """The file matches the sha256 recorded in data/README.md and is FHIR R4's draft-06 schema."""
    data = files("crampwise.interop").joinpath("data/fhir.schema.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = fhir_validate._schema()
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    readme = files("crampwise.interop").joinpath("data/README.md").read_text(encoding="utf-8")
    assert SCHEMA_SHA256 in readme and "CC0" in readme


def test_each_resource_validator_is_built_once(rich_bundle):
    """Validators are cached per resource type: building them is the slow part."""
    fhir_validate._validator.cache_clear()
    schema_errors(rich_bundle)
    schema_errors(rich_bundle)
    info = fhir_validate._validator.cache_info()
    kinds = {e["resource"]["resourceType"] for e in rich_bundle["entry"]} | {"Bundle"}
    assert info.misses == len(kinds)
    assert info.hits > 0


def break_it(bundle: dict, how: str) -> dict:
    broken = copy.deepcopy(bundle)
    night = broken["entry"][2]["resource"]  # the first night's Observation
    if how == "bundle type not a code":
        broken["type"] = "bogus"
    elif how == "observation status not a code":
        night["status"] = "done"
    elif how == "observation without status":
        del night["status"]
    elif how == "two values at once":
        night["valueString"] = "0"
    elif how == "a no-break space in a string":
        night["code"]["text"] = "cramps\u00a0per night"
    elif how == "gender not a code":
        broken["entry"][0]["resource"]["gender"] = "f"
    elif how == "a month 13":
        night["effectiveDateTime"] = "2025-13-01"
    elif how == "an unknown field":
        night["cramps"] = 2
    elif how == "an unknown resource type":
        night["resourceType"] = "Obsrvation"
    elif how == "a dangling reference":
        night["subject"]["reference"] = "urn:uuid:00000000-0000-5000-8000-000000000000"
    elif how == "a repeated fullUrl":
        broken["entry"][3]["fullUrl"] = broken["entry"][2]["fullUrl"]
    elif how == "a transaction entry without a request":
        broken["type"] = "transaction"
    elif how == "a string where a number belongs":
        night["valueQuantity"]["value"] = "zero"
    else:
        raise AssertionError(how)
    return broken


BREAKAGES = {
    # how -> which layer must catch it
    "bundle type not a code": "schema",
    "observation status not a code": "schema",
    "observation without status": "model",
    "two values at once": "model",
    "a no-break space in a string": "schema",
    "gender not a code": "schema",
    "a month 13": "schema",
    "an unknown field": "schema",
    "an unknown resource type": "schema",
    "a dangling reference": "rules",
    "a repeated fullUrl": "rules",
    "a transaction entry without a request": "rules",
    "a string where a number belongs": "model",
}


@pytest.mark.parametrize(("how", "layer"), BREAKAGES.items())
def test_a_broken_bundle_is_caught(rich_bundle, how, layer):
    """Each kind of damage is reported, by the layer that is meant to catch it, with its place."""
    errors = validate_bundle(break_it(rich_bundle, how))
    assert errors, how
    assert any(e.startswith(f"{layer}:") for e in errors), errors


def test_the_schema_catches_coded_values_the_models_let_through(rich_bundle):
    """fhir.resources does not check codes; the official schema does (why both are used)."""
    broken = break_it(rich_bundle, "observation status not a code")
    assert model_errors(broken) == []
    assert schema_errors(broken) == [
        "schema: entry[2] Observation: status: 'done' is not one of ['registered', 'preliminary', "
        "'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']"
    ]


def test_errors_name_the_entry_and_the_field(rich_bundle):
    """A model error says which entry, which resource type and which field."""
    errors = model_errors(break_it(rich_bundle, "observation without status"))
    assert errors == [
        "model: entry[2] Observation: status: Value for the field 'status' is required."
    ]


def test_validation_can_skip_a_layer(rich_bundle):
    """model=False or schema=False leaves that layer out (the benchmark times them apart)."""
    broken = break_it(rich_bundle, "observation status not a code")
    assert validate_bundle(broken, schema=False) == []
    assert validate_bundle(broken, model=False) != []


def test_something_that_is_not_a_bundle_is_reported_not_raised():
    """A Patient handed to validate_bundle gives errors, not an exception."""
    errors = validate_bundle({"resourceType": "Patient"})
    assert errors and errors[0].startswith("rules: not a Bundle")
