"""The sealed key: nobody but its holder sees pack assignments before unblinding; and access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.series.core.packs import real_pack
from crampwise.series.models import SeriesEvent
from tests.conftest import make_user
from tests.series.builders import fill_nights, join_weeks_ago, patients

pytestmark = pytest.mark.django_db

OWNER_PAGES = ["series_detail", "series_protocol", "series_copy", "series_version", "series_csv",
               "series_pdf"]  # fmt: skip


@pytest.fixture
def running(django_user_model, blinded_protocol):
    people = patients(django_user_model, 3)  # the pooled answer needs 3 with enough data
    enrolments = [join_weeks_ago(p, blinded_protocol, 10) for p in people]
    for i, e in enumerate(enrolments):
        fill_nights(e, 1.0, 0.5, seed=20 + i)
    return blinded_protocol, people, enrolments


def test_before_unblinding_the_owner_sees_pack_letters_only(client, clinician, running):
    protocol, _, _ = running
    client.force_login(clinician)
    page = client.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "pack A over pack B" in page
    assert "holds the real capsules" not in page
    assert "treatment" not in page and "real capsules" not in page.lower()
    rows = client.get(reverse("series_csv", args=[protocol.pk])).content.decode().splitlines()
    assert rows[0] == "patient,night,arm,pack,washout,cramps,confirmed"
    arms = {row.split(",")[2] for row in rows[1:]}
    packs = {row.split(",")[3] for row in rows[1:]}
    assert arms == {""} and packs == {"A", "B"}


def test_the_api_keeps_the_key_sealed(client, clinician, running):
    protocol, _, _ = running
    client.force_login(clinician)
    answer = client.get(f"/api/v1/series/protocols/{protocol.pk}/pooled").json()
    assert answer["sealed"] is True and answer["compares"] == ["pack A", "pack B"]
    assert "treatment" not in str(answer) and "real" not in str(answer).lower()


def test_unblinding_shows_the_key_to_its_owner_and_is_audited(client, clinician, running):
    protocol, _, _ = running
    client.force_login(clinician)
    client.post(reverse("series_unblind", args=[protocol.pk]), {})  # not confirmed
    protocol.refresh_from_db()
    assert protocol.key_sealed
    client.post(reverse("series_unblind", args=[protocol.pk]), {"confirm": "yes"})
    protocol.refresh_from_db()
    assert not protocol.key_sealed
    assert SeriesEvent.objects.filter(protocol=protocol, action="unblind", actor=clinician).exists()
    page = client.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert f"pack {real_pack(protocol.key_seed)} holds the real capsules" in page
    assert "real capsules over dummy capsules" in page
    rows = client.get(reverse("series_csv", args=[protocol.pk])).content.decode().splitlines()
    assert {row.split(",")[2] for row in rows[1:]} <= {"treatment", "control"}


def test_patients_never_see_which_packs_are_real_before_unblinding(client, running):
    """Their pack list is closed, and their finished trial still hides the arms."""
    protocol, people, enrolments = running
    client.force_login(people[0])
    trial = enrolments[0].trial
    assert client.get(reverse("trial_packs", args=[trial.pk])).status_code == 404
    trial.status = "finished"
    trial.save()
    for name in ("trial_detail", "trial_report"):
        page = client.get(reverse(name, args=[trial.pk])).content.decode()
        assert "pack 1" in page.lower(), name
        assert "real capsules" not in page.lower(), name
        # The seed rebuilds the order, so it stays hidden as long as the packs are.
        assert str(trial.seed) not in page, name


def test_another_clinician_sees_nothing(client, django_user_model, running):
    protocol, _, _ = running
    colleague = make_user(django_user_model, "dr_dave", clinician=True)
    client.force_login(colleague)
    for name in OWNER_PAGES:
        assert client.get(reverse(name, args=[protocol.pk])).status_code == 404, name
    for name in ("series_unblind", "series_finish"):
        assert client.post(reverse(name, args=[protocol.pk]), {"confirm": "yes"}).status_code == 404
    protocol.refresh_from_db()
    assert protocol.key_sealed and not protocol.finished
    assert client.get(f"/api/v1/series/protocols/{protocol.pk}/pooled").status_code == 404
    assert client.get("/api/v1/series/protocols").json() == []


def test_a_patient_in_the_series_cannot_open_the_series_page(client, running):
    protocol, people, _ = running
    client.force_login(people[0])
    for name in OWNER_PAGES:
        assert client.get(reverse(name, args=[protocol.pk])).status_code == 404, name


@pytest.mark.parametrize("name", OWNER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, protocol, name):
    response = client.get(reverse(name, args=[protocol.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_visitors_cannot_join(client, protocol):
    response = client.get(reverse("series_consent", args=[protocol.join_code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_exports_hold_the_pooled_answer(client, clinician, running):
    from crampwise.interop.core.validate import validate_bundle

    protocol, people, _ = running
    client.force_login(clinician)
    pdf = client.get(reverse("series_pdf", args=[protocol.pk]))
    assert pdf.content.startswith(b"%PDF")
    bundle = client.get(reverse("series_fhir", args=[protocol.pk])).json()
    assert validate_bundle(bundle) == []
    assert len(bundle["entry"]) == 1 + len(people)  # the pooled answer, then each patient
    assert "pack A over pack B" in bundle["entry"][0]["resource"]["note"][0]["text"]
