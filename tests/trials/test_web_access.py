"""Who may open the trial pages: only the owner; everyone else gets the same 404 as a made-up id."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.conf import settings

if not settings.configured:  # `pytest tests/trials -p no:django` runs the pure core only
    pytest.skip("web tests need pytest-django", allow_module_level=True)

from django.urls import reverse

from crampwise.trials.models import Adherence, Trial
from crampwise.trials.services.lifecycle import create_trial
from crampwise.trials.services.tonight import plan_night

pytestmark = pytest.mark.django_db

TRIAL_GETS = ["trial_detail", "trial_report", "trial_packs"]
TRIAL_POSTS = {
    "trial_stop": {"reason": "other"},
    "trial_adherence": {"followed": "yes"},
}
PRIVATE_GETS = [("trials", []), ("trial_new", []), ("trial_new_design", ["stretching"])]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is slow on purpose; these tests make several accounts and never test passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alices_trial(owner):
    """A blinded magnesium trial that started four weeks ago, so every page has something to show."""
    start = plan_night(owner) - timedelta(weeks=4)
    return create_trial(
        owner, remedy_id="magnesium", kind="supplement", start=start, pairs=4,
        period_nights=14, washout_nights=7, blinded=True, seed=42,
    )  # fmt: skip


@pytest.mark.parametrize("name,args", PRIVATE_GETS)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    """The trial list and the wizard need an account."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", TRIAL_GETS + list(TRIAL_POSTS))
def test_anonymous_visitors_cannot_open_or_change_a_trial(client, alices_trial, name):
    """Every page of one trial, and every change to it, needs an account."""
    method = client.post if name in TRIAL_POSTS else client.get
    response = method(reverse(name, args=[alices_trial.pk]), TRIAL_POSTS.get(name, {}))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    alices_trial.refresh_from_db()
    assert alices_trial.is_active and not Adherence.objects.exists()


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
@pytest.mark.parametrize("name", TRIAL_GETS)
def test_nobody_else_can_open_alices_trial(client, request, who, name, alices_trial):
    """Another patient and a clinician without a grant get 404, as if the trial did not exist."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name, args=[alices_trial.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
@pytest.mark.parametrize("name", list(TRIAL_POSTS))
def test_nobody_else_can_stop_alices_trial_or_answer_for_her(
    client, request, who, name, alices_trial
):
    """A POST with Alice's trial id from someone else is a 404 and changes nothing."""
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse(name, args=[alices_trial.pk]), TRIAL_POSTS[name]).status_code == 404
    alices_trial.refresh_from_db()
    assert alices_trial.is_active and not Adherence.objects.exists()


@pytest.mark.parametrize("name", TRIAL_GETS)
def test_the_owner_can_open_every_page_of_her_trial(owner_client, alices_trial, name):
    """The trial page, its report and the pack list of a blinded trial."""
    assert owner_client.get(reverse(name, args=[alices_trial.pk])).status_code == 200


@pytest.mark.parametrize("name,args", PRIVATE_GETS)
def test_the_owner_can_open_the_list_and_the_wizard(owner_client, name, args):
    """The trial list and both wizard steps answer 200."""
    assert owner_client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("name", TRIAL_GETS + list(TRIAL_POSTS))
def test_a_made_up_trial_id_is_404(owner_client, name):
    """An unknown UUID gives the same answer as someone else's trial."""
    method = owner_client.post if name in TRIAL_POSTS else owner_client.get
    assert method(reverse(name, args=[uuid.uuid4()]), TRIAL_POSTS.get(name, {})).status_code == 404


@pytest.mark.parametrize("who", ["other_patient", "clinician"])
def test_alices_trials_are_not_listed_for_anyone_else(client, request, who, alices_trial):
    """The trial list shows only the visitor's own trials."""
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("trials")).content.decode()
    assert str(alices_trial.pk) not in html and "Magnesium" not in html


def test_someone_elses_running_trial_does_not_block_a_new_one(client, other_patient, alices_trial):
    """The one-trial-at-a-time rule is per person."""
    client.force_login(other_patient)
    html = client.get(reverse("trial_new")).content.decode()
    assert "You already have a trial running" not in html
    assert reverse("trial_new_design", args=["stretching"]) in html


def test_stopping_and_answering_need_a_post(owner_client, alices_trial):
    """A link or a prefetch can neither stop a trial nor record an answer."""
    for name in TRIAL_POSTS:
        assert owner_client.get(reverse(name, args=[alices_trial.pk])).status_code == 405
    alices_trial.refresh_from_db()
    assert alices_trial.is_active


def test_the_owner_can_stop_her_trial(owner_client, alices_trial):
    """The owner's POST stops it and keeps the reason."""
    response = owner_client.post(
        reverse("trial_stop", args=[alices_trial.pk]), {"reason": "too_hard"}
    )
    assert response.status_code == 302
    alices_trial.refresh_from_db()
    assert alices_trial.status == Trial.Status.STOPPED and alices_trial.stop_reason == "too_hard"


@pytest.mark.parametrize("who", [None, "owner", "other_patient", "clinician"])
def test_the_page_about_looks_is_open_to_everyone(client, request, who):
    """How the looks work is general information, like the learn pages."""
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("trial_looks")).status_code == 200


def test_a_trial_that_is_not_blinded_has_no_pack_list(owner_client, owner):
    """The pack list exists only for blinded trials."""
    trial = create_trial(
        owner, remedy_id="stretching", kind="stretching", start=plan_night(owner),
        pairs=8, period_nights=7, washout_nights=1,
    )  # fmt: skip
    assert owner_client.get(reverse("trial_packs", args=[trial.pk])).status_code == 404
