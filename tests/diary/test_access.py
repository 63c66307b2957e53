"""Who may see and change a diary: only its owner (clinician grants come with the clinician issue)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from crampwise.diary import services
from crampwise.diary.models import Episode, Medicine, Night

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_data(owner):
    ep, _ = services.log_episode(owner, started_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    services.save_night(owner, date(2026, 11, 19), reported_cramps=1)
    med = Medicine.objects.create(user=owner, name="Ramipril")
    return {"episode": ep, "medicine": med}


PRIVATE_PAGES = [
    ("checkin", []),
    ("history", []),
    ("medicines", []),
    ("factors", []),
    ("export_csv", []),
    ("import_csv", []),
    ("profile", []),
    ("night", ["2026-11-19"]),
    ("night_edit", ["2026-11-19"]),
]


@pytest.mark.parametrize("name,args", PRIVATE_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    """Every diary page needs an account."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_nobody_else_can_open_alices_episode_or_medicine(client, alice_data, who, request):
    """Another patient and a clinician without a grant get 404, as if it did not exist."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("episode", args=[alice_data["episode"].pk])).status_code == 404
    assert (
        client.post(reverse("episode", args=[alice_data["episode"].pk]), {"over": "1"}).status_code
        == 404
    )
    assert (
        client.post(reverse("episode_delete", args=[alice_data["episode"].pk])).status_code == 404
    )
    assert client.get(reverse("medicine_edit", args=[alice_data["medicine"].pk])).status_code == 404
    assert (
        client.post(
            reverse("medicine_edit", args=[alice_data["medicine"].pk]), {"delete": "1"}
        ).status_code
        == 404
    )
    assert Episode.objects.filter(pk=alice_data["episode"].pk).exists()
    assert Medicine.objects.filter(pk=alice_data["medicine"].pk).exists()


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_a_night_url_shows_only_the_visitors_own_night(client, alice_data, who, request, owner):
    """Nights are addressed by date and always scoped to the logged-in person."""
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("night", args=["2026-11-19"])).content.decode()
    assert "This night is not recorded" in html
    client.post(reverse("night_delete", args=["2026-11-19"]))
    assert Night.objects.filter(user=owner, night=date(2026, 11, 19)).exists()
    export = client.get(reverse("export_csv")).content.decode()
    assert "2026-11-19" not in export


def test_the_owner_sees_their_own_records(owner_client, alice_data):
    """The owner can open everything of theirs."""
    assert owner_client.get(reverse("episode", args=[alice_data["episode"].pk])).status_code == 200
    assert (
        owner_client.get(reverse("medicine_edit", args=[alice_data["medicine"].pk])).status_code
        == 200
    )
    assert "2026-11-19,1," in owner_client.get(reverse("export_csv")).content.decode()


def test_state_changing_urls_refuse_get(owner_client, alice_data):
    """Deleting or logging needs a POST with a CSRF token."""
    assert owner_client.get(reverse("cramp_now")).status_code == 405
    assert owner_client.get(reverse("night_delete", args=["2026-11-19"])).status_code == 405
