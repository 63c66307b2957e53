"""History, a night's page and the check-in, as the server renders them."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse

from crampwise.diary import services

pytestmark = pytest.mark.django_db


def test_a_logged_night_without_an_answer_is_not_confirmed_and_offered(owner_client, owner):
    """History gives it its own cell linking to its check-in; the check-in offers to confirm it."""
    night = (services.last_night(owner).replace(day=1) - timedelta(days=1)).replace(day=12)
    services.log_episode(
        owner, started_at=datetime.combine(night + timedelta(days=1), time(3), owner.profile.zone)
    )
    services.save_night(owner, night - timedelta(days=1), reported_cramps=3)
    html = owner_client.get(
        reverse("history") + f"?year={night.year}&month={night.month}"
    ).content.decode()
    edit = reverse("night_edit", args=[night.isoformat()])
    assert "day-unconfirmed" in html and "1 logged, not confirmed" in html and edit in html
    # The month's total rests on the confirmed night only.
    assert "3 cramps in all" in html
    checkin = owner_client.get(reverse("checkin")).content.decode()
    assert "Confirm the night of" in checkin and edit in checkin


def test_a_nights_page_names_factors_in_words(owner_client, owner):
    night = date(2026, 3, 2)
    services.save_night(owner, night, reported_cramps=0, factors={"fluid_glasses": 6})
    html = owner_client.get(reverse("night", args=[night.isoformat()])).content.decode()
    assert "Glasses of fluid:</dt> <dd>6" in html and "fluid_glasses" not in html


def test_the_home_page_offers_a_logged_night_for_confirmation(owner_client, owner):
    """A night a week ago with cramps logged but no morning answer is offered on the home page;
    once answered, it is not."""
    night = services.last_night(owner) - timedelta(days=7)
    services.log_episode(
        owner, started_at=datetime.combine(night + timedelta(days=1), time(3), owner.profile.zone)
    )
    edit = reverse("night_edit", args=[night.isoformat()])
    html = owner_client.get(reverse("home")).content.decode()
    assert "Confirm the night of" in html and edit in html
    services.save_night(owner, night, reported_cramps=1)
    html = owner_client.get(reverse("home")).content.decode()
    assert edit not in html


def test_the_home_page_does_not_offer_last_night_twice(owner_client, owner):
    """Last night is what the morning card asks about; it is not listed again below it."""
    night = services.last_night(owner)
    owner.date_joined -= timedelta(days=30)  # a person who has been here a while
    owner.save()
    services.log_episode(
        owner, started_at=datetime.combine(night + timedelta(days=1), time(3), owner.profile.zone)
    )
    html = owner_client.get(reverse("home")).content.decode()
    assert "Morning check-in" in html and "Confirm the night of" not in html


def test_the_months_summary_speaks_in_singular_and_plural(owner_client, owner):
    """One cramp is "1 cramp", one free night "1 night": never "1 cramps"."""
    first = services.last_night(owner).replace(day=1) - timedelta(days=40)
    first = first.replace(day=1)
    services.save_night(owner, first, reported_cramps=1)
    services.save_night(owner, first + timedelta(days=1), reported_cramps=0)
    html = owner_client.get(
        reverse("history") + f"?year={first.year}&month={first.month}"
    ).content.decode()
    assert "2 of " in html and "1 cramp in all," in html and "1 night free of cramps." in html
    assert not re.search(r"\b1 (cramps|nights)\b", html)
