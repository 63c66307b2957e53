"""`crampwise trial analyze`: JSON and readable output, and bad files that do not stop the rest."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from crampwise.trials.cli import trial
from crampwise.trials.core.simulate import Scenario, simulate_trials

DOCS = Path(__file__).resolve().parents[2] / "docs" / "trials.md"


def _write_trial(path: Path, seed: int, labels=("control", "treatment"), period=True) -> Path:
    simulated = simulate_trials(
        Scenario(5, 0.6, pairs=4, missing=0.1), 1, np.random.default_rng(seed)
    )
    header = "night,arm,cramps" + (",period" if period else "")
    lines = [header]
    for t, count in enumerate(simulated.counts[0]):
        night = date(2025, 3, 1) + timedelta(days=t)
        arm = labels[int(simulated.treated[0, t])]
        cell = "" if count < 0 else str(count)
        lines.append(f"{night},{arm},{cell}" + (f",{simulated.period[t]}" if period else ""))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_json_output_has_one_object_per_file_with_the_documented_fields(runner, tmp_path):
    """Two good files give a JSON list of two results and exit code 0."""
    a, b = _write_trial(tmp_path / "a.csv", 1), _write_trial(tmp_path / "b.csv", 2)
    result = runner.invoke(trial, ["analyze", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [r["file"] for r in body] == [str(a), str(b)]
    for report in body:
        for key in (
            "nights_used",
            "rate_ratio",
            "p_reduction",
            "p_meaningful",
            "threshold",
            "model",
        ):
            assert key in report
        low, high = report["rate_ratio"]["ci95"]
        assert low <= report["rate_ratio"]["median"] <= high
        assert 0 <= report["p_meaningful"] <= report["p_reduction"] <= 1


def test_the_threshold_and_washout_options_reach_the_analysis(runner, tmp_path):
    """--threshold 0.5 is echoed back and --washout-nights 2 leaves two nights of each period out."""
    path = _write_trial(tmp_path / "a.csv", 3)
    result = runner.invoke(
        trial, ["analyze", str(path), "--json", "--threshold", "0.5", "--washout-nights", "2"]
    )
    report = json.loads(result.stdout)[0]
    assert report["threshold"] == 0.5
    assert report["washout_nights_excluded"] == 2 * 8


def test_a_bad_file_is_reported_and_the_good_ones_still_analysed(runner, tmp_path):
    """The bad file gets an error object, stderr names file, line and column, exit code is 1."""
    good = _write_trial(tmp_path / "good.csv", 4)
    bad = tmp_path / "bad.csv"
    bad.write_text("night,arm,cramps\n2025-01-01,control,1\n2025-01-02,treatment,lots\n")
    result = runner.invoke(trial, ["analyze", str(bad), str(good), "--json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body[0] == {
        "file": str(bad),
        "error": f"{bad}, line 3, column 'cramps': 'lots' is not a whole number of 0 or more "
        "(leave it empty if not recorded)",
        "line": 3,
        "column": "cramps",
    }
    assert "rate_ratio" in body[1]
    assert f"{bad}, line 3, column 'cramps'" in result.stderr


def test_an_ambiguous_file_needs_the_treatment_option(runner, tmp_path):
    """Labels A and B fail without --treatment and work with it."""
    path = _write_trial(tmp_path / "ab.csv", 5, labels=("A", "B"), period=False)
    failed = runner.invoke(trial, ["analyze", str(path)])
    assert failed.exit_code == 1
    assert "--treatment" in failed.stderr
    ok = runner.invoke(trial, ["analyze", str(path), "--treatment", "B", "--json"])
    assert ok.exit_code == 0
    report = json.loads(ok.stdout)[0]
    assert report["treatment"]["label"] == "B" and report["control"]["label"] == "A"


def test_a_file_with_no_recorded_remedy_night_is_an_error(runner, tmp_path):
    """Nothing to compare is a per-file error, not a crash."""
    path = tmp_path / "empty_arm.csv"
    path.write_text("night,arm,cramps\n2025-01-01,control,1\n2025-01-02,treatment,\n")
    result = runner.invoke(trial, ["analyze", str(path), "--json"])
    assert result.exit_code == 1
    assert "'treatment'" in json.loads(result.stdout)[0]["error"]


def test_a_missing_file_does_not_stop_the_others(runner, tmp_path):
    """A path that does not exist is one error among results."""
    good = _write_trial(tmp_path / "good.csv", 6)
    result = runner.invoke(trial, ["analyze", str(tmp_path / "gone.csv"), str(good), "--json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert "error" in body[0] and "rate_ratio" in body[1]


def test_without_json_it_prints_a_readable_summary(runner, tmp_path):
    """The plain output shows the ratio, its interval and the sentence in words."""
    path = _write_trial(tmp_path / "a.csv", 7)
    result = runner.invoke(trial, ["analyze", str(path)])
    assert result.exit_code == 0
    assert "rate ratio" in result.stdout and "95% interval" in result.stdout
    assert re.search(
        r"(\d+%|More than 99%|Less than 1%) likely that treatment cuts your cramps by at least 20%",
        result.stdout,
    )


def test_blinded_changes_the_limits_statement(runner, tmp_path):
    """Only unblinded results warn about expectation effects."""
    path = _write_trial(tmp_path / "a.csv", 8)
    open_label = json.loads(runner.invoke(trial, ["analyze", str(path), "--json"]).stdout)[0]
    blinded = json.loads(
        runner.invoke(trial, ["analyze", str(path), "--json", "--blinded"]).stdout
    )[0]
    assert "dummy pills" in " ".join(open_label["limits"])
    assert "dummy pills" not in " ".join(blinded["limits"])


@pytest.mark.parametrize("value", ["0", "1.5", "-1"])
def test_an_impossible_threshold_is_a_usage_error(runner, tmp_path, value):
    """--threshold must lie in (0, 1]."""
    path = _write_trial(tmp_path / "a.csv", 9)
    result = runner.invoke(trial, ["analyze", str(path), "--threshold", value])
    assert result.exit_code == 2


def test_every_option_of_trial_analyze_is_documented():
    """docs/trials.md mentions each option of the command."""
    text = DOCS.read_text(encoding="utf-8")
    command = trial.commands["analyze"]
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in text, f"{opt} is not documented in docs/trials.md"


def _write_counts(path: Path, control: list[int], treatment: list[int]) -> Path:
    """Alternating 7-night periods: control, remedy, control, remedy."""
    lines = ["night,arm,cramps,period"]
    night = date(2025, 3, 1)
    for period in range(4):
        counts = (control, treatment)[period % 2][(period // 2) * 7 : (period // 2 + 1) * 7]
        for count in counts:
            lines.append(f"{night},{('control', 'treatment')[period % 2]},{count},{period}")
            night += timedelta(days=1)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_too_few_cramps_give_no_percentage_or_best_guess(runner, tmp_path):
    """Nine cramps in four weeks: enough_data is false and the text says how long it may take."""
    control = [1, 0, 1, 0, 1, 0, 1] + [0, 1, 0, 0, 1, 0, 0]  # 6 cramps
    treatment = [0, 1, 0, 0, 0, 1, 0] + [0, 0, 1, 0, 0, 0, 0]  # 3 cramps
    path = _write_counts(tmp_path / "few.csv", control, treatment)
    body = json.loads(runner.invoke(trial, ["analyze", str(path), "--json"]).stdout)[0]
    assert body["enough_data"] is False and body["evidence"]["cramps"] == 9
    text = " ".join(body["summary"])
    assert "not yet enough cramps to tell" in text and "about 1 more week" in text
    assert "%" not in text and "Best guess" not in text
    readable = runner.invoke(trial, ["analyze", str(path)]).stdout
    assert "rate ratio" not in readable and "P(ratio" not in readable and "%" not in readable


def test_ten_cramps_over_two_periods_each_give_an_answer(runner, tmp_path):
    """One cramp more than above crosses the minimum: the percentages come back."""
    control = [1, 0, 1, 0, 1, 0, 1] + [0, 1, 0, 1, 1, 0, 0]  # 7 cramps
    treatment = [0, 1, 0, 0, 0, 1, 0] + [0, 0, 1, 0, 0, 0, 0]  # 3 cramps
    path = _write_counts(tmp_path / "ten.csv", control, treatment)
    body = json.loads(runner.invoke(trial, ["analyze", str(path), "--json"]).stdout)[0]
    assert body["enough_data"] is True
    assert any("likely that" in s for s in body["summary"])
    assert "rate ratio" in runner.invoke(trial, ["analyze", str(path)]).stdout
