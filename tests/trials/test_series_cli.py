"""`crampwise trial pool`: one pooled answer from many files, its JSON shape, and bad files."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from crampwise.trials.cli import trial
from crampwise.trials.core.series_simulate import SeriesScenario, simulate_series
from crampwise.trials.core.simulate import Scenario

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _write_series(folder: Path, patients: int = 5, seed: int = 1, labels=("placebo", "magnesium")):
    series = simulate_series(
        SeriesScenario(patients, 0.7, 0.2, Scenario(5.0, 1.0, pairs=4, missing=0.05)),
        np.random.default_rng(seed),
    )
    paths = []
    for i, person in enumerate(series.trials):
        lines = ["night,arm,cramps,period"]
        for t, night in enumerate(person.nights):
            day = date(2025, 3, 1) + timedelta(days=t)
            cell = "" if night.cramps is None else str(night.cramps)
            lines.append(f"{day},{labels[int(night.treated)]},{cell},{night.period}")
        path = folder / f"person_{i}.csv"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_json_has_the_population_the_spread_and_every_person(runner, tmp_path):
    paths = _write_series(tmp_path)
    result = runner.invoke(trial, ["pool", *map(str, paths), "--treatment", "magnesium", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["patients"] == 5
    assert isinstance(body["enough_data"], bool)
    population = body["population"]
    low, high = population["rate_ratio"]["ci95"]
    assert low <= population["rate_ratio"]["median"] <= high
    assert 0 <= population["p_meaningful"] <= population["p_reduction"] <= 1
    tau_low, tau_high = body["tau"]["ci95"]
    assert 0 <= tau_low <= body["tau"]["median"] <= tau_high
    assert [p["file"] for p in body["individuals"]] == [str(p) for p in paths]
    for person in body["individuals"]:
        for key in ("rate_ratio", "unpooled"):
            low, high = person[key]["ci95"]
            assert low <= person[key]["median"] <= high
    assert body["summary"] and all(isinstance(s, str) for s in body["summary"])
    assert any("magnesium" in s for s in body["summary"])


def test_plain_text_names_the_typical_person_and_each_file(runner, tmp_path):
    paths = _write_series(tmp_path, patients=4, labels=("control", "treatment"))
    result = runner.invoke(trial, ["pool", *map(str, paths)])
    assert result.exit_code == 0, result.output
    assert "typical person" in result.stdout
    for path in paths:
        assert str(path) in result.stdout


def test_the_same_files_give_the_same_answer(runner, tmp_path):
    paths = _write_series(tmp_path, patients=4, labels=("control", "treatment"))
    first = runner.invoke(trial, ["pool", *map(str, paths), "--json"]).stdout
    second = runner.invoke(trial, ["pool", *map(str, paths), "--json"]).stdout
    assert first == second


def test_threshold_and_washout_reach_the_analysis(runner, tmp_path):
    paths = list(map(str, _write_series(tmp_path, patients=4, labels=("control", "treatment"))))

    def run(*options: str) -> dict:
        result = runner.invoke(trial, ["pool", *paths, "--json", *options])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    plain, strict = run(), run("--threshold", "0.5")
    assert strict["threshold"] == 0.5
    assert strict["population"]["p_meaningful"] < plain["population"]["p_meaningful"]
    washed = run("--washout-nights", "2")
    used = sum(p["nights_used"] for p in washed["individuals"])
    assert used < sum(p["nights_used"] for p in plain["individuals"])


def test_a_bad_file_is_named_with_line_and_column_and_nothing_is_pooled(runner, tmp_path):
    paths = _write_series(tmp_path, patients=3, labels=("control", "treatment"))
    bad = tmp_path / "bad.csv"
    bad.write_text("night,arm,cramps\n2025-03-01,control,2\n2025-03-02,treatment,two\n")
    result = runner.invoke(trial, ["pool", *map(str, paths), str(bad), "--json"])
    assert result.exit_code == 1
    assert f"{bad}, line 3, column 'cramps'" in result.stderr
    body = json.loads(result.stdout)
    assert "population" not in body
    assert body["errors"] == [
        {
            "file": str(bad),
            "error": body["errors"][0]["error"],
            "line": 3,
            "column": "cramps",
        }
    ]


def test_a_missing_file_and_an_unknown_treatment_label_are_clear(runner, tmp_path):
    paths = _write_series(tmp_path, patients=3)
    missing = runner.invoke(trial, ["pool", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1
    assert "nope.csv: no such file" in missing.stderr
    unknown = runner.invoke(trial, ["pool", *map(str, paths), "--treatment", "zinc"])
    assert unknown.exit_code == 1
    assert "--treatment 'zinc' is not one of the labels" in unknown.stderr


def test_a_file_with_one_arm_after_washout_is_left_out_with_a_warning(runner, tmp_path):
    paths = _write_series(tmp_path, patients=3, labels=("control", "treatment"))
    one_arm = tmp_path / "one_arm.csv"
    one_arm.write_text("night,arm,cramps\n2025-03-01,control,2\n2025-03-02,treatment,\n")
    result = runner.invoke(trial, ["pool", *map(str, paths), str(one_arm), "--json"])
    assert result.exit_code == 0, result.output
    assert f"warning: {one_arm}" in result.stderr
    body = json.loads(result.stdout)
    assert body["patients"] == 3
    assert body["left_out"] == [str(one_arm)]


def test_the_command_and_its_options_are_documented():
    cli_docs = (DOCS / "cli.md").read_text()
    assert "trial pool" in cli_docs
    for option in ("--treatment", "--washout-nights", "--threshold", "--json"):
        assert option in cli_docs.split("trial pool", 1)[1]
    assert "Trial series: the pooled answer" in (DOCS / "trials.md").read_text()


def test_below_the_minimum_the_text_shows_no_ratio(runner, tmp_path):
    """Two people only: not enough for a pooled answer, so no numbers that look like one."""
    paths = _write_series(tmp_path, patients=2, labels=("control", "treatment"))
    result = runner.invoke(trial, ["pool", *map(str, paths)])
    assert result.exit_code == 0, result.output
    assert "not yet enough" in result.stdout
    assert "rate ratio" not in result.stdout and "%" not in result.stdout
    body = json.loads(runner.invoke(trial, ["pool", *map(str, paths), "--json"]).stdout)
    assert body["enough_data"] is False
    assert body["patients"] == 2
