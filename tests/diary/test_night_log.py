"""“Cramp now”: one tap at night, details if wanted, and never a duplicate."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crampwise.diary import services
from crampwise.diary.models import Episode, Night

pytestmark = pytest.mark.django_db


def test_one_tap_records_a_cramp_and_opens_its_page(owner_client, owner):
    """The time is stored at the tap; the page for details follows."""
    episode_id = uuid.uuid4()
    response = owner_client.post(reverse("cramp_now"), {"id": str(episode_id)})
    assert response.status_code == 302 and response.url == reverse("episode", args=[episode_id])
    episode = Episode.objects.get(pk=episode_id)
    assert episode.user == owner
    assert abs((timezone.now() - episode.started_at).total_seconds()) < 5


def test_a_repeated_tap_with_the_same_id_is_not_a_second_cramp(owner_client, owner):
    """A retry after a lost answer stores nothing new."""
    episode_id = str(uuid.uuid4())
    owner_client.post(reverse("cramp_now"), {"id": episode_id})
    owner_client.post(reverse("cramp_now"), {"id": episode_id})
    assert Episode.objects.filter(user=owner).count() == 1
    night = Night.objects.get(user=owner)
    assert night.episode_count == 1 and night.cramps == 1 and night.reported_cramps is None


def test_another_persons_episode_id_is_never_touched(client, owner, other_patient):
    """Posting someone else's id makes a fresh episode for the poster."""
    theirs, _ = services.log_episode(other_patient)
    client.force_login(owner)
    client.post(reverse("cramp_now"), {"id": str(theirs.pk)})
    assert Episode.objects.get(pk=theirs.pk).user == other_patient
    assert Episode.objects.filter(user=owner).count() == 1


def test_its_over_saves_the_duration_and_details(owner_client, owner):
    """“It's over” ends the cramp; where, side, pain and what helped are stored."""
    ep, _ = services.log_episode(owner, started_at=timezone.now() - timedelta(minutes=4))
    response = owner_client.post(
        reverse("episode", args=[ep.pk]),
        {
            "muscle": "calf",
            "side": "left",
            "pain": "8",
            "reliefs": ["stretch", "massage"],
            "over": "1",
        },
    )
    assert response.status_code == 302
    ep.refresh_from_db()
    assert ep.muscle == "calf" and ep.side == "left" and ep.pain == 8
    assert ep.reliefs == ["massage", "stretch"]
    assert 235 <= ep.duration_seconds <= 250


def test_a_cramp_before_noon_is_logged_to_the_previous_night(owner):
    """At 03:00 London time the cramp belongs to the night that began the evening before."""
    ep, _ = services.log_episode(owner, started_at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC))
    assert ep.night.isoformat() == "2026-11-25"


def test_deleting_an_episode_lowers_the_nights_count(owner_client, owner):
    """The night's count follows the episodes when no morning answer was given."""
    first, _ = services.log_episode(owner, started_at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC))
    services.log_episode(owner, started_at=datetime(2026, 11, 26, 4, 0, tzinfo=UTC))
    owner_client.post(reverse("episode_delete", args=[first.pk]))
    assert Night.objects.get(user=owner).cramps == 1


def test_night_mode_can_be_switched_on_by_choice(owner_client):
    """The toggle turns the dim theme on for this session."""
    owner_client.post(reverse("night_mode"), {"mode": "on"})
    html = owner_client.get(reverse("home")).content.decode()
    assert 'class="night"' in html
    owner_client.post(reverse("night_mode"), {"mode": "off"})
    assert 'class="night"' not in owner_client.get(reverse("home")).content.decode()
