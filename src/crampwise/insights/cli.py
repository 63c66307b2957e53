"""`crampwise insights --username U [--json]`: the Django side of the pure insights core."""

from __future__ import annotations

import json
from datetime import date

import click

from crampwise.cli import get_user, setup_django


def insights_for(user, start: date | None = None, end: date | None = None) -> dict:
    """Everything the dashboard, the CLI and the report show, for one person and range."""
    from crampwise.diary import services  # noqa: PLC0415
    from crampwise.insights import summarize  # noqa: PLC0415

    today = end or services.last_night(user)
    return summarize(
        services.load_nights(user, start, today),
        services.load_episodes(user, start, today),
        services.load_medicines(user),
        services.factor_specs(user),
        today,
    )


@click.command("insights")
@click.option("--username", required=True)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First night (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last night (default: last night).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def insights(username: str, start, end, as_json: bool) -> None:
    """Cramp rates, trend, timing, relief and factors for one diary."""
    setup_django()
    result = insights_for(get_user(username), start and start.date(), end and end.date())
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    s = result["summary"]
    click.echo(f"{s['nights_recorded']} nights recorded, {s['cramps_total']} cramps, "
               f"{s['cramps_per_week']} a week; last 4 weeks: {s['cramps_per_week_last_4_weeks']} a week")
    for f in result["factors"]:
        click.echo(f"  {f['name']:20s} {f['verdict']:16s} ratio {f['rate_ratio']} {f['ci95']} q={f['q_value']}")
