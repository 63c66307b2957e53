"""Tonight's prevention checklist, and how it pre-fills the next morning's check-in."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from crampwise.core.knowledge import prevention_checklist
from crampwise.diary.forms import CheckinForm
from crampwise.diary.models import Night
from crampwise.guidance.forms import EveningChecklistForm
from crampwise.guidance.models import EveningChecklist, checklist_initial
from crampwise.guidance.views import tonight_night

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_checklist_asks_every_item_the_check_in_knows(owner_client):
    """Stretching, fluids, shoes and activity, each as a labelled group."""
    html = owner_client.get(reverse("tonight")).content.decode()
    for item in prevention_checklist():
        assert item.text in html
    for name in ("stretched", "fluid_glasses", "supportive_shoes", "exercise_minutes"):
        assert f'name="{name}"' in html
    assert html.count("<fieldset") == html.count("<legend") == 4


def test_saving_stores_the_answers_for_tonight_without_checking_the_night_in(owner_client, owner):
    """The answers go to the evening checklist; no Night is created or marked checked in."""
    response = owner_client.post(
        reverse("tonight"), {"stretched": "yes", "fluid_glasses": "6", "supportive_shoes": "no"}
    )
    assert response.status_code == 302
    saved = EveningChecklist.objects.get(user=owner)
    assert saved.night == tonight_night(owner)
    assert saved.answers == {"stretched": True, "fluid_glasses": 6, "supportive_shoes": False}
    assert not Night.objects.exists()


def test_saving_again_the_same_night_updates_the_one_row(owner_client, owner):
    """A second save is an update, so a retried post is not a second checklist."""
    owner_client.post(reverse("tonight"), {"stretched": "no"})
    owner_client.post(reverse("tonight"), {"stretched": "yes", "exercise_minutes": "30"})
    saved = EveningChecklist.objects.get(user=owner)
    assert saved.answers == {"stretched": True, "exercise_minutes": 30}


def test_the_page_shows_tonights_saved_answers(owner_client, owner):
    """Coming back later in the evening shows what was already ticked."""
    EveningChecklist.objects.create(
        user=owner, night=tonight_night(owner), answers={"stretched": True, "fluid_glasses": 5}
    )
    html = owner_client.get(reverse("tonight")).content.decode()
    assert 'name="stretched" value="yes" id="id_stretched_0" checked' in html
    assert 'name="fluid_glasses" value="5"' in html


def test_a_negative_count_is_an_error_and_nothing_is_saved(owner_client):
    """Glasses and minutes are whole numbers from 0."""
    html = owner_client.post(reverse("tonight"), {"fluid_glasses": "-1"}).content.decode()
    assert 'class="error-summary" role="alert"' in html and 'href="#id_fluid_glasses"' in html
    assert not EveningChecklist.objects.exists()


def test_checklist_initial_gives_check_in_form_values(owner):
    """Yes/no answers become "yes"/"no", counts stay numbers, unanswered items are left out."""
    night = date(2026, 11, 25)
    EveningChecklist.objects.create(
        user=owner,
        night=night,
        answers={"stretched": False, "supportive_shoes": True, "fluid_glasses": 7},
    )
    initial = checklist_initial(owner, night)
    assert initial == {"f_stretched": "no", "f_supportive_shoes": "yes", "f_fluid_glasses": 7}


def test_checklist_initial_fits_the_check_in_form(owner):
    """Every key it gives is a field of the morning check-in, and the form accepts the values."""
    night = date(2026, 11, 25)
    EveningChecklist.objects.create(
        user=owner,
        night=night,
        answers={
            "stretched": True,
            "supportive_shoes": False,
            "fluid_glasses": 8,
            "exercise_minutes": 20,
        },
    )
    initial = checklist_initial(owner, night)
    form = CheckinForm(data={"cramps": "0", **initial})
    assert set(initial) <= set(form.fields)
    assert form.is_valid(), form.errors
    assert form.night_fields()["factors"] == {
        "stretched": True,
        "supportive_shoes": False,
        "fluid_glasses": 8,
        "exercise_minutes": 20,
    }


def test_every_checklist_item_maps_to_a_check_in_factor():
    """No item of the evidence base's checklist is silently dropped from the page."""
    form = EveningChecklistForm()
    assert [item.id for item in form.items] == [item.id for item in prevention_checklist()]
