"""``crampwise assess FILE [--json]``: run the assessment on a JSON file of answers.

The main CLI registers the click command ``assess`` from this module (``FEATURE_COMMANDS``).
FILE may be ``-`` for standard input.
Exit codes: 0 when the assessment ran (even with urgent flags: the output says so), 2 when the
file is not valid JSON or the answers are invalid.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from crampwise.core.i18n import gettext as _
from crampwise.guidance.core.assessment import assess as run_assessment
from crampwise.guidance.core.inputs import AssessmentInputError

SEVERITY_LABELS = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "routine": "See your doctor",
    "info": "Note",
}


def _fail(errors: list[str], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"errors": errors}, indent=2, ensure_ascii=False))
    else:
        for error in errors:
            click.echo(_("Error: %(error)s") % {"error": error}, err=True)
    sys.exit(2)


def _print_text(result: dict[str, Any]) -> None:
    for flag in result["flags"]:
        label = SEVERITY_LABELS[flag["severity"]]
        click.echo(f"[{label}] {flag['message']}")
        if flag.get("action"):
            click.echo(f"    {flag['action']}")
        click.echo(f"    ({', '.join(flag['sources'])})")  # red flags always cite
    if result["unrecognised_medicines"]:
        names = ", ".join(result["unrecognised_medicines"])
        click.echo(_("Not recognised (ask your pharmacist): %(names)s") % {"names": names})
    plan = result["plan"]
    if plan is not None:
        sections = (
            (_("What you can do"), plan["steps"]),
            (_("What to ask your doctor"), plan["ask_doctor"]),
        )
        for title, items in sections:
            click.echo(f"\n{title}:")
            for item in items:
                cited = f" ({', '.join(item['sources'])})" if item["sources"] else ""
                click.echo(f"  - {item['text']}{cited}")
                if item.get("medicines"):
                    click.echo(f"      {', '.join(item['medicines'])}")
        if plan["trials"]:
            click.echo("\n" + _("Worth a personal trial:"))
            for trial in plan["trials"]:
                click.echo(f"  - {trial['name']}: {trial['text']}")
    click.echo("\n" + result["note"])
    click.echo(_("Evidence version %(version)s") % {"version": result["evidence_version"]})


@click.command("assess")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def assess(file: Any, as_json: bool) -> None:
    """Check answers about leg cramps for red flags, medicines and a personal plan."""
    try:
        data = json.load(file)
    except json.JSONDecodeError as error:
        message = _("%(file)s is not valid JSON: %(error)s") % {"file": file.name, "error": error}
        _fail([message], as_json)
        return
    try:
        result = run_assessment(data)
    except AssessmentInputError as error:
        _fail(error.errors, as_json)
        return
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_text(result)


# The main CLI looks the command up as ``assess``; the longer name reads better in tests.
assess_command = assess
