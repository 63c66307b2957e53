"""GET/PATCH /api/v1/me: the profile page's fields, with the profile page's own rules."""
# ruff: noqa: F811  # the fixtures come from tests/reminders/web_helpers.py

from __future__ import annotations

from datetime import time

import pytest

from crampwise.reminders.models import ReminderSettings
from tests.reminders.web_helpers import (  # noqa: F401  # fixtures
    Caller,
    anonymous_api,
    api,
    bearer,
    clinician_api,
    fast_passwords,
    fields,
    fresh_throttles,
    other_api,
)

pytestmark = pytest.mark.django_db


def test_get_shows_the_profile(api, owner):
    body = api.get("/me").json()
    assert body == {
        "username": "alice",
        "time_zone": "Europe/London",
        "bedtime": "22:30",
        "wake_time": "07:00",
        "day_boundary": "12:00",
        "night_mode": "auto",
        "birth_year": None,
        "sex": "",
    }


def test_patch_changes_only_the_fields_sent(api, owner):
    response = api.patch("/me", {"time_zone": "America/Chicago", "bedtime": "23:15"})
    assert response.status_code == 200, response.json()
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "America/Chicago"
    assert owner.profile.bedtime == time(23, 15)
    assert owner.profile.wake_time == time(7, 0)  # not sent, not changed
    assert response.json()["bedtime"] == "23:15"


def test_a_city_is_taken_as_on_the_profile_page(api, owner):
    assert api.patch("/me", {"time_zone": "Chicago"}).json()["time_zone"] == "America/Chicago"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "We do not know the place"),
        ({"time_zone": None}, "time_zone", "required"),
        ({"bedtime": "10pm"}, "bedtime", "HH:MM"),
        ({"wake_time": "24:00"}, "wake_time", "HH:MM"),
        ({"birth_year": 1850}, "birth_year", "between 1900"),
        ({"night_mode": "dim"}, "night_mode", "Choose one of"),
        ({"sex": "unknown"}, "sex", "Choose one of"),
        ({"is_clinician": True}, "is_clinician", "not a field"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, owner, body, field, words):
    response = api.patch("/me", body)
    assert response.status_code == 422
    assert fields(response) == {field}
    assert words in response.json()["detail"][0]["message"]
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "Europe/London" and not owner.profile.is_clinician


def test_one_bad_field_changes_nothing(api, owner):
    response = api.patch("/me", {"bedtime": "21:00", "time_zone": "Nowhere/Land"})
    assert response.status_code == 422
    owner.profile.refresh_from_db()
    assert owner.profile.bedtime == time(22, 30)


def test_a_new_bedtime_moves_the_default_evening_reminder(api, owner):
    """The evening reminder left at its default follows the bedtime, and so does the worker."""
    off = {"enabled": False, "time": None}
    api.put("/reminders", {"evening": {"enabled": True, "time": None}, "morning": off})
    api.patch("/me", {"bedtime": "23:00"})
    assert api.get("/reminders").json()["evening"]["time"] == "22:30"
    due = ReminderSettings.objects.get(user=owner).next_due_at
    assert due is not None
    assert due.astimezone(owner.profile.zone).time() == time(22, 30)


def test_each_caller_sees_and_changes_only_themself(api, other_api, clinician_api, owner):
    other_api.patch("/me", {"time_zone": "Asia/Tokyo"})
    clinician_api.patch("/me", {"time_zone": "Australia/Sydney"})
    assert api.get("/me").json()["time_zone"] == "Europe/London"
    assert other_api.get("/me").json()["username"] == "bob"
    assert clinician_api.get("/me").json()["time_zone"] == "Australia/Sydney"


def test_anonymous_and_read_only_callers_cannot_change_it(anonymous_api, client, owner):
    assert anonymous_api.get("/me").status_code == 401
    assert anonymous_api.patch("/me", {"bedtime": "21:00"}).status_code == 401
    reader = Caller(client, bearer(owner, "read"))
    assert reader.patch("/me", {"bedtime": "21:00"}).status_code == 403
