"""Push subscriptions and the push key: a browser subscribes once, and only its owner removes it."""
# ruff: noqa: F811  # the fixtures come from tests/reminders/web_helpers.py

from __future__ import annotations

import sys
import types
import uuid

import pytest

from crampwise.reminders.core.push_keys import endpoint_problem
from crampwise.reminders.models import PushSubscription
from tests.reminders.web_helpers import (  # noqa: F401  # fixtures
    anonymous_api,
    api,
    b64url,
    clinician_api,
    fast_passwords,
    fields,
    fresh_throttles,
    other_api,
    subscription,
)

pytestmark = pytest.mark.django_db


def test_a_browser_subscribes_and_gets_an_id(api, owner):
    response = api.post("/push-subscriptions", subscription())
    assert response.status_code == 201, response.json()
    body = response.json()
    row = PushSubscription.objects.get(pk=body["id"])
    assert row.user == owner and row.endpoint == "https://push.example.net/send/abc123"
    assert body["service"] == "push.example.net"
    assert "endpoint" not in body and "keys" not in body  # the capability stays on the server


def test_the_same_browser_again_updates_its_one_row(api, owner):
    first = api.post("/push-subscriptions", subscription()).json()
    again = api.post("/push-subscriptions", subscription())
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert PushSubscription.objects.count() == 1
    new_keys = subscription()["keys"]
    api.post("/push-subscriptions", subscription(**new_keys))
    assert PushSubscription.objects.get().p256dh == new_keys["p256dh"]


def test_a_browser_that_someone_else_signs_in_on_becomes_theirs(api, other_api, other_patient):
    first = api.post("/push-subscriptions", subscription()).json()
    second = other_api.post("/push-subscriptions", subscription()).json()
    assert second["id"] == first["id"]
    assert PushSubscription.objects.get().user == other_patient


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.net/send/1",
        "http://127.0.0.1:8080/push/1",
        "https://127.0.0.1/push/1",
        "https://10.0.0.7/push/1",
        "https://[::1]/push/1",
        "https://localhost/push/1",
        "https://intranet/push/1",
        "ftp://push.example.net/1",
        "not a url",
        "https://user:pw@push.example.net/1",
        "https://push.example.net/" + "x" * 2000,
    ],
)
def test_an_endpoint_that_is_not_https_to_a_host_name_is_refused(api, endpoint):
    response = api.post("/push-subscriptions", subscription(endpoint))
    assert response.status_code == 422 and fields(response) == {"endpoint"}
    assert not PushSubscription.objects.exists()


def test_the_loopback_setting_admits_http_127_0_0_1_only(api, settings):
    settings.PUSH_ALLOW_HTTP_LOOPBACK = True
    assert (
        api.post("/push-subscriptions", subscription("http://127.0.0.1:8080/p/1")).status_code
        == 201
    )
    assert api.post("/push-subscriptions", subscription("http://10.0.0.7/p/1")).status_code == 422
    assert (
        api.post("/push-subscriptions", subscription("http://push.example.net/1")).status_code
        == 422
    )


def test_the_loopback_rule_on_its_own():
    assert endpoint_problem("http://127.0.0.1/p", allow_http_loopback=False)
    assert endpoint_problem("http://127.0.0.1/p", allow_http_loopback=True) is None
    assert (
        endpoint_problem("https://fcm.googleapis.com/fcm/send/x", allow_http_loopback=False) is None
    )


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"p256dh": "not base64!"}, "keys.p256dh"),
        ({"p256dh": b64url(b"\x04" + b"\x01" * 63)}, "keys.p256dh"),  # 64 bytes
        ({"p256dh": b64url(b"\x02" + b"\x01" * 64)}, "keys.p256dh"),  # not uncompressed
        ({"p256dh": b64url(b"\x04" + b"\x01" * 64)}, "keys.p256dh"),  # not on the curve
        ({"auth": b64url(b"short")}, "keys.auth"),
        ({"auth": "###"}, "keys.auth"),
    ],
)
def test_keys_must_be_base64url_of_the_right_length(api, keys, field):
    response = api.post("/push-subscriptions", subscription(**keys))
    assert response.status_code == 422 and fields(response) == {field}


def test_missing_keys_and_unknown_fields_are_named(api):
    response = api.post("/push-subscriptions", {"endpoint": "https://push.example.net/1"})
    assert fields(response) == {"keys"}
    body = subscription()
    body["colour"] = "red"
    assert fields(api.post("/push-subscriptions", body)) == {"colour"}


def test_padded_base64url_keys_are_taken_too(api):
    keys = subscription()["keys"]
    padded = {"p256dh": keys["p256dh"] + "=", "auth": keys["auth"] + "=="}
    assert api.post("/push-subscriptions", subscription(**padded)).status_code == 201


def test_the_list_shows_only_your_devices(api, other_api):
    api.post("/push-subscriptions", subscription("https://push.example.net/a"))
    other_api.post("/push-subscriptions", subscription("https://push.example.net/b"))
    mine = api.get("/push-subscriptions").json()
    assert len(mine) == 1 and mine[0]["service"] == "push.example.net"
    assert api.get("/reminders").json()["devices"] == 1


def test_only_the_owner_removes_a_device(api, other_api, clinician_api, anonymous_api):
    sub_id = api.post("/push-subscriptions", subscription()).json()["id"]
    assert other_api.delete(f"/push-subscriptions/{sub_id}").status_code == 404
    assert clinician_api.delete(f"/push-subscriptions/{sub_id}").status_code == 404
    assert anonymous_api.delete(f"/push-subscriptions/{sub_id}").status_code == 401
    assert PushSubscription.objects.filter(pk=sub_id).exists()
    assert api.delete(f"/push-subscriptions/{sub_id}").status_code == 204
    assert api.delete(f"/push-subscriptions/{sub_id}").status_code == 404
    assert api.delete(f"/push-subscriptions/{uuid.uuid4()}").status_code == 404
    assert fields(api.delete("/push-subscriptions/12")) == {"subscription_id"}


def test_anonymous_callers_cannot_subscribe(anonymous_api):
    assert anonymous_api.post("/push-subscriptions", subscription()).status_code == 401
    assert anonymous_api.get("/push-key").status_code == 401
    assert not PushSubscription.objects.exists()


def test_the_push_key_comes_from_the_vapid_module(api, monkeypatch):
    fake = types.ModuleType("crampwise.reminders.vapid")
    fake.public_key = lambda: "BPublicKeyInBase64url"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crampwise.reminders.vapid", fake)
    assert api.get("/push-key").json() == {"public_key": "BPublicKeyInBase64url"}


def test_without_a_key_the_push_key_is_a_clear_503(api, monkeypatch):
    fake = types.ModuleType("crampwise.reminders.vapid")
    fake.public_key = lambda: ""  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crampwise.reminders.vapid", fake)
    response = api.get("/push-key")
    assert response.status_code == 503
    assert "not set up" in response.json()["detail"][0]["message"]
