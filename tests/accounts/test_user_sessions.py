"""Sessions carry the signed-in person's id: one statement reads the session, user and profile, and
nothing about signing in or out is weaker for it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from crampwise.accounts.backends import read_with_session
from crampwise.accounts.middleware import AuthenticationMiddleware
from crampwise.accounts.models import UserSession

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def request_with_session(key: str):
    request = RequestFactory().get("/", HTTP_COOKIE=f"sessionid={key}")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def test_the_session_row_names_who_signed_in(client, owner, other_patient):
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    assert UserSession.objects.get(session_key=key).user_id == owner.pk
    client.force_login(other_patient)  # the same browser, another person: a new session
    new_key = client.cookies["sessionid"].value
    assert new_key != key and UserSession.objects.get(session_key=new_key).user_id == other_patient.pk
    client.logout()
    assert not UserSession.objects.filter(session_key=new_key).exists()


def test_session_user_and_profile_in_one_statement(client, owner, django_assert_num_queries):
    client.force_login(owner)
    request = request_with_session(client.cookies["sessionid"].value)
    with django_assert_num_queries(1):
        assert request.user.pk == owner.pk
        assert request.user.profile.time_zone == owner.profile.time_zone
    assert read_with_session.get() is None  # the offer ended with the call


def test_the_column_is_never_trusted_over_the_signed_session(client, owner, other_patient):
    """A row whose column names someone else still signs in only the person its signed data names."""
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    UserSession.objects.filter(session_key=key).update(user=other_patient)
    assert request_with_session(key).user.pk == owner.pk


def test_a_password_changed_elsewhere_still_signs_the_session_out(client, owner):
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    owner.set_password("a completely new passphrase 42")
    owner.save()
    assert not request_with_session(key).user.is_authenticated


def test_deleting_an_account_ends_its_sessions(client, django_user_model):
    person = make_user(django_user_model, "leaving")
    client.force_login(person)
    key = client.cookies["sessionid"].value
    get_user_model().objects.filter(pk=person.pk).delete()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert not request_with_session(key).user.is_authenticated


def test_an_anonymous_visitor_has_no_user(client, django_assert_num_queries):
    request = request_with_session("no-such-session-key")
    with django_assert_num_queries(1):
        assert not request.user.is_authenticated


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_everyone_signed_in(django_user_model):
    """Sessions in Django's own table move to UserSession with their person; expired ones are dropped."""
    from datetime import timedelta  # noqa: PLC0415

    from django.contrib.sessions.backends.db import SessionStore as DjangoStore  # noqa: PLC0415
    from django.contrib.sessions.models import Session  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    person = make_user(django_user_model, "upgrading")
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_user_session")])
    try:
        signed_in, anonymous, expired = DjangoStore(), DjangoStore(), DjangoStore()
        signed_in.update({"_auth_user_id": str(person.pk), "_auth_user_backend": "x", "_auth_user_hash": "h"})
        anonymous["night_mode_override"] = "on"
        expired["_auth_user_id"] = str(person.pk)
        for store in (signed_in, anonymous, expired):
            store.create()
        Session.objects.filter(session_key=expired.session_key).update(
            expire_date=timezone.now() - timedelta(minutes=1))
        executor = MigrationExecutor(connection)
        executor.migrate([("accounts", "0003_copy_sessions")])
        copied = {s.session_key: s for s in UserSession.objects.all()}
        assert set(copied) == {signed_in.session_key, anonymous.session_key}
        assert copied[signed_in.session_key].user_id == person.pk and copied[anonymous.session_key].user_id is None
        assert copied[signed_in.session_key].get_decoded()["_auth_user_id"] == str(person.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
