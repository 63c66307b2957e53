"""A person's own time: chosen at sign-up and on the profile, and used for every time they see."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from crampwise.cli import main
from crampwise.diary import services
from crampwise.diary.models import Episode
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long night of cramps 2026"


def zone_at_local_hour(hour: int) -> str:
    """A fixed-offset zone where the clock now shows ``hour`` (tests only: not offered to people)."""
    offset = (hour - timezone.now().astimezone(UTC).hour) % 24
    offset = offset - 24 if offset > 14 else offset
    # Etc/GMT-N means N hours ahead of UTC (POSIX signs).
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def day(night) -> str:
    return f"{night:%a} {night.day} {night:%b}"


def sign_up(client, **extra):
    data = {"username": "rosa", "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", data)


def test_sign_up_stores_the_zone_the_browser_reported(client, django_user_model):
    """An alias the browser may report (Asia/Calcutta) is stored as its current name."""
    sign_up(client, time_zone="Asia/Calcutta")
    assert django_user_model.objects.get(username="rosa").profile.time_zone == "Asia/Kolkata"


def test_sign_up_without_a_zone_asks_for_one(client, django_user_model):
    """No silent UTC: an empty zone keeps the person on the page with a question."""
    response = sign_up(client, time_zone="")
    assert response.status_code == 200
    assert not django_user_model.objects.filter(username="rosa").exists()
    assert "time zone" in response.content.decode().lower()


def test_sign_up_takes_a_city_typed_without_javascript(client, django_user_model):
    sign_up(client, time_zone="sydney")
    assert django_user_model.objects.get(username="rosa").profile.time_zone == "Australia/Sydney"


def test_a_country_with_several_zones_is_asked_about(client, django_user_model):
    response = sign_up(client, time_zone="United States")
    assert not django_user_model.objects.filter(username="rosa").exists()
    assert "more than one time zone" in response.content.decode()
    assert "America/New_York" in response.content.decode()


def test_the_sign_up_page_offers_places_not_aliases(client):
    page = client.get("/accounts/signup/").content.decode()
    assert 'value="Europe/London" label="London, United Kingdom"' in page
    assert 'value="GB"' not in page and 'value="US/Eastern"' not in page
    assert "zone.js" in page


def test_the_profile_changes_the_zone_by_city(owner_client, owner):
    profile = owner.profile
    data = {
        "time_zone": "New York",
        "bedtime": "22:30",
        "wake_time": "07:00",
        "day_boundary": "12:00",
        "night_mode": "auto",
        "sex": "",
        "birth_year": "",
    }
    owner_client.post("/profile/", data)
    profile.refresh_from_db()
    assert profile.time_zone == "America/New_York"


def test_the_cramp_page_shows_the_start_in_the_persons_zone(client, django_user_model):
    """20:39 UTC is 07:39 the next morning in Sydney in January: the page says 07:39."""
    user = make_user(django_user_model, "syd", time_zone="Australia/Sydney")
    episode, _ = services.log_episode(user, started_at=datetime(2026, 1, 14, 20, 39, tzinfo=UTC))
    client.force_login(user)
    page = client.get(f"/night/episode/{episode.pk}/").content.decode()
    assert "Started at 07:39." in page
    night = client.get(f"/history/{episode.night.isoformat()}/").content.decode()
    assert "07:39" in night and "20:39" not in night


def test_at_3_am_home_offers_the_night_in_progress_not_its_check_in(client, django_user_model):
    user = make_user(django_user_model, "owl", time_zone=zone_at_local_hour(3))
    client.force_login(user)
    # Brand new: no night before the account is asked about.
    assert "Morning check-in" not in client.get("/").content.decode()
    user.date_joined = timezone.now() - timedelta(days=7)
    user.save()
    tonight = services.current_night(user)
    assert services.last_night(user) == tonight - timedelta(days=1)
    page = client.get("/").content.decode()
    assert "Cramp now" in page
    card = page.split('id="checkin-heading"')[1]
    assert f"night of {day(tonight - timedelta(days=1))}" in card
    assert f"night of {day(tonight)}" not in card


def test_tonight_is_not_counted_as_not_recorded(client, django_user_model):
    user = make_user(django_user_model, "owl", time_zone=zone_at_local_hour(3))
    client.force_login(user)
    tonight = services.current_night(user)
    page = client.get(f"/history/?year={tonight.year}&month={tonight.month}").content.decode()
    cell = page.split(f'href="/history/{tonight.isoformat()}/"')[1].split("</a>")[0]
    assert "tonight" in cell and "not recorded" not in cell


def test_choosing_a_muscle_in_the_guide_without_javascript_fills_where(client, owner):
    episode, _ = services.log_episode(owner)
    client.force_login(owner)
    page = client.get(f"/night/episode/{episode.pk}/?muscle=foot").content.decode()
    checked = re.findall(r'<input[^>]*name="muscle"[^>]*value="(\w+)"[^>]*checked', page)
    assert checked == ["foot"]


def test_one_message_with_a_plural_duration_after_it_is_over(client, owner):
    episode, _ = services.log_episode(owner)
    Episode.objects.filter(pk=episode.pk).update(started_at=timezone.now() - timedelta(seconds=61))
    client.force_login(owner)
    response = client.post(f"/night/episode/{episode.pk}/", {"over": "1"}, follow=True)
    text = response.content.decode()
    assert text.count('class="message ') == 1
    assert "The cramp lasted 1 minute 1 second." in text


@pytest.mark.parametrize(
    ("zone", "message"),
    [("GB", "old alias; use its current name 'Europe/London'"), ("Mars/Base", "not a time zone")],
)
def test_user_add_refuses_an_alias_or_an_unknown_zone(zone, message, django_user_model):
    result = CliRunner().invoke(
        main, ["user", "add", "kim", "--password-stdin", "--time-zone", zone], input=PASSWORD + "\n"
    )
    assert result.exit_code != 0 and message in result.output
    assert not django_user_model.objects.filter(username="kim").exists()


def test_user_add_sets_the_zone(django_user_model):
    result = CliRunner().invoke(
        main,
        ["user", "add", "kim", "--password-stdin", "--time-zone", "America/Chicago"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert django_user_model.objects.get(username="kim").profile.time_zone == "America/Chicago"
