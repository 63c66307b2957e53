"""The page frame is cached per language, page and role, and never carries one person's things to another."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from crampwise.accounts.templatetags import page_fragments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_fragments():
    page_fragments.clear()
    yield
    page_fragments.clear()


def page(user, url_name: str) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.content.decode()


def test_a_clinician_link_never_reaches_a_patient(clinician, owner):
    """After a clinician's page fills the cache, a patient's page still has no "My patients"."""
    assert "My patients" in page(clinician, "history")
    assert page_fragments._fragments, "the frame should now be cached"
    assert "My patients" not in page(owner, "history")
    assert "My patients" in page(clinician, "history")


def test_the_current_page_is_marked_on_each_page(owner):
    history, medicines = page(owner, "history"), page(owner, "medicines")
    assert f'href="{reverse("history")}" aria-current="page"' in history
    assert f'href="{reverse("medicines")}" aria-current="page"' not in history
    assert f'href="{reverse("medicines")}" aria-current="page"' in medicines
    assert f'href="{reverse("history")}" aria-current="page"' not in medicines


def test_anonymous_visitors_get_no_private_links_after_a_signed_in_page(owner):
    assert "Log out" in page(owner, "learn")
    anonymous = page(None, "learn")
    assert "Log out" not in anonymous and "Export CSV" not in anonymous


def test_night_mode_and_csrf_token_follow_each_person(owner, other_patient):
    """Night mode (a per-person state) and the footer form's CSRF token are not frozen by the cache."""
    other_patient.profile.night_mode = "on"
    other_patient.profile.save()
    owner.profile.night_mode = "off"
    owner.profile.save()
    first, second = page(owner, "history"), page(other_patient, "history")
    assert 'class="night"' in second and 'class="night"' not in first
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:20] != second.split(token)[1][:20]
