"""The reminders part of the REST API v1 (docs/api.md): settings, push subscriptions, calendar feed.

Every operation acts on the caller's own records only; another person's subscription id is a 404.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crampwise.api.errors import ApiProblem, not_found, problem, responses
from crampwise.api.fields import IsoDate
from crampwise.reminders import feeds, preferences
from crampwise.reminders.core.clock import clock_text, pause_problem
from crampwise.reminders.core.push_keys import auth_problem, endpoint_problem, p256dh_problem
from crampwise.reminders.fields import ClockTime
from crampwise.reminders.models import CalendarFeed, PushSubscription, ReminderSettings

router = Router(tags=["reminders"])
logger = logging.getLogger(__name__)

USER_AGENT_MAX = 300


# ---- settings -----------------------------------------------------------------------------


class SlotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(False, description="Whether this reminder goes off.")
    time: ClockTime | None = Field(
        None, description="Local time HH:MM; null: the default (from bedtime or wake time)."
    )
    default: bool = Field(
        False, description="true: use the default time whatever `time` says (as GET shows it)."
    )


class RemindersIn(Schema):
    """The whole reminder settings. PUT replaces every field: a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    evening: SlotIn = Field(default_factory=lambda: SlotIn.model_validate({}))
    morning: SlotIn = Field(default_factory=lambda: SlotIn.model_validate({}))
    paused_until: IsoDate | None = Field(
        None, description="No reminders up to and including this date (YYYY-MM-DD)."
    )
    trial_milestones: bool = Field(
        True, description="Reminders when a trial starts, changes its plan, ends."
    )
    email: bool = Field(False, description="Also send reminders by email.")


class SlotOut(Schema):
    enabled: bool
    time: str
    default: bool


class RemindersOut(Schema):
    evening: SlotOut
    morning: SlotOut
    paused_until: date | None
    trial_milestones: bool
    email: bool
    email_available: bool
    devices: int


def reminders_out(user, stored: ReminderSettings) -> dict:
    times = preferences.effective(user, stored)
    return {
        "evening": {
            "enabled": stored.evening_enabled,
            "time": clock_text(times.evening.time),
            "default": times.evening.is_default,
        },
        "morning": {
            "enabled": stored.morning_enabled,
            "time": clock_text(times.morning.time),
            "default": times.morning.is_default,
        },
        "paused_until": stored.paused_until,
        "trial_milestones": stored.trial_milestones,
        "email": stored.email_enabled,
        "email_available": preferences.email_available(user),
        "devices": PushSubscription.objects.filter(user=user).count(),
    }


@router.get(
    "/reminders",
    response={200: RemindersOut, **responses(401, 429)},
    operation_id="getReminders",
    summary="Your reminder settings",
)
def get_reminders(request):
    return reminders_out(request.user, preferences.current(request.user))


@router.put(
    "/reminders",
    response={200: RemindersOut, **responses(400, 401, 403, 422, 429)},
    operation_id="replaceReminders",
    summary="Change your reminder settings",
)
def replace_reminders(request, payload: RemindersIn):
    user = request.user
    problems: list[tuple[str | None, str]] = []
    if payload.paused_until is not None:
        found = pause_problem(payload.paused_until, preferences.today_for(user))
        if found:
            problems.append(("paused_until", found))
    if payload.email and not preferences.email_available(user):
        problems.append(("email", preferences.email_problem(user)))
    if problems:
        raise ApiProblem(422, problems)
    stored = preferences.save(
        user,
        preferences.Choice(
            evening_enabled=payload.evening.enabled,
            evening_time=None if payload.evening.default else payload.evening.time,
            morning_enabled=payload.morning.enabled,
            morning_time=None if payload.morning.default else payload.morning.time,
            trial_milestones=payload.trial_milestones,
            email_enabled=payload.email,
            paused_until=payload.paused_until,
        ),
    )
    return reminders_out(user, stored)


# ---- push subscriptions -------------------------------------------------------------------


class PushKeysIn(Schema):
    model_config = ConfigDict(extra="forbid")

    p256dh: str = Field(description="The browser's public key, base64url (65 bytes).")
    auth: str = Field(description="The browser's auth secret, base64url (16 bytes).")


class PushSubscriptionIn(Schema):
    """A browser's PushSubscription, as its toJSON() gives it."""

    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(description="The push service's URL for this browser (https).")
    keys: PushKeysIn
    expirationTime: float | None = Field(  # the browser's own spelling
        None, description="Sent by browsers; not used."
    )


class PushSubscriptionOut(Schema):
    id: uuid.UUID
    service: str
    user_agent: str
    created_at: datetime
    last_sent_at: datetime | None


