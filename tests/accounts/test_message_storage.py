"""Flash messages: signed once per text, yet exactly the cookie Django would set, and per secret key."""

from __future__ import annotations

import random
import string

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


def test_messages_too_large_for_the_cookie_still_go_to_the_session():
    """Django's overflow to the session is untouched: what does not fit is kept there, nothing lost."""
    request = RequestFactory().get("/")
    request.session = {}
    storage = MessageStorage(request)
    rng = random.Random(4)  # text that does not compress, so four of them cannot share one cookie
    texts = [f"Message {i}: " + "".join(rng.choices(string.ascii_letters, k=1500)) for i in range(4)]
    for text in texts:
        storage.add(constants.INFO, text)
    response = HttpResponse()
    storage.update(response)
    assert request.session.get("_messages")  # the overflow
    follow = RequestFactory().get("/")
    follow.session, follow.COOKIES["messages"] = request.session, response.cookies["messages"].value
    assert [str(m) for m in MessageStorage(follow)] == texts


def test_safe_and_plain_text_are_not_mixed_up():
    """The same words, once marked safe HTML and once plain, are two different cookies."""
    from django.utils.safestring import mark_safe  # noqa: PLC0415

    plain = stored_cookie(SignedOnceCookieStorage, "<b>Saved</b>")
    safe = stored_cookie(SignedOnceCookieStorage, mark_safe("<b>Saved</b>"))  # noqa: S308 - a test of the flag
    assert plain != safe
    assert safe == stored_cookie(CookieStorage, mark_safe("<b>Saved</b>"))  # noqa: S308
