"""The worker's pass: each due reminder reaches the person's browsers once, in their own time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from crampwise.diary import services as diary
from crampwise.reminders.messages import Message
from crampwise.reminders.models import Delivery, PushSubscription, ReminderSettings
from crampwise.reminders.services import reschedule
from crampwise.reminders.worker import claim, run_pass
from tests.reminders.helpers import person, subscribe
from tests.reminders.pushservice import Subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loopback_push")]

EVENING = datetime(2026, 6, 3, 21, 0, tzinfo=UTC)


def test_each_browser_gets_the_evening_reminder_once_and_can_decrypt_it(
    django_user_model, push_service
):
    """Two browsers, one reminder each; the payload is what the service worker shows."""
    user = person(django_user_model, "ann", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    phone, laptop = Subscriber(), Subscriber()
    subscribe(user, push_service, phone, "phone")
    subscribe(user, push_service, laptop, "laptop")

    report = run_pass(now=EVENING + timedelta(seconds=20))
    again = run_pass(now=EVENING + timedelta(minutes=1))

    assert (report.sent, again.claimed) == (1, 0)
    for name, browser in (("phone", phone), ("laptop", laptop)):
        (received,) = push_service.received_by(name)
        assert received.headers["content-encoding"] == "aes128gcm"
        assert received.headers["authorization"].startswith("vapid t=")
        payload = browser.decrypt(received.body)
        assert payload == {
            "title": "Time to get ready for bed",
            "body": "Before bed: stretch your calves, drink enough, wear shoes that support "
            "your feet.",
            "url": "/tonight/",
            "tag": "crampwise-evening-2026-06-03",
        }
    delivery = Delivery.objects.get(user=user)
    assert (delivery.kind, delivery.night, delivery.status) == ("evening", date(2026, 6, 3), "sent")
    assert delivery.channels == "push 2/2"
    assert ReminderSettings.objects.get(user=user).next_due_at == EVENING + timedelta(days=1)


def test_reminders_follow_the_persons_time_zone(django_user_model, push_service):
    """21:00 in New York in June is 01:00 UTC the next day; nothing goes out at 21:00 UTC."""
    user = person(django_user_model, "ben", zone="America/New_York",
                  now=datetime(2026, 6, 3, 12, 0, tzinfo=UTC),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "ben")
    assert run_pass(now=datetime(2026, 6, 3, 21, 5, tzinfo=UTC)).claimed == 0
    assert run_pass(now=datetime(2026, 6, 4, 1, 0, 30, tzinfo=UTC)).sent == 1
    assert Delivery.objects.get(user=user).night == date(2026, 6, 3)


def test_the_morning_reminder_opens_the_check_in_of_last_night(django_user_model, push_service):
    morning = datetime(2026, 6, 4, 7, 30, tzinfo=UTC)
    user = person(
        django_user_model, "cat", now=morning - timedelta(hours=2), morning_enabled=True
    )  # fmt: skip  (default: wake 07:00 + 30 minutes)
    browser = Subscriber()
    subscribe(user, push_service, browser, "cat")
    assert run_pass(now=morning).sent == 1
    payload = browser.decrypt(push_service.received_by("cat")[0].body)
    assert payload["url"] == "/history/2026-06-03/edit/"
    assert payload["tag"] == "crampwise-morning-2026-06-03"
    assert "Wednesday 3 June" in payload["body"]


def test_no_morning_reminder_after_the_person_has_checked_in(django_user_model, push_service):
    morning = datetime(2026, 6, 4, 7, 30, tzinfo=UTC)
    user = person(django_user_model, "dan", now=morning - timedelta(hours=2), morning_enabled=True)
    subscribe(user, push_service, Subscriber(), "dan")
    diary.save_night(user, date(2026, 6, 3), reported_cramps=0)

    report = run_pass(now=morning)

    assert (report.sent, report.skipped) == (0, 1)
    assert push_service.received == []
    assert Delivery.objects.get(user=user).status == "skipped"


def test_a_cramp_logged_in_the_night_is_not_a_check_in(django_user_model, push_service):
    morning = datetime(2026, 6, 4, 7, 30, tzinfo=UTC)
    user = person(django_user_model, "dot", now=morning - timedelta(hours=2), morning_enabled=True)
    subscribe(user, push_service, Subscriber(), "dot")
    diary.log_episode(user, started_at=datetime(2026, 6, 4, 2, 0, tzinfo=UTC))
    assert run_pass(now=morning).sent == 1


def test_a_push_service_answering_410_removes_that_subscription(django_user_model, push_service):
    user = person(django_user_model, "eve", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "gone")
    subscribe(user, push_service, Subscriber(), "alive")
    push_service.status["gone"] = 410

    report = run_pass(now=EVENING)

    assert report.subscriptions_removed == 1
    assert [s.endpoint for s in PushSubscription.objects.filter(user=user)] == [
        push_service.endpoint("alive")
    ]
    assert Delivery.objects.get(user=user).channels == "push 1/2"


def test_a_reminder_no_browser_accepts_is_recorded_as_failed(django_user_model, push_service):
    user = person(django_user_model, "fay", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "broken")
    push_service.status["broken"] = 500
    assert run_pass(now=EVENING).failed == 1
    assert PushSubscription.objects.filter(user=user).exists()  # a 500 may pass; a 410 does not


def test_a_reminder_more_than_half_an_hour_late_is_dropped_not_sent(
    django_user_model, push_service
):
    """A worker that was down from 20:50 to 21:31 drops the 21:00 reminder instead of sending it."""
    user = person(django_user_model, "gus", now=EVENING - timedelta(minutes=10),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "gus")

    report = run_pass(now=EVENING + timedelta(minutes=31))

    assert (report.sent, report.dropped) == (0, 1)
    assert push_service.received == []
    assert Delivery.objects.get(user=user).status == "dropped"
    assert ReminderSettings.objects.get(user=user).next_due_at == EVENING + timedelta(days=1)


def test_a_reminder_29_minutes_late_still_goes(django_user_model, push_service):
    user = person(django_user_model, "hal", now=EVENING - timedelta(minutes=10),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "hal")
    assert run_pass(now=EVENING + timedelta(minutes=29)).sent == 1


def test_nothing_is_sent_while_paused_and_reminders_resume_afterwards(
    django_user_model, push_service
):
    user = person(django_user_model, "ida", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0),
                  paused_until=date(2026, 6, 5))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "ida")
    for day in range(3):  # 3, 4 and 5 June
        assert run_pass(now=EVENING + timedelta(days=day)).claimed == 0
    assert run_pass(now=EVENING + timedelta(days=3)).sent == 1
    assert Delivery.objects.get(user=user).night == date(2026, 6, 6)


def test_a_claimed_reminder_is_never_sent_again_even_when_a_worker_claims_it_twice(
    django_user_model, push_service
):
    """A worker that died after claiming leaves the row claimed; nobody sends it later."""
    user = person(django_user_model, "jo", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    subscribe(user, push_service, Subscriber(), "jo")
    claims, _report = claim(EVENING)  # ...and the worker dies before sending
    assert len(claims) == 1
    reschedule(user, EVENING + timedelta(minutes=1))  # the person saves their settings

    assert run_pass(now=EVENING + timedelta(minutes=2)).claimed == 0
    assert push_service.received == []
    assert Delivery.objects.get(user=user).status == "claimed"


def test_saving_the_settings_reschedules(django_user_model):
    user = person(django_user_model, "kim", evening_enabled=True, evening_time=time(21, 0))
    settings = ReminderSettings.objects.get(user=user)
    settings.evening_time = time(20, 15)
    settings.save()
    due = ReminderSettings.objects.get(user=user).next_due_at
    assert due is not None and due.astimezone(UTC).time() == time(20, 15)
    settings.evening_enabled = False
    settings.save()
    assert ReminderSettings.objects.get(user=user).next_due_at is None


def test_changing_the_time_zone_or_bedtime_reschedules(django_user_model):
    user = person(django_user_model, "lee", evening_enabled=True)  # 30 minutes before 22:30
    first = ReminderSettings.objects.get(user=user).next_due_at
    assert first is not None and first.time() == time(22, 0)
    user.profile.time_zone = "Asia/Tokyo"
    user.profile.bedtime = time(23, 0)
    user.profile.save()
    due = ReminderSettings.objects.get(user=user).next_due_at
    assert due is not None and due.astimezone(user.profile.zone).time() == time(22, 30)


def test_the_evening_reminder_names_tonights_trial_plan(django_user_model, push_service):
    from crampwise.trials.services.lifecycle import create_trial

    user = person(django_user_model, "max", now=EVENING - timedelta(hours=1),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    browser = Subscriber()
    subscribe(user, push_service, browser, "max")
    create_trial(user, remedy_id="magnesium", kind="supplement", start=date(2026, 6, 1),
                 pairs=2, period_nights=14, washout_nights=7, blinded=True)  # fmt: skip
    reschedule(user, EVENING - timedelta(hours=1))
    run_pass(now=EVENING)
    payload = browser.decrypt(push_service.received_by("max")[0].body)
    assert payload["body"].startswith("Tonight: take a capsule from pack 1")


def test_a_reminder_turned_on_after_its_time_waits_for_the_next_day(django_user_model):
    user = person(django_user_model, "ned", now=EVENING + timedelta(minutes=20),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    assert ReminderSettings.objects.get(user=user).next_due_at == EVENING + timedelta(days=1)


def test_a_settings_save_just_after_the_reminders_time_does_not_lose_it(django_user_model):
    """Saved at 21:00:30, before the worker's 21:00 pass reached this person."""
    user = person(django_user_model, "ola", now=EVENING + timedelta(seconds=30),
                  evening_enabled=True, evening_time=time(21, 0))  # fmt: skip
    assert ReminderSettings.objects.get(user=user).next_due_at == EVENING


