"""``crampwise trial``: analyse personal trials from CSV files.

``trial analyze``: each file is analysed on its own. A bad file does not stop the others: its
problem goes to stderr (and, with --json, into its own object's ``error`` field), the good files
are reported as usual, and the exit code is 1 so that scripts notice.

``trial pool``: the files are one series, pooled into one answer. A bad file stops it (an answer
without some people would be a different answer).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from crampwise.trials.core.analysis import (
    DEFAULT_THRESHOLD,
    NotEnoughNights,
    TrialAnalysis,
    analyze,
)
from crampwise.trials.core.csv_input import TrialFile, TrialFileError, read_trial_file
from crampwise.trials.core.wording import limits_sentences, result_sentences

if TYPE_CHECKING:
    from crampwise.trials.core.pooling import PooledResult

F = TypeVar("F", bound=Callable[..., Any])


def trial_file_options(command: F) -> F:
    """The arguments every command reading trial files shares: the files, the remedy's arm label,
    the washout and the worthwhile cut."""
    for option in reversed(
        [
            click.argument(
                "files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path)
            ),
            click.option(
                "--treatment", metavar="LABEL", help="The arm label of the remedy nights."
            ),
            click.option(
                "--washout-nights",
                type=click.IntRange(min=0),
                default=0,
                show_default=True,
                help="Leave out the first N nights of each period (or of each run of one arm).",
            ),
            click.option(
                "--threshold",
                type=click.FloatRange(0, 1, min_open=True),
                default=DEFAULT_THRESHOLD,
                show_default=True,
                help="Rate ratio that counts as a worthwhile cut (0.8 = at least 20% fewer cramps).",
            ),
        ]
    ):
        command = option(command)
    return command


@click.group(name="trial")
def trial() -> None:
    """Personal randomized trials (N-of-1)."""


@trial.command(name="analyze")
@trial_file_options
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


@trial.command(name="pool")
@trial_file_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for the series.")
def pool_command(
    files: tuple[Path, ...],
    treatment: str | None,
    washout_nights: int,
    threshold: float,
    as_json: bool,
) -> None:
    """Pool a series of trials of one remedy, one CSV file per person, into one answer."""
    # Imported here so that `trial analyze` does not pay for the series code at start-up.
    from crampwise.trials.core.pooling import PatientTrialData, pool_trials
    from crampwise.trials.core.series_wording import pooled_summary_words

    parsed: list[TrialFile] = []
    errors: list[dict[str, Any]] = []
    for path in files:
        try:
            parsed.append(read_trial_file(path, treatment=treatment, washout_nights=washout_nights))
        except TrialFileError as exc:
            click.echo(f"error: {exc}", err=True)
            errors.append(
                {"file": str(path), "error": str(exc), "line": exc.line, "column": exc.column}
            )
    if errors:
        # A pooled answer that silently lacks some people would be a different answer: none.
        click.echo("error: no pooled answer until every file can be read", err=True)
        if as_json:
            click.echo(json.dumps({"errors": errors}, indent=2, ensure_ascii=False))
        click.get_current_context().exit(1)
    trials = [PatientTrialData.from_nights(p.file, p.nights) for p in parsed]
    try:
        result = pool_trials(trials, threshold=threshold)
    except NotEnoughNights:
        click.echo("error: no file has a recorded night outside washout on both arms", err=True)
        click.get_current_context().exit(1)
    for label in result.left_out:
        click.echo(
            f"warning: {label}: no recorded night outside washout on both arms; left out", err=True
        )
    remedy = _common_label([p.treatment_label for p in parsed])
    report = _pool_report(result, pooled_summary_words(result, remedy))
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(_pool_readable(report))


def _common_label(labels: list[str]) -> str | None:
    """The remedy's name for the words, when every file calls it the same (and not 'treatment')."""
    names = {label.casefold() for label in labels}
    if len(names) == 1 and "treatment" not in names:
        return labels[0]
    return None


def _pool_report(result: PooledResult, summary: list[str]) -> dict[str, Any]:
    def interval(median: float, ci95: tuple[float, float]) -> dict[str, Any]:
        return {"median": round(median, 4), "ci95": [round(ci95[0], 4), round(ci95[1], 4)]}

    return {
        **result.to_dict(),
        "individuals": [
            {
                "file": person.label,
                "enough_data": person.enough_data,
                "nights_used": person.nights_used,
                "cramps": person.cramps,
                "rate_ratio": interval(person.rate_ratio_median, person.rate_ratio_ci95),
                "unpooled": interval(person.unpooled_median, person.unpooled_ci95),
            }
            for person in result.individuals
        ],
        "summary": summary,
    }


def _pool_readable(report: dict[str, Any]) -> str:
    population, tau = report["population"], report["tau"]
    rr = population["rate_ratio"]
    predictive = report["predictive"]
    lines = [
        f"{report['patients']} trials pooled, "
        f"{report['patients_with_enough_data']} with enough cramps on their own",
    ]
    if report["enough_data"]:
        low, high = predictive["rate_ratio_interval"]
        lines += [
            f"  typical person's rate ratio {rr['median']:.2f} "
            f"(95% interval {rr['ci95'][0]:.2f} to {rr['ci95'][1]:.2f})",
            f"  P(ratio < 1) = {population['p_reduction']:.3f}, "
            f"P(ratio < {report['threshold']:g}) = {population['p_meaningful']:.3f}",
            f"  spread between people (tau, log scale) {tau['median']:.2f} "
            f"(95% interval {tau['ci95'][0]:.2f} to {tau['ci95'][1]:.2f})",
            f"  {round(100 * predictive['level'])}% of people: rate ratio {low:.2f} to {high:.2f}",
        ]
    lines += [f"  {s}" for s in report["summary"]]
    if not report["enough_data"]:
        # As in `trial analyze`: below the minimum, no numbers that look like an answer.
        for person in report["individuals"]:
            enough = "enough cramps" if person["enough_data"] else "not enough cramps yet"
            lines.append(f"    {person['file']}: {enough}")
        return "\n".join(lines) + "\n"
    lines.append("  each person: own trial alone -> with the series")
    for person in report["individuals"]:
        own, shrunk = person["unpooled"], person["rate_ratio"]
        lines.append(
            f"    {person['file']}: {own['median']:.2f} ({own['ci95'][0]:.2f}-{own['ci95'][1]:.2f})"
            f" -> {shrunk['median']:.2f} ({shrunk['ci95'][0]:.2f}-{shrunk['ci95'][1]:.2f})"
            + ("" if person["enough_data"] else "  [not enough cramps on its own]")
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m crampwise.trials.cli
    trial()
