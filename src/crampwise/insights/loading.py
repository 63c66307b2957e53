"""A person's insights from the database: the Django side of the pure ``summarize``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crampwise.diary import services
from crampwise.diary.models import Night
from crampwise.diary.records import NightRecord

from .summary import summarize


def insights_for(user, start: date | None = None, end: date | None = None) -> dict:
    """Everything the dashboard, the CLI and the report show, for one person and range."""
    today = end or services.last_night(user)
    return summarize(
        mark_unconfirmed(user, services.load_nights(user, start, today)),
        services.load_episodes(user, start, today),
        services.load_medicines(user),
        services.factor_specs(user),
        today,
    )


def mark_unconfirmed(user, nights: list[NightRecord]) -> list[NightRecord]:
    """Mark the nights that have cramps logged but no morning answer as not confirmed.

    Rates must leave them out (``NightTable``). Once ``Night.to_record`` sets ``confirmed`` itself
    this finds nothing new to mark; until then it is one indexed query for the few such nights.
    """
    if not nights:
        return nights
    pending = set(
        Night.objects.filter(
            user=user,
            reported_cramps__isnull=True,
            episode_count__gt=0,
            night__gte=nights[0].night,
            night__lte=nights[-1].night,
        ).values_list("night", flat=True)
    )
    if not pending:
        return nights
    return [replace(n, confirmed=False) if n.night in pending else n for n in nights]
