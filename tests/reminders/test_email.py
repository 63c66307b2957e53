"""Reminders by email, and the one-click unsubscribe link in every one (RFC 8058)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from crampwise.reminders.models import Delivery, ReminderSettings
from crampwise.reminders.worker import run_pass
from tests.reminders.helpers import person

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 6, 3, 21, 0, tzinfo=UTC)


@pytest.fixture
def reader(django_user_model):
    user = person(django_user_model, "nora", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0), email_enabled=True)  # fmt: skip
    user.email = "nora@example.org"
    user.save()
    return user


def unsubscribe_path(message) -> str:
    link = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    return link.removeprefix("http://127.0.0.1:8000")


def test_a_person_with_an_address_gets_the_reminder_by_email(reader):
    assert run_pass(now=EVENING).sent == 1
    (message,) = mail.outbox
    assert message.to == ["nora@example.org"]
    assert message.subject == "Time to get ready for bed"
    assert "Before bed: stretch your calves" in message.body
    assert "http://127.0.0.1:8000/tonight/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message) in message.body
    assert Delivery.objects.get(user=reader).channels == "email"


def test_no_email_when_the_server_has_no_mail_set_up(reader, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    report = run_pass(now=EVENING)
    assert (report.sent, report.skipped) == (0, 1)
    assert mail.outbox == []


def test_no_email_without_an_address(reader):
    reader.email = ""
    reader.save()
    assert run_pass(now=EVENING).skipped == 1
    assert mail.outbox == []


def test_opening_the_unsubscribe_link_only_asks(reader, client):
    run_pass(now=EVENING)
    page = client.get(unsubscribe_path(mail.outbox[0]))
    assert page.status_code == 200
    assert "Do you want to stop getting reminder emails?" in page.content.decode()
    assert ReminderSettings.objects.get(user=reader).email_enabled


def test_one_click_unsubscribes_without_signing_in_or_a_csrf_token(reader, client):
    from django.test import Client

    run_pass(now=EVENING)
    strict = Client(enforce_csrf_checks=True)
    page = strict.post(unsubscribe_path(mail.outbox[0]), {"List-Unsubscribe": "One-Click"})
    assert page.status_code == 200
    assert "We will not send you reminder emails any more." in page.content.decode()
    assert not ReminderSettings.objects.get(user=reader).email_enabled
    assert run_pass(now=EVENING + timedelta(days=1)).skipped == 1
    assert len(mail.outbox) == 1


def test_a_tampered_unsubscribe_link_is_refused(reader, client, other_patient):
    from crampwise.reminders.delivery import unsubscribe_token

    run_pass(now=EVENING)
    path = unsubscribe_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[-1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for attempt in (path.replace(token, forged), "/reminders/unsubscribe/nonsense/"):
        page = client.post(attempt)
        assert page.status_code == 400
        assert "This link does not work." in page.content.decode()
    assert ReminderSettings.objects.get(user=reader).email_enabled
    # A token signed for another purpose does not unsubscribe either.
    from django.core import signing

    other = signing.dumps({"u": reader.pk}, salt="something else")
    assert client.post(f"/reminders/unsubscribe/{other}/").status_code == 400
    assert unsubscribe_token(reader) != unsubscribe_token(other_patient)


def test_the_unsubscribe_link_does_not_show_the_persons_account_number(reader):
    """The token is signed, not encrypted: what it carries must say nothing about the account."""
    import base64
    import json

    run_pass(now=EVENING)
    token = unsubscribe_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    payload = token.split(":", 1)[0]
    carried = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert carried == {"k": ReminderSettings.objects.get(user=reader).mail_key.hex}
    assert str(reader.pk) not in json.dumps(carried).replace(carried["k"], "")


def test_a_link_from_an_email_sent_before_mail_keys_still_unsubscribes(reader, client):
    from django.core import signing

    from crampwise.reminders.delivery import UNSUBSCRIBE_SALT

    old = signing.dumps({"u": reader.pk}, salt=UNSUBSCRIBE_SALT, compress=True)
    assert client.post(f"/reminders/unsubscribe/{old}/").status_code == 200
    assert not ReminderSettings.objects.get(user=reader).email_enabled


def test_each_person_has_their_own_mail_key(reader, other_patient):
    from crampwise.reminders.services import settings_for

    assert settings_for(reader).mail_key != settings_for(other_patient).mail_key
