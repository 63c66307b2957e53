"""The secret calendar URL: made, replaced, revoked, found by its token, and its content.

Only the SHA-256 of a token is stored, so a copy of the database holds no working URL. Making a new
URL replaces the old one (the old URL answers 404 from then on); revoking deletes the row.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.reminders import preferences
from crampwise.reminders.core.ical import WINDOW_NIGHTS, Entry, FeedContent, Slot, build_calendar
from crampwise.reminders.models import CalendarFeed
from crampwise.trials.core.design import Arm, assignment_for, period_plans
from crampwise.trials.models import Trial
from crampwise.trials.services.tonight import bare_plan, night_note, plan_words

TOKEN_BYTES = 32
# How far ahead trial milestones are listed (the nightly events cover WINDOW_NIGHTS).
MILESTONE_HORIZON = timedelta(days=366)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(user) -> str:
    """A new secret token for the person's feed, replacing any earlier one."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return token


def revoke_feed(user) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return deleted > 0


def feed_path(token: str) -> str:
    return reverse("calendar_feed", args=[token])


def owner_of(token: str):
    """The person whose feed this token opens, or None (unknown, revoked, or account closed)."""
    feed = (
        CalendarFeed.objects.select_related("user__profile")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed is not None else None


def trial_plans(trials: list[Trial], first: date, last: date) -> dict[date, Entry]:
    """Each trial night in [first, last] with its plan (a pack number when the trial is blinded)."""
    plans: dict[date, Entry] = {}
    night = first
    while night <= last:
        # Newest first, as trials.services.tonight.trial_for_night picks the night's trial.
        trial = next((t for t in trials if t.start <= night <= t.end), None)
        scheduled = assignment_for(trial.design(), night) if trial is not None else None
        if trial is not None and scheduled is not None:
            note = night_note(trial, scheduled)
            plans[night] = Entry(night, plan_words(trial, scheduled), note)
        night += timedelta(days=1)
    return plans


def trial_milestones(trials: list[Trial], first: date, last: date) -> list[Entry]:
    """A trial's start, each change of plan, its last night and the morning its result is ready."""
    entries: list[Entry] = []
    for trial in trials:
        design = trial.design()
        entries.append(Entry(trial.start, _("Your trial starts tonight")))
        for period in period_plans(design):
            if period.first_night > trial.end or (period.period == 0 and not design.run_in_nights):
                continue
            scheduled = assignment_for(design, period.first_night)
            if scheduled is not None and scheduled.arm is not Arm.BASELINE:
                words = bare_plan(trial, scheduled)
                entries.append(
                    Entry(
                        period.first_night,
                        _("New trial plan from tonight: %(plan)s") % {"plan": words},
                    )
                )
        entries.append(Entry(trial.end, _("Last night of your trial")))
        entries.append(
            Entry(
                trial.end + timedelta(days=1),
                _("Your trial result is ready"),
                _("Open crampwise and go to Trials to see what your trial found."),
            )
        )
    return [e for e in entries if first <= e.day <= last]


def calendar_for(user, link: str) -> bytes:
    """The person's feed as iCalendar bytes; ``link`` is the site's address for the events."""
    stored = preferences.current(user)
    times = preferences.effective(user, stored)
    today = preferences.today_for(user)
    window_end = today + timedelta(days=WINDOW_NIGHTS - 1)
    # Stopped and finished trials too: their nights up to the stop still happened as planned.
    trials = list(
        Trial.objects.filter(owner=user, start__lte=today + MILESTONE_HORIZON).order_by(
            "-start", "-created"
        )
    )
    trials = [t for t in trials if t.end >= today - timedelta(days=1)]
    active = [t for t in trials if t.is_active]
    content = FeedContent(
        zone=user.profile.time_zone,
        today=today,
        evening=Slot(stored.evening_enabled, times.evening.time),
        morning=Slot(stored.morning_enabled, times.morning.time),
        paused_until=stored.paused_until,
        uid_tag=token_hash(f"crampwise-feed:{user.pk}")[:16],
        link=link,
        stamp=timezone.now(),
        plans=trial_plans(trials, today, window_end),
        milestones=(
            trial_milestones(active, today, today + MILESTONE_HORIZON)
            if stored.trial_milestones
            else []
        ),
    )
    return build_calendar(content)
