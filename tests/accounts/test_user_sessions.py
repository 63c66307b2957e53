"""Sessions are Django's own (in the database): signing in and out works as Django documents, and
the person's profile comes with the user, since every page reads it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BACKENDS = [
    "crampwise.accounts.backends.ProfileModelBackend",
    "crampwise.accounts.backends.ProfileAuthenticationBackend",
]


def request_with_session(key: str):
    request = RequestFactory().get("/", HTTP_COOKIE=f"sessionid={key}")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_profile_comes_with_the_user(client, owner, backend, django_assert_num_queries):
    """Signed in by username or by email: the session, then the user with the profile; nothing more."""
    client.force_login(owner, backend=backend)
    request = request_with_session(client.cookies["sessionid"].value)
    with django_assert_num_queries(2):
        assert request.user.pk == owner.pk
        assert request.user.profile.time_zone == owner.profile.time_zone


def test_signing_out_ends_the_session(client, owner):
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    client.logout()
    assert not Session.objects.filter(session_key=key).exists()
    assert not request_with_session(key).user.is_authenticated


def test_a_password_changed_elsewhere_signs_the_session_out(client, owner):
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    owner.set_password("a completely new passphrase 42")
    owner.save()
    assert not request_with_session(key).user.is_authenticated


def test_a_deleted_account_is_signed_out_everywhere(client, django_user_model):
    """A session left on another device no longer signs anybody in."""
    person = make_user(django_user_model, "leaving")
    client.force_login(person)
    key = client.cookies["sessionid"].value
    get_user_model().objects.filter(pk=person.pk).delete()
    assert not request_with_session(key).user.is_authenticated


def test_an_anonymous_visitor_has_no_user(django_assert_num_queries):
    request = request_with_session("no-such-session-key")
    with django_assert_num_queries(1):
        assert not request.user.is_authenticated


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_everyone_signed_in(django_user_model):
    """Live sessions move from UserSession back to Django's table; out-of-date rows there and
    expired sessions are dropped; a session from allauth's backend names crampwise's subclass."""
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    person = make_user(django_user_model, "upgrading")
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_copy_sessions")])
    try:
        user_sessions = executor.loader.project_state(
            ("accounts", "0003_copy_sessions")
        ).apps.get_model("accounts", "UserSession")
        stale = SessionStore()
        stale.update({"_auth_user_id": str(person.pk), "_auth_user_backend": BACKENDS[0]})
        stale.create()  # a copy 0003 left behind in Django's table
        coder = SessionStore()
        later = timezone.now() + timedelta(days=1)
        rows = {
            "byusername": (
                {
                    "_auth_user_id": str(person.pk),
                    "_auth_user_backend": BACKENDS[0],
                    "_auth_user_hash": person.get_session_auth_hash(),
                },
                later,
            ),
            "byemail": (
                {
                    "_auth_user_id": str(person.pk),
                    "_auth_user_backend": "allauth.account.auth_backends.AuthenticationBackend",
                    "_auth_user_hash": person.get_session_auth_hash(),
                },
                later,
            ),
            "anonymous": ({"night_mode_override": "on"}, later),
            "expired": ({"_auth_user_id": str(person.pk)}, timezone.now() - timedelta(minutes=1)),
        }
        for key, (data, expiry) in rows.items():
            user_sessions.objects.create(
                session_key=key.ljust(32, "x"),
                session_data=coder.encode(data),
                expire_date=expiry,
                user_id=person.pk if "_auth_user_id" in data else None,
            )
        executor = MigrationExecutor(connection)
        executor.migrate([("accounts", "0004_back_to_django_sessions")])
        moved = {s.session_key.rstrip("x"): s.get_decoded() for s in Session.objects.all()}
        assert set(moved) == {"byusername", "byemail", "anonymous"}
        assert moved["byemail"]["_auth_user_backend"] == BACKENDS[1]
        assert moved["anonymous"] == {"night_mode_override": "on"}
        for key in ("byusername", "byemail"):
            assert request_with_session(key.ljust(32, "x")).user.pk == person.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
