"""`crampwise insights --username U [--json]`: the Django side of the pure insights core."""

from __future__ import annotations

import json

import click

from crampwise.cli import get_user, setup_django


@click.command("insights")
@click.option("--username", required=True)
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First night (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last night (default: last night).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def insights(username: str, start, end, as_json: bool) -> None:
    """Cramp rates, trend, timing, relief and factors for one diary."""
    setup_django()
    from crampwise.insights.loading import insights_for

    result = insights_for(get_user(username), start and start.date(), end and end.date())
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    s = result["summary"]
    click.echo(
        f"{s['nights_recorded']} nights recorded, {s['cramps_total']} cramps, "
        f"{s['cramps_per_week']} a week; last 4 weeks: {s['cramps_per_week_last_4_weeks']} a week"
    )
    for f in result["factors"]:
        click.echo(
            f"  {f['name']:20s} {f['verdict']:16s} ratio {f['rate_ratio']} {f['ci95']} q={f['q_value']}"
        )
