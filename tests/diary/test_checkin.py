"""The morning check-in: quick, pre-filled, and honest about zero and missing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from crampwise.diary import services
from crampwise.diary.models import CustomFactor, Night

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 11, 24)


def post_checkin(client, night=NIGHT, **data):
    payload = {
        "cramps": "2",
        "worst_pain": "6",
        "minutes_awake": "15",
        "sleep_quality": "3",
        "soreness": "1",
        "f_stretched": "yes",
        "f_alcohol_units": "2",
    }
    payload.update(data)
    return client.post(reverse("night_edit", args=[night.isoformat()]), payload)


def test_it_saves_a_night_with_its_factors(owner_client, owner):
    """A check-in stores the count and the day's factors."""
    response = post_checkin(owner_client)
    assert response.status_code == 302
    night = Night.objects.get(user=owner, night=NIGHT)
    assert night.cramps == 2 and night.worst_pain == 6
    assert night.factors == {"stretched": True, "alcohol_units": 2}


def test_none_is_an_explicit_zero(owner_client, owner):
    """Choosing “None” records a cramp-free night."""
    post_checkin(owner_client, cramps="0", worst_pain="")
    assert Night.objects.get(user=owner, night=NIGHT).cramps == 0


def test_the_count_is_required(owner_client, owner):
    """Leaving the count empty is an error that says what to do, and nothing is saved."""
    response = post_checkin(owner_client, cramps="")
    assert response.status_code == 200
    assert "Choose “None” if you had none" in response.content.decode()
    assert not Night.objects.filter(user=owner).exists()


def test_five_or_more_takes_the_exact_number(owner_client, owner):
    """“5 or more” with 7 stores 7."""
    post_checkin(owner_client, cramps="5+", cramps_more="7")
    assert Night.objects.get(user=owner, night=NIGHT).cramps == 7


def test_a_count_below_the_logged_episodes_is_refused(owner_client, owner):
    """Two cramps logged in the night cannot become one in the morning."""
    started = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    services.log_episode(owner, started_at=started)
    services.log_episode(owner, started_at=started + timedelta(minutes=30))
    response = post_checkin(owner_client, cramps="1")
    assert response.status_code == 200
    assert "You logged 2 cramps" in response.content.decode()