def test_starting_a_trial_schedules_its_milestones_and_the_eve_gets_a_message(
    django_user_model, push_service
):
    """Evening and morning reminders off, milestones on: the trial alone puts a reminder due."""
    from django.utils import timezone

    from crampwise.trials.services.lifecycle import create_trial

    user = person(django_user_model, "pia", evening_enabled=False)
    assert ReminderSettings.objects.get(user=user).next_due_at is None
    browser = Subscriber()
    subscribe(user, push_service, browser, "pia")
    start = timezone.now().date() + timedelta(days=3)
    create_trial(user, remedy_id="stretching", kind="stretching", start=start,
                 pairs=2, period_nights=7, washout_nights=0)  # fmt: skip

    eve = datetime.combine(start - timedelta(days=1), time(22, 0), tzinfo=UTC)  # bedtime - 30 min
    assert ReminderSettings.objects.get(user=user).next_due_at == eve
    assert run_pass(now=eve).sent == 1
    payload = browser.decrypt(push_service.received_by("pia")[0].body)
    assert payload["title"] == "Your trial starts tomorrow"
    assert payload["body"].startswith("From tomorrow night: ")
    assert payload["tag"] == f"crampwise-trial_starts-{(start - timedelta(days=1)).isoformat()}"


@pytest.mark.parametrize("address", ["10.0.0.5", "127.0.0.1", "169.254.169.254", "::1"])
def test_nothing_is_sent_to_a_push_service_whose_name_resolves_into_a_private_network(
    monkeypatch, address
):
    """A name can point into the server's own network: the worker checks where it resolves."""
    import socket

    from crampwise.reminders import delivery

    sent = []
    monkeypatch.setattr(delivery, "webpush", lambda *args, **kwargs: sent.append(args))
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, port, **kw: [(None, None, None, "", (address, port))]
    )
    monkeypatch.setattr(delivery, "_sessions", type(delivery._sessions)())
    target = delivery.Target(uuid.uuid4(), "https://push.example.net/send/x", "key", "auth")
    result = delivery.push(target, Message("t", "b", "/", "tag"))
    assert not result.ok and result.problem == "endpoint not allowed"
    assert sent == []


def test_a_push_service_on_the_public_internet_is_sent_to(monkeypatch):
    import socket

    from crampwise.reminders import delivery

    sent = []
    monkeypatch.setattr(delivery, "webpush", lambda *args, **kwargs: sent.append(args))
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, port, **kw: [(None, None, None, "", ("8.8.8.8", port))]
    )
    monkeypatch.setattr(delivery, "_sessions", type(delivery._sessions)())
    target = delivery.Target(uuid.uuid4(), "https://push.example.net/send/x", "key", "auth")
    assert delivery.push(target, Message("t", "b", "/", "tag")).ok
    assert len(sent) == 1
