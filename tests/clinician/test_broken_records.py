"""One patient's broken record cannot break another's page: the clinician list and report pages."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.urls import reverse

from crampwise.clinician import loading, summaries
from crampwise.clinician.models import AccessEvent, Grant
from crampwise.diary.models import Medicine, Night

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_grant(other_patient, clinician):
    """Bob also shares his report with dr_carol; he has one ordinary night."""
    Night.objects.create(
        user=other_patient, night=loading.last_night(other_patient), reported_cramps=1
    )
    return Grant.objects.create(patient=other_patient, clinician=clinician)


def break_report_of(monkeypatch, patient):
    real = loading.load_report

    def load_report(user, *args, **kwargs):
        if user.pk == patient.pk:
            raise OverflowError("date value out of range")
        return real(user, *args, **kwargs)

    monkeypatch.setattr(loading, "load_report", load_report)


def break_figures_of(monkeypatch, patient):
    real = summaries.compute

    def compute(user):
        if user.pk == patient.pk:
            raise OverflowError("date value out of range")
        return real(user)

    monkeypatch.setattr(summaries, "compute", compute)


def test_a_patient_whose_figures_fail_is_listed_as_unavailable_and_the_others_still_show(
    client, monkeypatch, caplog, grant, bob_grant, clinician, other_patient
):
    """200; Alice's row has her figures, Bob's says "Figures unavailable"; the log has his id only."""
    break_figures_of(monkeypatch, other_patient)
    client.force_login(clinician)
    with caplog.at_level(logging.ERROR, logger="crampwise.clinician.summaries"):
        response = client.get(reverse("clinician_home"))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert not rows["bob"]["available"] and rows["alice"]["available"]
    assert rows["alice"]["rate_nights"] > 0
    html = response.content.decode()
    assert "Figures unavailable" in html and reverse("clinician_report", args=[grant.pk]) in html
    # Bob's row comes first: figures that cannot be read may hide anything.
    assert response.context["rows"][0]["name"] == "bob"
    # Logged with the error and the internal id, and nothing else of Bob's (not even his name).
    [failure] = [r for r in caplog.records if r.name == "crampwise.clinician.summaries"]
    assert failure.exc_info[0] is OverflowError and str(other_patient.pk) in failure.getMessage()
    assert "bob" not in failure.getMessage()
    # Only the patient whose figures were shown is audited.
    assert list(AccessEvent.objects.values_list("patient", flat=True)) == [grant.patient.pk]


def test_a_real_medicine_dated_in_year_one_does_not_break_the_list(
    client, grant, bob_grant, clinician, other_patient
):
    """A record that skipped validation (written straight to the database) still leaves a working list."""
    Medicine.objects.create(user=other_patient, name="Old pills", started=date(1, 1, 1))
    client.force_login(clinician)
    response = client.get(reverse("clinician_home"))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert set(rows) == {"alice", "bob"} and rows["alice"]["rate_nights"] > 0
    assert rows["bob"]["available"]


@pytest.mark.parametrize("route", ["clinician_report", "clinician_report_pdf", "clinician_fhir"])
def test_the_report_of_a_broken_record_is_a_plain_unavailable_page(
    client, monkeypatch, bob_grant, clinician, other_patient, route
):
    """Not a crash: a page that says so, never cached, and no audit row since nothing was shown."""
    break_report_of(monkeypatch, other_patient)
    monkeypatch.setattr(loading, "fhir_bundle", lambda *a, **k: 1 / 0)
    client.force_login(clinician)
    response = client.get(reverse(route, args=[bob_grant.pk]))
    assert response.status_code == 503
    assert "Report unavailable" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not AccessEvent.objects.exists()


def test_a_share_link_to_a_broken_record_is_unavailable_too(client, monkeypatch, link, owner):
    """The same page for whoever holds the link."""
    break_report_of(monkeypatch, owner)
    _made, token = link
    response = client.get(reverse("shared_report", args=[token]))
    assert response.status_code == 503 and "Report unavailable" in response.content.decode()
