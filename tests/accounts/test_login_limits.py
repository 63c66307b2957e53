"""Guessing passwords is slowed down: per account and per IP (allauth's rate limits)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def try_login(client, login, password, ip="203.0.113.7"):
    return client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_five_wrong_passwords_even_from_new_addresses(client, owner):
    """Five failures lock the account for a while; the right password from another IP is refused too."""
    for i in range(5):
        response = try_login(client, "alice", "wrong-guess", ip=f"198.51.100.{i}")
        assert response.status_code == 200
    locked = try_login(client, "alice", PASSWORD, ip="192.0.2.99")
    assert locked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in locked.content.decode()


def test_one_address_guessing_many_accounts_is_slowed(client, django_user_model):
    """Ten failures from one IP across accounts block that IP."""
    for n in range(12):
        django_user_model.objects.create_user(f"user{n}", password=PASSWORD)
    statuses = [try_login(client, f"user{n}", "wrong-guess").status_code for n in range(12)]
    blocked = try_login(client, "user0", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert (
        blocked.status_code == 429 or "Too many failed login attempts" in blocked.content.decode()
    )
    assert statuses[0] == 200


def test_a_good_login_still_works_before_any_limit(client, owner):
    """The limits do not get in the way of a normal login."""
    response = try_login(client, "alice", PASSWORD)
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(owner.pk)
