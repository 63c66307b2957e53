"""Flash messages: signed once per text, yet exactly the cookie Django would set, and per secret key."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from crampwise.accounts.message_storage import MessageStorage, SignedOnceCookieStorage


def stored_cookie(storage_class, *texts) -> str:
    request = RequestFactory().get("/")
    request.session = {}  # the fallback storage's second place; short messages never reach it
    storage = storage_class(request)
    for text in texts:
        storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies["messages"].value


def read_back(cookie: str) -> list[str]:
    request = RequestFactory().get("/")
    request.COOKIES["messages"] = cookie
    return [str(m) for m in CookieStorage(request)]


@pytest.mark.parametrize("texts", [("Thank you. The night of Wed 25 Nov is saved.",), ("Saved.", "Sleep well.")])
def test_the_cookie_is_the_one_django_sets(texts):
    for _ in range(2):  # the second time from the cache
        assert stored_cookie(SignedOnceCookieStorage, *texts) == stored_cookie(CookieStorage, *texts)
    assert read_back(stored_cookie(MessageStorage, *texts)) == list(texts)


def test_a_new_secret_key_signs_anew():
    before = stored_cookie(SignedOnceCookieStorage, "Saved.")
    with override_settings(SECRET_KEY="another secret key for this test, long enough to be one" * 2):
        after = stored_cookie(SignedOnceCookieStorage, "Saved.")
        assert after != before and read_back(after) == ["Saved."]
        assert read_back(before) == []  # the old signature no longer verifies


@pytest.mark.django_db
def test_the_check_in_message_reaches_the_next_page(owner_client):
    response = owner_client.post("/history/2026-01-05/edit/", {"cramps": "1"}, follow=True)
    assert "The night of Mon 05 Jan is saved" in response.content.decode()
    assert "The night of Mon 05 Jan is saved" not in owner_client.get("/history/").content.decode()
