"""Entering a clinician's code is rate-limited per person and per address, like signing in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.clinician import ratelimit, services
from crampwise.clinician.models import Grant
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def try_code(client, code, ip="203.0.113.5"):
    return client.post(reverse("grant_create"), {"code": code}, REMOTE_ADDR=ip)


def test_the_sixth_wrong_code_in_a_minute_is_refused_even_when_right(
    client, owner, other_patient, clinician
):
    """Five wrong tries get their reason (400); the sixth gets 429 and a plain message; nothing granted."""
    client.force_login(owner)
    for _ in range(ratelimit.WRONG_PER_PERSON):
        assert try_code(client, "ABCDEFGH").status_code == 400
    right = services.clinician_code(clinician).code
    refused = try_code(client, right)
    assert refused.status_code == 429
    assert refused.context["grant_form"].errors["code"] == [
        "Too many wrong codes. Wait a minute, then try again."
    ]
    assert not Grant.objects.exists()
    # From another address the same person is still refused: the limit follows the person.
    assert try_code(client, right, ip="198.51.100.7").status_code == 429
    # Another person at the same address is not affected.
    client.force_login(other_patient)
    assert try_code(client, right).status_code == 302
    assert Grant.objects.get().patient == other_patient


def test_many_wrong_codes_from_one_address_stop_that_address_only(
    client, django_user_model, clinician
):
    """Guessing from one address with many accounts is stopped; the same new person elsewhere is not."""
    right = services.clinician_code(clinician).code
    accounts = ratelimit.WRONG_PER_ADDRESS // ratelimit.WRONG_PER_PERSON
    for i in range(accounts):
        client.force_login(make_user(django_user_model, f"guesser{i}"))
        for _ in range(ratelimit.WRONG_PER_PERSON):
            assert try_code(client, "ABCDEFGH").status_code == 400
    client.force_login(make_user(django_user_model, "newcomer"))
    assert try_code(client, right).status_code == 429
    assert try_code(client, right, ip="198.51.100.7").status_code == 302


def test_the_count_starts_again_in_the_next_minute(client, owner, clinician, monkeypatch):
    """The brake lasts a minute, not for ever."""
    client.force_login(owner)
    for _ in range(ratelimit.WRONG_PER_PERSON):
        try_code(client, "ABCDEFGH")
    assert try_code(client, "ABCDEFGH").status_code == 429
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + ratelimit.WINDOW_SECONDS)
    assert try_code(client, services.clinician_code(clinician).code).status_code == 302
