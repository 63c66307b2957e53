"""The calendar feed: a secret address, RFC 5545 text with local times, and nobody else's data."""
# ruff: noqa: F811  # the fixtures come from tests/reminders/web_helpers.py

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from crampwise.clinician.core.logs import redact
from crampwise.reminders.feeds import token_hash
from crampwise.reminders.models import CalendarFeed, ReminderSettings
from crampwise.trials.services.lifecycle import create_trial
from tests.reminders.web_helpers import (  # noqa: F401  # fixtures
    anonymous_api,
    api,
    fast_passwords,
    freeze,
    fresh_throttles,
    other_api,
)

pytestmark = pytest.mark.django_db


def feed_path(api) -> str:
    response = api.post("/calendar-feed")
    assert response.status_code == 201, response.json()
    url = response.json()["url"]
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://testserver")


def read(client, path) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"].startswith("private")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def evening(owner, at: time = time(21, 30), **more) -> None:
    ReminderSettings.objects.update_or_create(
        user=owner, defaults={"evening_enabled": True, "evening_time": at, **more}
    )


def test_the_feed_parses_and_rings_at_the_chosen_local_time(api, client, owner):
    evening(owner, morning_enabled=True)
    calendar = read(client, feed_path(api))
    assert calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    found = events(calendar)
    evenings = [e for e in found if "bed" in str(e["SUMMARY"])]
    mornings = [e for e in found if "night?" in str(e["SUMMARY"])]
    assert len(evenings) == 56 and len(mornings) == 56
    for event in evenings:
        start = event.decoded("DTSTART")
        assert start.tzinfo.key == "Europe/London" and start.time() == time(21, 30)
        assert [a["ACTION"] for a in event.walk("VALARM")] == ["DISPLAY"]
    assert {e.decoded("DTSTART").time() for e in mornings} == {time(7, 30)}  # the default


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Europe/London", date(2026, 10, 24), date(2026, 10, 25)),
        ("America/New_York", date(2026, 10, 31), date(2026, 11, 1)),
        ("Australia/Sydney", date(2026, 10, 3), date(2026, 10, 4)),  # summer time starts
    ],
)
def test_the_local_time_stays_the_same_across_a_change_of_clocks(
    api, client, owner, monkeypatch, zone, before, after
):
    """21:30 is 21:30 on both sides of the change; only its distance from UTC moves."""
    owner.profile.time_zone = zone
    owner.profile.save()
    evening(owner)
    freeze(monkeypatch, datetime.combine(before - timedelta(days=3), time(12), ZoneInfo(zone)))
    calendar = read(client, feed_path(api))
    starts = {e.decoded("DTSTART").date(): e.decoded("DTSTART") for e in events(calendar)}
    first, second = starts[before], starts[after]
    assert first.time() == second.time() == time(21, 30)
    assert first.tzinfo.key == second.tzinfo.key == zone
    offsets = {first.utcoffset(), second.utcoffset()}
    assert len(offsets) == 2  # the clocks changed in between
    text = client.get(feed_path(api)).content.decode()
    assert f"DTSTART;TZID={zone}:{after.strftime('%Y%m%d')}T213000" in text


def test_paused_nights_have_no_reminders(api, client, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, tzinfo=UTC))
    evening(owner, paused_until=date(2026, 12, 9))
    nights = {e.decoded("DTSTART").date() for e in events(read(client, feed_path(api)))}
    assert min(nights) == date(2026, 12, 10)


