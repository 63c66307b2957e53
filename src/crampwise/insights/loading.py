"""A person's insights from the database: the Django side of the pure ``summarize``."""

from __future__ import annotations

from datetime import date

from crampwise.diary import services
from crampwise.insights.core.summary import summarize


def insights_for(user, start: date | None = None, end: date | None = None) -> dict:
    """Everything the dashboard, the CLI and the report show, for one person and range."""
    today = end or services.last_night(user)
    return summarize(
        services.load_nights(user, start, today),
        services.load_episodes(user, start, today),
        services.load_medicines(user),
        services.factor_specs(user),
        today,
    )
