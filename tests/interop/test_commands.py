"""FHIR export and import from the command line, against a real database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.interop import validate_bundle

pytestmark = pytest.mark.django_db


def test_export_fhir_then_import_into_a_new_account_gives_the_same_csv(tmp_path, django_user_model):
    """Round trip: FHIR export, import elsewhere, CSV export equals the original CSV."""
    runner = CliRunner()
    runner.invoke(main, ["demo", "--username", "src", "--nights", "45", "--seed", "5"])
    django_user_model.objects.create_user("dst", password="long-password-for-dst")
    bundle_file = tmp_path / "bundle.json"
    result = runner.invoke(main, ["export", "fhir", "--username", "src", "--out", str(bundle_file)])
    assert result.exit_code == 0, result.output
    bundle = json.loads(bundle_file.read_text())
    assert bundle["type"] == "collection" and validate_bundle(bundle) == []
    imported = runner.invoke(
        main, ["import", "fhir", str(bundle_file), "--username", "dst", "--json"]
    )
    assert imported.exit_code == 0, imported.output
    original = runner.invoke(main, ["export", "csv", "--username", "src"]).output
    copied = runner.invoke(main, ["export", "csv", "--username", "dst"]).output
    assert copied == original and original.count("\n") > 20
    again = runner.invoke(main, ["import", "fhir", str(bundle_file), "--username", "dst", "--json"])
    assert json.loads(again.output)["episodes"] == 0  # a repeated import adds no duplicate episodes


def test_export_fhir_as_a_transaction_has_requests(tmp_path):
    """--transaction writes request entries for a FHIR server."""
    runner = CliRunner()
    runner.invoke(main, ["demo", "--username", "tx", "--nights", "10"])
    out = tmp_path / "tx.json"
    assert (
        runner.invoke(
            main, ["export", "fhir", "--username", "tx", "--transaction", "--out", str(out)]
        ).exit_code
        == 0
    )
    bundle = json.loads(out.read_text())
    assert bundle["type"] == "transaction"
    assert all(entry["request"]["method"] in ("POST", "PUT") for entry in bundle["entry"])


def test_import_fhir_refuses_a_file_that_is_not_a_bundle(tmp_path, owner):
    """A clear error names the file."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Patient"}')
    result = CliRunner().invoke(main, ["import", "fhir", str(bad), "--username", "alice"])
    assert result.exit_code != 0 and str(bad) in result.output