def test_the_form_is_prefilled_from_the_night_log(owner_client, owner):
    """Episodes logged at night pre-select the count in the morning."""
    ep, _ = services.log_episode(owner, started_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    ep.pain = 7
    ep.save()
    response = owner_client.get(reverse("night_edit", args=[NIGHT.isoformat()]))
    form = response.context["form"]
    assert form.initial["cramps"] == "1" and form.initial["worst_pain"] == 7


def test_yesterdays_factors_are_offered_again(owner_client, owner):
    """The previous check-in's factors pre-fill the next one (no redundant entry)."""
    post_checkin(
        owner_client, night=NIGHT - timedelta(days=1), f_stretched="yes", f_alcohol_units="1"
    )
    response = owner_client.get(reverse("night_edit", args=[NIGHT.isoformat()]))
    initial = response.context["form"].initial
    assert initial["f_stretched"] == "yes" and initial["f_alcohol_units"] == 1
    assert "cramps" not in initial  # the count itself is never guessed


def test_custom_factors_are_asked_and_stored(owner_client, owner):
    """A person's own yes/no tag appears in the check-in and is saved under its name."""
    CustomFactor.objects.create(user=owner, name="late_dinner", label="Late dinner?", kind="yes_no")
    assert "Late dinner?" in owner_client.get(reverse("checkin")).content.decode()
    post_checkin(owner_client, f_late_dinner="yes")
    assert Night.objects.get(user=owner, night=NIGHT).factors["late_dinner"] is True


def test_a_night_in_the_future_cannot_be_recorded(owner_client):
    """Tomorrow's night is not there yet."""
    future = date.today() + timedelta(days=3)
    assert owner_client.get(reverse("night_edit", args=[future.isoformat()])).status_code == 404


def test_deleting_a_night_makes_it_missing_not_zero(owner_client, owner):
    """After deleting, the night is absent from the diary."""
    post_checkin(owner_client)
    owner_client.post(reverse("night_delete", args=[NIGHT.isoformat()]))
    assert services.load_nights(owner) == []


def test_history_shows_recorded_free_and_missing_nights(owner_client, owner):
    """The calendar tells a cramp-free night from one that was never recorded."""
    post_checkin(owner_client, night=date(2026, 11, 2), cramps="0")
    post_checkin(owner_client, night=date(2026, 11, 3), cramps="3")
    html = owner_client.get(reverse("history") + "?year=2026&month=11").content.decode()
    assert "no cramps" in html and "3 cramps" in html and "not recorded" in html
    assert "2 of" in html


def test_each_form_has_its_own_answers_and_choices(owner, other_patient):
    """Each person's check-in form has their own medicines, own factors, own answers and own errors."""
    from crampwise.diary.forms import CheckinForm
    from crampwise.diary.models import Medicine

    mine = [Medicine(user=owner, name="Amlodipine")]
    theirs = [Medicine(user=other_patient, name="Magnesium")]
    tag = ("late_dinner", "yes_no", "Late dinner")
    bad = CheckinForm({"cramps": "7"}, medicine_names=[m.name for m in mine])
    good = CheckinForm(
        {"cramps": "1", "medicines_taken": ["Magnesium"], "f_late_dinner": "yes"},
        medicine_names=[m.name for m in theirs],
        custom_factors=[tag],
    )
    assert not bad.is_valid() and "cramps" in bad.errors
    assert good.is_valid(), good.errors
    assert good.night_fields()["medicines_taken"] == ["Magnesium"]
    assert good.night_fields()["factors"] == {"late_dinner": True}
    assert "f_late_dinner" not in bad.fields
    assert [c[0] for c in bad.fields["medicines_taken"].choices] == ["Amlodipine"]
    again = CheckinForm(
        {"cramps": "1", "medicines_taken": ["Magnesium"]}, medicine_names=[m.name for m in mine]
    )
    assert not again.is_valid() and "medicines_taken" in again.errors


def test_each_bad_answer_is_named_under_its_own_question(owner_client, owner):
    """Several mistakes at once: each message sits with the question it is about; nothing is saved."""
    response = post_checkin(
        owner_client, cramps="", minutes_awake="-5", f_alcohol_units="lots", sleep_quality="9"
    )
    form = response.context["form"]
    assert set(form.errors) == {"cramps", "minutes_awake", "f_alcohol_units", "sleep_quality"}
    assert form.errors["minutes_awake"] == ["Write a whole number from 0 to 720."]
    assert form["f_alcohol_units"].value() == "lots"  # the answer is shown back to be corrected
    assert not Night.objects.filter(user=owner).exists()


def test_a_number_that_contradicts_the_choice_is_asked_about(owner_client, owner):
    """“2” chosen and 7 typed: the person is asked which is right; nothing is saved or dropped."""
    response = post_checkin(owner_client, cramps="2", cramps_more="7")
    errors = response.context["form"].errors
    assert list(errors) == ["cramps_more"] and len(errors["cramps_more"]) == 1
    assert "You chose 2 cramps but typed 7. Which is right?" in errors["cramps_more"][0]
    assert not Night.objects.filter(user=owner).exists()
    low = post_checkin(owner_client, cramps="5+", cramps_more="3").context["form"].errors
    assert low["cramps_more"] == [
        "You chose “5 or more” but typed 3. Choose 3 above, or type a number of 5 or more."
    ]


def test_an_unusual_answer_is_questioned_once_and_kept_when_confirmed(owner_client, owner):
    """40 glasses of fluid is possible but unusual: one plain question, then saved when ticked."""
    asked = post_checkin(owner_client, f_fluid_glasses="40", f_hours_on_feet="21")
    form = asked.context["form"]
    assert form.asks_confirmation and set(form.errors) == {"f_fluid_glasses", "f_hours_on_feet"}
    assert form.errors["f_fluid_glasses"] == [
        "40 is a lot. Please check it. If it is right, tick “Yes, these answers are right”."
    ]
    assert "Yes, these answers are right" in asked.content.decode()
    assert not Night.objects.filter(user=owner).exists()
    post_checkin(owner_client, f_fluid_glasses="40", f_hours_on_feet="21", confirm_unusual="on")
    saved = Night.objects.get(user=owner)
    assert saved.factors["fluid_glasses"] == 40 and saved.factors["hours_on_feet"] == 21


def test_an_impossible_answer_is_refused_with_one_plain_message(owner_client, owner):
    """99,999 glasses or 30 hours on one's feet cannot be: refused, one sentence each, no ticking."""
    form = post_checkin(
        owner_client, f_fluid_glasses="99999", f_hours_on_feet="30", confirm_unusual="on"
    ).context["form"]
    assert form.errors["f_fluid_glasses"] == ["Write a number from 0 to 100, such as 2 or 1.5."]
    assert form.errors["f_hours_on_feet"] == ["Write a number from 0 to 24, such as 2 or 1.5."]
    assert not Night.objects.filter(user=owner).exists()
