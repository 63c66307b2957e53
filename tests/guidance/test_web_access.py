"""Who may open the guidance pages: assessments are private, learn pages are for everyone."""

from __future__ import annotations

import copy
import uuid
from datetime import date

import pytest
from django.urls import reverse

from crampwise.guidance.core.assessment import assess
from crampwise.guidance.models import Assessment, EveningChecklist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is slow on purpose; these tests make several accounts and never test passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PUBLIC_PAGES = [
    ("learn", []),
    ("learn_section", ["what-it-is"]),
    ("learn_remedies", []),
    ("learn_sources", []),
]
PRIVATE_PAGES = [("assessment", []), ("tonight", [])]


@pytest.fixture
def alices_check(owner, answers):
    data = answers(age=70, medications=["Lasix 40mg"], symptoms=["one_leg_swollen_warm_or_red"])
    return Assessment.objects.create(
        user=owner, answers=data, result=assess(copy.deepcopy(data)), evidence_version="x"
    )


@pytest.mark.parametrize("name,args", PUBLIC_PAGES)
@pytest.mark.parametrize("who", [None, "owner", "other_patient", "clinician"])
def test_learn_pages_are_open_to_everyone(client, request, who, name, args):
    """The evidence base is the same for all, so anonymous visitors may read it too."""
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("name,args", PRIVATE_PAGES)
def test_anonymous_visitors_are_sent_to_log_in_for_private_pages(client, name, args):
    """The assessment and the evening checklist need an account."""
    for method in (client.get, client.post):
        response = method(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_anonymous_visitors_cannot_open_or_delete_an_assessment(client, alices_check):
    """A result page and its delete button need an account."""
    for name, method in (("assessment_result", client.get), ("assessment_delete", client.post)):
        response = method(reverse(name, args=[alices_check.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert Assessment.objects.filter(pk=alices_check.pk).exists()


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_nobody_else_can_open_or_delete_alices_assessment(client, request, who, alices_check):
    """Another patient and a clinician without a grant get 404, as if it did not exist."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("assessment_result", args=[alices_check.pk])).status_code == 404
    assert client.post(reverse("assessment_delete", args=[alices_check.pk])).status_code == 404
    assert Assessment.objects.filter(pk=alices_check.pk).exists()


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_alices_checks_are_not_listed_for_anyone_else(client, request, who, alices_check):
    """The list of earlier checks shows only the visitor's own."""
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("assessment")).content.decode()
    assert str(alices_check.pk) not in html and "Your earlier checks" not in html


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_tonight_shows_and_stores_only_the_visitors_own_checklist(client, request, who, owner):
    """Alice's evening answers never pre-fill someone else's checklist, and theirs are their own."""
    from crampwise.guidance.views import tonight_night

    EveningChecklist.objects.create(
        user=owner, night=tonight_night(owner), answers={"fluid_glasses": 37}
    )
    visitor = request.getfixturevalue(who)
    client.force_login(visitor)
    assert 'value="37"' not in client.get(reverse("tonight")).content.decode()
    client.post(reverse("tonight"), {"fluid_glasses": "2"})
    assert EveningChecklist.objects.get(user=owner).answers == {"fluid_glasses": 37}
    assert EveningChecklist.objects.get(user=visitor).answers == {"fluid_glasses": 2}


def test_the_owner_can_open_and_delete_their_own_assessment(owner_client, alices_check):
    """The owner sees their result and can delete it for real."""
    assert owner_client.get(reverse("assessment_result", args=[alices_check.pk])).status_code == 200
    response = owner_client.post(reverse("assessment_delete", args=[alices_check.pk]))
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=alices_check.pk).exists()


def test_an_unknown_assessment_id_is_404(owner_client):
    """A made-up id gives the same answer as someone else's."""
    url = reverse("assessment_result", args=[uuid.uuid4()])
    assert owner_client.get(url).status_code == 404


def test_deleting_needs_a_post(owner_client, alices_check):
    """A link or a prefetch cannot delete a check."""
    response = owner_client.get(reverse("assessment_delete", args=[alices_check.pk]))
    assert response.status_code == 405


def test_checklist_initial_reads_only_the_given_persons_night(owner, other_patient):
    """The check-in pre-fill is scoped to the person and the night."""
    from crampwise.guidance.models import checklist_initial

    night = date(2026, 11, 25)
    EveningChecklist.objects.create(user=owner, night=night, answers={"stretched": True})
    assert checklist_initial(other_patient, night) == {}
    assert checklist_initial(owner, date(2026, 11, 24)) == {}
    assert checklist_initial(owner, night) == {"f_stretched": "yes"}