def subscription_out(sub: PushSubscription) -> dict:
    return {
        "id": sub.id,
        "service": urlsplit(sub.endpoint).hostname or "",
        "user_agent": sub.user_agent,
        "created_at": sub.created_at,
        "last_sent_at": sub.last_sent_at,
    }


def check_subscription(payload: PushSubscriptionIn) -> None:
    found = [
        ("endpoint", endpoint_problem(payload.endpoint, allow_http_loopback=allow_loopback())),
        ("keys.p256dh", p256dh_problem(payload.keys.p256dh)),
        ("keys.auth", auth_problem(payload.keys.auth)),
    ]
    problems: list[tuple[str | None, str]] = [(f, m) for f, m in found if m]
    if problems:
        raise ApiProblem(422, problems)


def allow_loopback() -> bool:
    return bool(getattr(settings, "PUSH_ALLOW_HTTP_LOOPBACK", False))


def store_subscription(user, payload: PushSubscriptionIn, user_agent: str):
    """(row, created). One row per endpoint: the same browser again updates its row, and a browser
    that a new person signs in on becomes theirs (its old owner no longer reaches it)."""
    values = {
        "user": user,
        "p256dh": payload.keys.p256dh,
        "auth": payload.keys.auth,
        "user_agent": user_agent[:USER_AGENT_MAX],
    }
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return PushSubscription.objects.update_or_create(
                    endpoint=payload.endpoint, defaults=values
                )
        except IntegrityError:  # the same browser subscribing twice at once: the other won
            continue
    raise problem(409, _("This device was being added twice at once. Try again."))


@router.post(
    "/push-subscriptions",
    response={
        200: PushSubscriptionOut,
        201: PushSubscriptionOut,
        **responses(400, 401, 403, 409, 422, 429),
    },
    operation_id="createPushSubscription",
    summary="Receive reminders on this browser",
)
def create_push_subscription(request, payload: PushSubscriptionIn):
    check_subscription(payload)
    sub, created = store_subscription(request.user, payload, request.headers.get("User-Agent", ""))
    return Status(201 if created else 200, subscription_out(sub))


@router.get(
    "/push-subscriptions",
    response={200: list[PushSubscriptionOut], **responses(401, 429)},
    operation_id="listPushSubscriptions",
    summary="Your devices that receive reminders",
)
def list_push_subscriptions(request):
    return [subscription_out(s) for s in PushSubscription.objects.filter(user=request.user)]


@router.delete(
    "/push-subscriptions/{subscription_id}",
    response={204: None, **responses(401, 403, 404, 422, 429)},
    operation_id="deletePushSubscription",
    summary="Stop reminders on a device",
)
def delete_push_subscription(request, subscription_id: uuid.UUID):
    deleted, _rows = PushSubscription.objects.filter(pk=subscription_id, user=request.user).delete()
    if not deleted:
        raise not_found()
    return Status(204, None)


class PushKeyOut(Schema):
    public_key: str = Field(description="The server's VAPID public key, base64url.")


@router.get(
    "/push-key",
    response={200: PushKeyOut, **responses(401, 429, 503)},
    operation_id="getPushKey",
    summary="The server's key for push subscriptions",
)
def push_key(request):
    try:
        # The reminders worker owns the key pair; imported when asked so the API loads without it.
        vapid = importlib.import_module("crampwise.reminders.vapid")
        key = vapid.public_key()
    except (ImportError, AttributeError):
        key = ""
    except ImproperlyConfigured:
        logger.exception("the VAPID key is not usable")
        key = ""
    if not key:
        raise problem(503, _("Notifications are not set up on this server yet."))
    return {"public_key": key}


# ---- calendar feed ------------------------------------------------------------------------


class CalendarFeedOut(Schema):
    url: str = Field(description="The secret address of your calendar feed. Shown only once.")


class CalendarFeedState(Schema):
    active: bool
    created_at: datetime | None


@router.post(
    "/calendar-feed",
    response={201: CalendarFeedOut, **responses(401, 403, 429)},
    operation_id="createCalendarFeed",
    summary="Make a new calendar feed address (the old one stops working)",
)
def create_calendar_feed(request):
    token = feeds.new_feed(request.user)
    return Status(201, {"url": request.build_absolute_uri(feeds.feed_path(token))})


@router.get(
    "/calendar-feed",
    response={200: CalendarFeedState, **responses(401, 429)},
    operation_id="getCalendarFeed",
    summary="Whether you have a calendar feed",
)
def get_calendar_feed(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return {"active": feed is not None, "created_at": feed.created_at if feed else None}


@router.delete(
    "/calendar-feed",
    response={204: None, **responses(401, 403, 429)},
    operation_id="deleteCalendarFeed",
    summary="Turn the calendar feed off (its address stops working)",
)
def delete_calendar_feed(request):
    feeds.revoke_feed(request.user)
    return Status(204, None)
