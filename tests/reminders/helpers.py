from __future__ import annotations

from datetime import datetime

from crampwise.reminders.models import PushSubscription, ReminderSettings
from crampwise.reminders.services import reschedule
from tests.conftest import make_user


def person(django_user_model, name: str, zone: str = "UTC", now: datetime | None = None, **kw):
    """Someone with reminder settings ``kw``, scheduled as of ``now``."""
    user = make_user(django_user_model, name, time_zone=zone)
    ReminderSettings.objects.create(user=user, **kw)
    reschedule(user, now)
    return user


def subscribe(user, service, subscriber, name: str) -> PushSubscription:
    return PushSubscription.objects.create(
        user=user, endpoint=service.endpoint(name), p256dh=subscriber.p256dh, auth=subscriber.auth
    )
