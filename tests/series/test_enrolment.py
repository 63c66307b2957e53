"""Joining by code with consent, the patient's own trial, and withdrawing at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.clinician.models import AccessEvent
from crampwise.series import services
from crampwise.series.models import Enrolment
from crampwise.trials.models import Trial
from tests.series.builders import fill_nights, join_weeks_ago, patients

pytestmark = pytest.mark.django_db


def test_a_patient_joins_with_the_code_after_consenting(client, owner, protocol):
    """Code, then the consent page, then a trial of the protocol's design starts tonight."""
    client.force_login(owner)
    assert "series/join/" in client.get(reverse("trials")).content.decode()
    response = client.post(reverse("series_join"), {"code": protocol.join_code.lower()})
    assert response["Location"] == reverse("series_consent", args=[protocol.join_code])
    consent_page = client.get(response["Location"]).content.decode()
    assert "dr_carol" in consent_page and "stop sharing" in consent_page.lower()
    refused = client.post(response["Location"], {})
    assert "Tick the box to agree" in refused.content.decode()
    assert not Enrolment.objects.exists()
    joined = client.post(response["Location"], {"agree": "on"})
    enrolment = Enrolment.objects.get(patient=owner)
    trial = enrolment.trial
    assert joined["Location"] == reverse("trial_detail", args=[trial.pk])
    assert (trial.owner, trial.remedy_id, trial.pairs, trial.period_nights) == (
        owner, "magnesium", 3, 14)  # fmt: skip
    assert enrolment.code == "P01"


def test_each_patient_gets_a_schedule_of_their_own(django_user_model, protocol):
    first, second = patients(django_user_model, 2)
    a = services.enrol(first, protocol).trial
    b = services.enrol(second, protocol).trial
    assert a.seed != b.seed
    assert services.enrol(first, protocol).trial == a  # joining twice is the same enrolment


def test_a_wrong_code_names_the_code_field(client, owner):
    client.force_login(owner)
    response = client.post(reverse("series_join"), {"code": "NOPE1234"})
    assert "No open series has this code" in response.content.decode()


def test_a_patient_with_a_running_trial_is_told_why_they_cannot_join(owner, protocol):
    services.enrol(owner, protocol)
    other = services.new_version(protocol)
    with pytest.raises(services.SeriesError, match="already have a trial running"):
        services.enrol(owner, other)


def test_withdrawing_takes_the_patient_out_of_the_pooled_answer_at_once(
    client, clinician, django_user_model, protocol
):
    """A withdrawn patient leaves the page, the pooled answer and the CSV; the trial stays theirs."""
    people = patients(django_user_model, 4)  # the pooled answer needs 3 with enough data
    enrolments = [join_weeks_ago(p, protocol, 10) for p in people]
    for i, e in enumerate(enrolments):
        fill_nights(e, 1.0, 0.5, seed=i)
    client.force_login(clinician)
    page = client.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "Pooled over 4 patients." in page and "P04" in page
    client.force_login(people[3])
    client.post(reverse("series_withdraw", args=[enrolments[3].pk]))
    client.force_login(clinician)
    page = client.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "Pooled over 3 patients." in page
    assert ">P04<" not in page
    csv = client.get(reverse("series_csv", args=[protocol.pk])).content.decode()
    assert "P04," not in csv and "P01," in csv
    api = client.get(f"/api/v1/series/protocols/{protocol.pk}/pooled").json()
    assert api["patients"] == 3
    assert Trial.objects.filter(owner=people[3]).exists()


def test_another_patient_cannot_withdraw_someone_elses_consent(client, owner, other_patient,
                                                               protocol):  # fmt: skip
    enrolment = services.enrol(owner, protocol)
    client.force_login(other_patient)
    assert client.post(reverse("series_withdraw", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.active


def test_each_look_at_the_series_is_in_the_patients_access_log(client, clinician, owner, protocol):
    services.enrol(owner, protocol)
    client.force_login(clinician)
    client.get(reverse("series_detail", args=[protocol.pk]))
    client.get(reverse("series_csv", args=[protocol.pk]))
    events = AccessEvent.objects.filter(patient=owner)
    assert events.count() == 2
    assert {e.actor_label for e in events} == {"dr_carol"}
    # Marked as coming through the series, not as a look at the patient's whole diary.
    assert {(e.via, e.what) for e in events} == {("series", "series")}
    client.force_login(owner)
    sharing = client.get(reverse("sharing")).content.decode()
    assert "dr_carol, who runs a trial series you joined" in sharing
    assert "your trial&#x27;s nights and result, in a trial series" in sharing


def test_a_finished_series_shows_the_pooled_words_on_the_patients_trial_page(
    client, clinician, django_user_model, protocol
):
    people = patients(django_user_model, 2)
    enrolments = [join_weeks_ago(p, protocol, 10) for p in people]
    for i, e in enumerate(enrolments):
        fill_nights(e, 1.0, 0.5, seed=10 + i)
    client.force_login(people[0])
    trial_page = reverse("trial_detail", args=[enrolments[0].trial_id])
    assert "When the series is finished" in client.get(trial_page).content.decode()
    services.finish(protocol, clinician)
    page = client.get(trial_page).content.decode()
    assert "The series is finished" in page
    assert "people in it found together" in page
