"""The click command ``assess FILE [--json]``, run through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crampwise.guidance.cli import assess as assess_command


def run(tmp_path, data, *args, raw=None):
    path = tmp_path / "answers.json"
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    return CliRunner().invoke(assess_command, [str(path), *args])


def test_it_prints_the_assessment_as_json(tmp_path, answers):
    """--json prints the same dict that assess() returns."""
    result = run(tmp_path, answers(age=70, medications=["Lasix 40mg"]), "--json")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["flags"][0]["id"] == "medicine_associated_with_cramps"
    assert output["plan"]["steps"][0]["id"] == "stretching"


def test_it_prints_plain_text_with_red_flags_first(tmp_path, answers):
    """Without --json, an emergency is printed first and the plan is absent."""
    result = run(tmp_path, answers(symptoms=["chest_pain_or_breathless"]))
    assert result.exit_code == 0
    assert result.output.startswith("[EMERGENCY]")
    assert "What you can do" not in result.output


def test_plain_text_shows_the_plan_and_the_evidence_version(tmp_path, answers):
    """A calm case prints steps, questions, trials and the version."""
    result = run(tmp_path, answers(medications=["Frobnix"]))
    assert "What you can do:" in result.output
    assert "Not recognised (ask your pharmacist): Frobnix" in result.output
    assert "Evidence version" in result.output


def test_invalid_answers_exit_with_status_two_and_name_the_field(tmp_path, answers):
    """Bad input: exit code 2 and the field's message, as JSON with --json."""
    data = answers()
    data["symptoms"]["occurs_in_bed"] = "yes"
    result = run(tmp_path, data, "--json")
    assert result.exit_code == 2
    assert json.loads(result.output) == {"errors": ["symptoms.occurs_in_bed must be true or false"]}


def test_invalid_json_exits_with_status_two(tmp_path):
    """A file that is not JSON is reported plainly."""
    result = run(tmp_path, None, raw="{not json")
    assert result.exit_code == 2
    assert "is not valid JSON" in result.output


def test_it_reads_standard_input_when_the_file_is_a_dash(answers):
    """``assess - --json`` reads the answers from stdin."""
    result = CliRunner().invoke(assess_command, ["-", "--json"], input=json.dumps(answers()))
    assert result.exit_code == 0
    assert json.loads(result.output)["flags"] == []


def test_the_main_cli_offers_the_command_as_assess():
    """``crampwise assess`` is the command from this module, found by its name."""
    cli = pytest.importorskip("crampwise.cli")
    assert cli.main.get_command(None, "assess") is assess_command