def test_a_blinded_trial_shows_the_pack_never_the_remedy(api, client, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, tzinfo=UTC))
    create_trial(
        owner, remedy_id="magnesium", kind="supplement", start=date(2026, 12, 6), pairs=2,
        period_nights=14, washout_nights=7, blinded=True, seed=5,
    )  # fmt: skip
    calendar = read(client, feed_path(api))
    text = calendar.to_ical().decode().lower()
    assert "magnesium" not in text
    timed = [e for e in events(calendar) if isinstance(e.decoded("DTSTART"), datetime)]
    summaries = {e.decoded("DTSTART").date(): str(e["SUMMARY"]) for e in timed}
    assert summaries[date(2026, 12, 6)] == "Tonight: take a capsule from pack 1"
    assert summaries[date(2026, 12, 20)] == "Tonight: take a capsule from pack 2"
    # No evening reminder is on: the plan is shown, but nothing rings.
    assert not any(
        e.walk("VALARM") for e in events(calendar) if e.get("SUMMARY", "").startswith("Tonight")
    )
    milestones = [str(e["SUMMARY"]) for e in events(calendar) if type(e.decoded("DTSTART")) is date]
    assert "Your trial starts tonight" in milestones
    assert "New trial plan from tonight: take a capsule from pack 2" in milestones
    assert "Last night of your trial" in milestones and "Your trial result is ready" in milestones


def test_an_open_trial_names_the_plan_and_rings_when_asked(api, client, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, tzinfo=UTC))
    evening(owner, trial_milestones=False)
    create_trial(
        owner, remedy_id="stretching", kind="stretching", start=date(2026, 12, 6), pairs=2,
        period_nights=7, washout_nights=1, seed=3,
    )  # fmt: skip
    calendar = read(client, feed_path(api))
    tonight = next(e for e in events(calendar) if e.decoded("DTSTART").date() == date(2026, 12, 6))
    assert str(tonight["SUMMARY"]).startswith("Tonight: ")
    assert tonight.walk("VALARM")
    assert not any(type(e.decoded("DTSTART")) is date for e in events(calendar))  # milestones off


def test_a_new_address_replaces_the_old_one(api, client, owner):
    old = feed_path(api)
    new = feed_path(api)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=owner).count() == 1


def test_a_revoked_address_is_a_404(api, client, owner):
    path = feed_path(api)
    assert api.get("/calendar-feed").json()["active"] is True
    assert api.delete("/calendar-feed").status_code == 204
    assert client.get(path).status_code == 404
    assert api.get("/calendar-feed").json() == {"active": False, "created_at": None}
    assert api.delete("/calendar-feed").status_code == 204  # again: still gone, no error


def test_the_database_holds_only_the_hash(api, client, owner):
    path = feed_path(api)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=owner).token_hash
    assert stored == token_hash(token) and token not in stored
    assert client.get(f"/calendar/{stored}.ics").status_code == 404  # the hash opens nothing


def test_another_persons_token_never_shows_your_data(api, other_api, client, owner, monkeypatch):
    freeze(monkeypatch, datetime(2026, 12, 6, 12, tzinfo=UTC))
    evening(owner, at=time(20, 17))
    create_trial(
        owner, remedy_id="stretching", kind="stretching", start=date(2026, 12, 6), pairs=2,
        period_nights=7, washout_nights=1, seed=3,
    )  # fmt: skip
    mine = feed_path(api)
    theirs = feed_path(other_api)
    text = client.get(theirs).content.decode()
    assert "Tonight" not in text and "T201700" not in text and "stretch" not in text.lower()
    assert "Tonight" in client.get(mine).content.decode()
    # Bob revoking his own address leaves Alice's working.
    other_api.delete("/calendar-feed")
    assert client.get(mine).status_code == 200


def test_a_closed_account_opens_no_feed(api, client, owner):
    path = feed_path(api)
    owner.is_active = False
    owner.save()
    assert client.get(path).status_code == 404


def test_anonymous_callers_cannot_make_or_revoke_an_address(anonymous_api):
    assert anonymous_api.post("/calendar-feed").status_code == 401
    assert anonymous_api.delete("/calendar-feed").status_code == 401
    assert not CalendarFeed.objects.exists()


def test_the_token_is_blanked_in_logs(api, client, owner, caplog):
    path = feed_path(api)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert redact(f'"GET {path} HTTP/1.1" 200') == '"GET /calendar/[token].ics HTTP/1.1" 200'
    api.delete("/calendar-feed")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(path).status_code == 404
    assert "/calendar/[token].ics" in caplog.text and token not in caplog.text
