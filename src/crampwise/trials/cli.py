"""``crampwise trial``: analyse personal trials from CSV files.

Each file is analysed on its own. A bad file does not stop the others: its problem goes to stderr
(and, with --json, into its own object's ``error`` field), the good files are reported as usual, and
the exit code is 1 so that scripts notice. The lead registers this group in ``crampwise.cli``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crampwise.trials.core.analysis import (
    DEFAULT_THRESHOLD,
    NotEnoughNights,
    TrialAnalysis,
    analyze,
)
from crampwise.trials.core.csv_input import TrialFile, TrialFileError, read_trial_file
from crampwise.trials.core.wording import limits_sentences, result_sentences


@click.group(name="trial")
def trial() -> None:
    """Personal randomized trials (N-of-1)."""


@trial.command(name="analyze")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path))
@click.option("--treatment", metavar="LABEL", help="The arm label of the remedy nights.")
@click.option(
    "--washout-nights",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Leave out the first N nights of each period (or of each run of one arm).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Rate ratio that counts as a worthwhile cut (0.8 = at least 20% fewer cramps).",
)
@click.option("--blinded", is_flag=True, help="The nights' arms were hidden from the person.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per file.")
def analyze_command(
    files: tuple[Path, ...],
    treatment: str | None,
    washout_nights: int,
    threshold: float,
    blinded: bool,
    as_json: bool,
) -> None:
    """Analyse one or more trial CSV files (columns: night, arm, cramps[, period])."""
    reports: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            parsed = read_trial_file(path, treatment=treatment, washout_nights=washout_nights)
            result = _analyze_file(parsed, threshold)
        except TrialFileError as exc:
            failed = True
            click.echo(f"error: {exc}", err=True)
            reports.append(
                {"file": str(path), "error": str(exc), "line": exc.line, "column": exc.column}
            )
            continue
        reports.append(_report(parsed, result, blinded))
    if as_json:
        click.echo(json.dumps(reports, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            if "error" not in report:
                click.echo(_readable(report))
    if failed:
        click.get_current_context().exit(1)


def _analyze_file(parsed: TrialFile, threshold: float) -> TrialAnalysis:
    try:
        return analyze(parsed.nights, threshold=threshold)
    except NotEnoughNights:
        arms_with_data = {n.treated for n in parsed.nights if n.used}
        empty = [
            label
            for label, treated in ((parsed.treatment_label, True), (parsed.control_label, False))
            if treated not in arms_with_data
        ]
        raise TrialFileError(
            parsed.file, None, "cramps",
            f"no recorded night outside washout on {' or '.join(repr(e) for e in empty)}; "
            "nothing to compare",
        ) from None  # fmt: skip


def _report(parsed: TrialFile, result: TrialAnalysis, blinded: bool) -> dict[str, Any]:
    body = result.to_dict()
    return {
        "file": parsed.file,
        **body,
        # A date with no row at all is as missing as a row with an empty count.
        "missing_nights": result.nights.missing + parsed.nights_not_in_file,
        "control": {**result.control.to_dict(), "label": parsed.control_label},
        "treatment": {**result.treatment.to_dict(), "label": parsed.treatment_label},
        "summary": result_sentences(result, parsed.treatment_label),
        "limits": limits_sentences(blinded),
    }


def _readable(report: dict[str, Any]) -> str:
    rr, control, treatment = report["rate_ratio"], report["control"], report["treatment"]
    lines = [
        f"{report['file']}",
        f"  {treatment['label']} vs {control['label']}: {report['nights_used']} nights used, "
        f"{report['washout_nights_excluded']} washout nights left out, "
        f"{report['missing_nights']} missing",
        f"  cramps a week: {treatment['per_week']:.1f} on {treatment['label']}, "
        f"{control['per_week']:.1f} on {control['label']}",
    ]
    if report["enough_data"]:
        lines += [
            f"  rate ratio {rr['median']:.2f} "
            f"(95% interval {rr['ci95'][0]:.2f} to {rr['ci95'][1]:.2f})",
            f"  P(ratio < 1) = {report['p_reduction']:.3f}, "
            f"P(ratio < {report['threshold']:g}) = {report['p_meaningful']:.3f}",
        ]
    lines += [f"  {s}" for s in report["summary"]]
    lines += [f"  {s}" for s in report["limits"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m crampwise.trials.cli
    trial()
