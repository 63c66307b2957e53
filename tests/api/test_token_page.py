"""The page /settings/tokens/: make a token (shown once), see one's tokens, revoke them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from crampwise.api.models import AccessToken
from crampwise.api.tokens import create_token, hash_token
from tests.api.conftest import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.site_urls")]


def made_secret(html: str) -> str:
    return re.search(r'id="new-token" type="text" value="(cw_[^"]+)"', html).group(1)


def test_anonymous_visitors_are_sent_to_log_in(client):
    """The page needs an account."""
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_new_token_is_shown_once_and_works(client, owner_client, owner):
    """After POST the token is on the page; it reaches the API; the next visit shows only its start."""
    response = owner_client.post(
        reverse("api_tokens"), {"name": "phone app", "scope": "read-write"}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = made_secret(response.content.decode())
    stored = AccessToken.objects.get(user=owner)
    assert (
        stored.token_hash == hash_token(secret)
        and stored.scope == "read-write"
        and stored.name == "phone app"
    )
    assert (
        client.put(
            "/api/v1/nights/2026-11-20",
            {"cramps": 0},
            content_type="application/json",
            headers=bearer(secret),
        ).status_code
        == 200
    )
    later = owner_client.get(reverse("api_tokens")).content.decode()
    assert secret not in later and stored.prefix in later and "phone app" in later


def test_a_token_can_be_revoked_from_the_page(client, owner_client, owner):
    """Revoking moves it to the revoked list and the API refuses it."""
    made, secret = create_token(owner, "old script", "read")
    response = owner_client.post(reverse("api_token_revoke", args=[made.pk]), follow=True)
    assert "was revoked" in response.content.decode()
    assert client.get("/api/v1/nights", headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_nobody_can_see_or_revoke_someone_elses_token(client, owner, who, request):
    """Another person's token is a 404 and stays active; it is not on their page."""
    made, secret = create_token(owner, "alice phone", "read")
    client.force_login(request.getfixturevalue(who))
    assert "alice phone" not in client.get(reverse("api_tokens")).content.decode()
    assert client.post(reverse("api_token_revoke", args=[made.pk])).status_code == 404
    assert AccessToken.objects.get(pk=made.pk).active


def test_a_blank_name_is_refused(owner_client, owner):
    """The form names its error and makes no token."""
    response = owner_client.post(reverse("api_tokens"), {"name": " ", "scope": "read"})
    assert response.status_code == 200 and not AccessToken.objects.filter(user=owner).exists()
    assert 'id="new-token"' not in response.content.decode()


def test_revoking_needs_a_post(owner_client, owner):
    """A link cannot revoke a token."""
    made, _secret = create_token(owner, "x")
    assert owner_client.get(reverse("api_token_revoke", args=[made.pk])).status_code == 405
