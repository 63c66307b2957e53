"""The reminders page: what a person sees, saves, pauses, removes and makes, without JavaScript."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time

import pytest

from crampwise.reminders.models import CalendarFeed, PushSubscription, ReminderSettings
from tests.reminders.web_helpers import browser_keys, fast_passwords, freeze  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = "/settings/reminders/"


def add_device(user, endpoint="https://push.example.net/1", agent="Firefox on Android"):
    keys = browser_keys()
    return PushSubscription.objects.create(user=user, endpoint=endpoint, user_agent=agent, **keys)


def test_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/calendar/whatever.ics").status_code == 404


def test_the_page_shows_default_times_and_the_device_button(owner_client):
    html = owner_client.get(PAGE).content.decode()
    assert "Leave it empty to be reminded 30 minutes before your bedtime (22:30), at 22:00." in html
    assert "Turn on notifications on this device" in html
    assert "Times are in your time zone, Europe/London." in html
    assert "<script>" not in html and "onclick" not in html  # no inline scripts (CSP)


def test_saving_the_form_stores_the_reminders(owner_client, owner):
    response = owner_client.post(
        PAGE,
        {
            "evening_enabled": "on",
            "evening_time": "21:15",
            "morning_enabled": "on",
            "morning_time": "",
        },
    )
    assert response.status_code == 302
    stored = ReminderSettings.objects.get(user=owner)
    assert stored.evening_enabled and stored.evening_time == time(21, 15)
    assert stored.morning_enabled and stored.morning_time is None
    assert not stored.trial_milestones  # an unticked box
    assert "Your reminders are saved." in owner_client.get(PAGE).content.decode()


def test_a_bad_time_is_shown_beside_its_field(owner_client, owner):
    response = owner_client.post(
        PAGE, {"evening_enabled": "on", "evening_time": "9 in the evening"}
    )
    assert response.status_code == 200
    assert "Enter a valid time." in response.content.decode()
    assert not ReminderSettings.objects.exists()


def test_email_is_offered_only_when_it_can_arrive(owner_client, owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert 'name="email_enabled"' not in owner_client.get(PAGE).content.decode()
    assert "This server does not send email" in owner_client.get(PAGE).content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "add an email address" in owner_client.get(PAGE).content.decode()
    owner.email = "alice@example.org"
    owner.save()
    assert 'name="email_enabled"' in owner_client.get(PAGE).content.decode()
    owner_client.post(PAGE, {"email_enabled": "on"})
    assert ReminderSettings.objects.get(user=owner).email_enabled
    # A forged tick while email cannot arrive is ignored.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    owner_client.post(PAGE, {"email_enabled": "on"})
    assert not ReminderSettings.objects.get(user=owner).email_enabled


def test_pause_and_resume(owner_client, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, tzinfo=UTC))
    owner_client.post(PAGE, {"evening_enabled": "on"})
    refused = owner_client.post(PAGE + "pause/", {"paused_until": "2026-12-01"})
    assert refused.status_code == 422
    assert "Choose today or a later date." in refused.content.decode()
    owner_client.post(PAGE + "pause/", {"paused_until": "2026-12-20"})
    stored = ReminderSettings.objects.get(user=owner)
    assert stored.paused_until == date(2026, 12, 20) and stored.evening_enabled
    html = owner_client.get(PAGE).content.decode()
    assert "Reminders are paused until the end of Sunday 20 December 2026." in html
    owner_client.post(PAGE + "resume/")
    assert ReminderSettings.objects.get(user=owner).paused_until is None


def test_saving_the_form_keeps_a_pause(owner_client, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, tzinfo=UTC))
    owner_client.post(PAGE + "pause/", {"paused_until": "2026-12-20"})
    owner_client.post(PAGE, {"morning_enabled": "on"})
    assert ReminderSettings.objects.get(user=owner).paused_until == date(2026, 12, 20)


def test_the_device_list_is_yours_and_you_can_remove_one(
    owner_client, owner, other_patient, client
):
    mine = add_device(owner)
    theirs = add_device(other_patient, "https://push.example.net/2", "Secret Browser 9")
    html = owner_client.get(PAGE).content.decode()
    assert "Firefox on Android" in html and "Secret Browser 9" not in html
    assert owner_client.post(PAGE + f"devices/{theirs.pk}/remove/").status_code == 404
    assert owner_client.post(PAGE + f"devices/{uuid.uuid4()}/remove/").status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert owner_client.get(PAGE + f"devices/{mine.pk}/remove/").status_code == 405
    owner_client.post(PAGE + f"devices/{mine.pk}/remove/")
    assert not PushSubscription.objects.filter(pk=mine.pk).exists()


def test_a_calendar_address_is_shown_once_then_can_be_revoked(owner_client, owner, client):
    made = owner_client.post(PAGE + "calendar/")
    html = made.content.decode()
    assert "no-store" in made["Cache-Control"] or "no-cache" in made["Cache-Control"]
    url = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', html).group(1)
    path = url.removeprefix("http://testserver")
    assert owner_client.get(path).status_code == 200
    later = owner_client.get(PAGE).content.decode()
    assert path not in later and "You have a calendar address" in later
    owner_client.post(PAGE + "calendar/revoke/")
    assert not CalendarFeed.objects.exists()
    assert owner_client.get(path).status_code == 404


def test_the_profile_page_and_the_menu_link_to_reminders(owner_client):
    assert f'href="{PAGE}"' in owner_client.get("/profile/").content.decode()
    assert f'href="{PAGE}"' in owner_client.get("/").content.decode()


def test_the_page_says_times_in_the_persons_own_zone(owner_client, owner):
    owner.profile.time_zone = "Asia/Kolkata"
    owner.profile.bedtime = time(23, 0)
    owner.profile.save()
    html = owner_client.get(PAGE).content.decode()
    assert "Asia/Kolkata" in html and "(23:00), at 22:30" in html


def test_a_clinician_with_a_grant_sees_only_their_own_reminders(client, owner, clinician):
    from crampwise.clinician.models import Grant

    Grant.objects.create(patient=owner, clinician=clinician)
    device = add_device(owner)
    CalendarFeed.objects.create(user=owner, token_hash="0" * 64)
    client.force_login(clinician)
    html = client.get(PAGE).content.decode()
    assert "Firefox on Android" not in html and "You have a calendar address" not in html
    assert client.post(PAGE + f"devices/{device.pk}/remove/").status_code == 404
    client.post(PAGE + "calendar/revoke/")
    assert CalendarFeed.objects.filter(user=owner).exists()
