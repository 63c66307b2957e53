"""GET/PUT /api/v1/reminders: the settings a person sees, their defaults, and who may change them."""
# ruff: noqa: F811  # the fixtures come from tests/reminders/web_helpers.py

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from crampwise.clinician.models import Grant
from crampwise.reminders.models import ReminderSettings
from tests.reminders.web_helpers import (  # noqa: F401  # fixtures
    Caller,
    anonymous_api,
    api,
    bearer,
    clinician_api,
    fast_passwords,
    fields,
    freeze,
    fresh_throttles,
    other_api,
)

pytestmark = pytest.mark.django_db

SETTINGS = {
    "evening": {"enabled": True, "time": "21:30"},
    "morning": {"enabled": True, "time": "08:00"},
    "paused_until": None,
}


def test_a_new_person_sees_defaults_from_bedtime_and_wake_time(api, owner):
    """Nothing stored: both reminders off, at 30 minutes before bedtime and after waking."""
    body = api.get("/reminders").json()
    assert body["evening"] == {"enabled": False, "time": "22:00", "default": True}
    assert body["morning"] == {"enabled": False, "time": "07:30", "default": True}
    assert body["paused_until"] is None and body["trial_milestones"] is True
    assert body["email"] is False and body["email_available"] is False
    assert not ReminderSettings.objects.exists()  # reading stores nothing


def test_put_stores_the_times_and_get_shows_them(api, owner):
    response = api.put("/reminders", SETTINGS)
    assert response.status_code == 200, response.json()
    assert response.json()["evening"] == {"enabled": True, "time": "21:30", "default": False}
    stored = ReminderSettings.objects.get(user=owner)
    assert stored.evening_time == time(21, 30) and stored.morning_time == time(8, 0)
    assert api.get("/reminders").json() == response.json()


def test_what_get_shows_can_be_put_back_unchanged(api, owner):
    """A default time stays a default: moving bedtime later still moves the reminder."""
    api.put("/reminders", {"evening": {"enabled": True}, "morning": {"enabled": False}})
    shown = api.get("/reminders").json()
    shown.pop("email_available"), shown.pop("devices")
    assert api.put("/reminders", shown).status_code == 200
    assert ReminderSettings.objects.get(user=owner).evening_time is None
    owner.profile.bedtime = time(23, 15)
    owner.profile.save()
    assert api.get("/reminders").json()["evening"]["time"] == "22:45"


def test_a_default_just_after_midnight_wraps_round_the_clock(api, owner):
    owner.profile.bedtime = time(0, 10)
    owner.profile.save()
    assert api.get("/reminders").json()["evening"]["time"] == "23:40"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"evening": {"enabled": True, "time": "25:00"}}, "evening.time"),
        ({"evening": {"enabled": True, "time": "9pm"}}, "evening.time"),
        ({"morning": {"enabled": "sometimes"}}, "morning.enabled"),
        ({"evening": {"enabled": True, "colour": "red"}}, "evening.colour"),
        ({"snooze": True}, "snooze"),
        ({"paused_until": "next week"}, "paused_until"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, owner, body, field):
    response = api.put("/reminders", body)
    assert response.status_code == 422
    assert field in fields(response)
    assert not ReminderSettings.objects.exists()


def test_a_pause_must_be_today_or_later_and_within_a_year(api, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    assert fields(api.put("/reminders", {"paused_until": "2026-12-05"})) == {"paused_until"}
    assert fields(api.put("/reminders", {"paused_until": "2028-01-01"})) == {"paused_until"}
    response = api.put("/reminders", {"paused_until": "2026-12-06"})
    assert response.json()["paused_until"] == "2026-12-06"


def test_email_needs_an_address_and_a_server_that_sends_mail(api, owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    owner.email = "alice@example.org"
    owner.save()
    refused = api.put("/reminders", {"email": True})
    assert refused.status_code == 422 and fields(refused) == {"email"}
    assert "not set up to send email" in refused.json()["detail"][0]["message"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert api.get("/reminders").json()["email_available"] is True
    assert api.put("/reminders", {"email": True}).json()["email"] is True

    owner.email = ""
    owner.save()
    refused = api.put("/reminders", {"email": True})
    assert "email address" in refused.json()["detail"][0]["message"]


def test_saving_schedules_the_next_reminder_in_the_persons_own_time(api, owner):
    """A PUT, then a new time zone by PATCH /me, each move the moment the worker looks for."""
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    api.put("/reminders", {**SETTINGS, "morning": {"enabled": False, "time": None}})
    due = ReminderSettings.objects.get(user=owner).next_due_at
    assert due is not None
    assert due.astimezone(ZoneInfo("America/New_York")).time() == time(21, 30)

    api.patch("/me", {"time_zone": "Europe/Berlin"})
    due = ReminderSettings.objects.get(user=owner).next_due_at
    assert due is not None
    assert due.astimezone(ZoneInfo("Europe/Berlin")).time() == time(21, 30)


def test_saving_twice_keeps_one_row(api, owner):
    api.put("/reminders", SETTINGS)
    api.put("/reminders", SETTINGS)
    assert ReminderSettings.objects.filter(user=owner).count() == 1


def test_each_person_sees_and_changes_only_their_own(api, other_api, owner, other_patient):
    api.put("/reminders", SETTINGS)
    theirs = other_api.get("/reminders").json()
    assert theirs["evening"]["enabled"] is False
    other_api.put("/reminders", {"evening": {"enabled": False}})
    assert ReminderSettings.objects.get(user=owner).evening_enabled is True


def test_a_clinician_with_a_grant_still_sees_only_their_own(api, clinician_api, owner, clinician):
    Grant.objects.create(patient=owner, clinician=clinician)
    api.put("/reminders", SETTINGS)
    assert clinician_api.get("/reminders").json()["evening"]["enabled"] is False
    assert not ReminderSettings.objects.filter(user=clinician).exists()


def test_anonymous_callers_and_read_only_tokens_are_refused(anonymous_api, client, owner):
    assert anonymous_api.get("/reminders").status_code == 401
    assert anonymous_api.put("/reminders", SETTINGS).status_code == 401
    reader = Caller(client, bearer(owner, "read"))
    assert reader.get("/reminders").status_code == 200
    assert reader.put("/reminders", SETTINGS).status_code == 403
    assert not ReminderSettings.objects.exists()


def test_the_web_app_session_needs_the_csrf_token(owner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    refused = browser.put("/api/v1/reminders", SETTINGS, content_type="application/json")
    assert refused.status_code == 403
    browser.get("/settings/reminders/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.put(
        "/api/v1/reminders",
        SETTINGS,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
