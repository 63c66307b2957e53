"""The worklist's stored figures: the Insights page's numbers, refreshed by every write at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from crampwise.clinician import services, summaries
from crampwise.clinician.loading import last_night
from crampwise.clinician.models import Grant, PatientSummary
from crampwise.diary import services as diary
from crampwise.diary.demo_loader import load_demo
from crampwise.diary.models import Episode, Medicine, Night
from crampwise.guidance.models import Assessment
from crampwise.insights.loading import insights_for
from crampwise.trials.services.lifecycle import create_trial

pytestmark = pytest.mark.django_db


def row_of(client, username):
    response = client.get(reverse("clinician_home"))
    assert response.status_code == 200
    return next((r for r in response.context["rows"] if r["username"] == username), None)


@pytest.fixture
def counted(monkeypatch):
    """How many times the figures were computed, per patient id."""
    calls: list[int] = []
    real = summaries.compute

    def compute(user):
        calls.append(user.pk)
        return real(user)

    monkeypatch.setattr(summaries, "compute", compute)
    return calls


def test_a_checkin_shows_in_the_clinicians_list_at_once(
    client, owner, clinician, django_capture_on_commit_callbacks
):
    """Alice has never checked in; she answers for last night; dr_carol's next view shows it."""
    Grant.objects.create(patient=owner, clinician=clinician)
    client.force_login(clinician)
    before = row_of(client, "alice")
    assert before["last_checkin"] is None and before["rate"] is None
    assert [r["text"] for r in before["reasons"]] == ["No check-in yet"]

    client.force_login(owner)
    night = last_night(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("night_edit", args=[night.isoformat()]),
            {"cramps": "3", "worst_pain": "6", "minutes_awake": "10", "sleep_quality": "3"},
        )
    assert response.status_code == 302

    client.force_login(clinician)
    after = row_of(client, "alice")
    assert after["last_checkin_iso"] == night.isoformat()
    assert after["rate"] == 21.0 and after["rate_nights"] == 1
    assert after["reasons"] == []


@pytest.mark.parametrize("diary_kind", ["alice_diary", "demo_year"])
def test_the_figures_are_those_of_the_patients_insights_page(
    client, request, clinician, diary_kind, settings
):
    """Cramps a week, the nights it rests on, the trend and the last night: the same numbers."""
    if diary_kind == "demo_year":
        patient, _created = load_demo("dora", "pw", 365, 5, "America/New_York")
        patient.refresh_from_db()
    else:
        patient = request.getfixturevalue(diary_kind)
    Grant.objects.create(patient=patient, clinician=clinician)
    client.force_login(clinician)
    row = row_of(client, patient.username)
    page = insights_for(patient)
    summary = page["summary"]
    assert row["rate"] == summary["cramps_per_week_last_4_weeks"]
    assert row["rate_nights"] == summary["nights_recorded_last_4_weeks"]
    assert row["trend"] == page["trend"]["change"]["verdict"]
    assert row["last_checkin_iso"] == summary["last_night"]
    stored = PatientSummary.objects.get(user=patient)
    assert stored.as_of.isoformat() == page["today"]


def _checkin(user):
    diary.save_night(user, last_night(user), reported_cramps=2)


def _cramp_now(user):
    diary.log_episode(user)


def _delete_night(user):
    diary.delete_night(user, last_night(user) - timedelta(days=1))


def _delete_episode(user):
    diary.delete_episode(Episode.objects.filter(user=user).first())


def _medicine(user):
    Medicine.objects.create(user=user, name="Furosemide", started=last_night(user))


def _medicine_gone(user):
    Medicine.objects.filter(user=user).first().delete()


def _assessment(user):
    Assessment.objects.create(
        user=user, answers={}, result={"flags": [{"severity": "emergency"}]}, evidence_version="t"
    )


def _trial(user):
    create_trial(
        user, remedy_id="stretching", kind="stretching", start=last_night(user) + timedelta(1),
        pairs=2, period_nights=7, washout_nights=1, seed=3,
    )  # fmt: skip


def _csv_import(user):
    end = last_night(user)
    lines = ["night,cramps"] + [f"{end - timedelta(days=i)},{i % 3}" for i in range(365)]
    assert diary.import_csv(user, "\n".join(lines) + "\n").ok


WRITES = {
    "check-in": _checkin,
    "cramp now": _cramp_now,
    "night deleted": _delete_night,
    "logged cramp deleted": _delete_episode,
    "medicine added": _medicine,
    "medicine removed": _medicine_gone,
    "symptom check": _assessment,
    "trial started": _trial,
    "a year of CSV": _csv_import,
}


@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_refreshes_the_figures_once(
    write, alice_diary, clinician, counted, django_capture_on_commit_callbacks
):
    """Each write, however many rows it touches, is one refresh after it commits."""
    Grant.objects.create(patient=alice_diary, clinician=clinician)
    summaries.refresh(alice_diary)
    counted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        WRITES[write](alice_diary)
    assert counted == [alice_diary.pk]


def test_the_refreshed_figures_follow_the_write(
    alice_diary, clinician, django_capture_on_commit_callbacks
):
    """A red flag, a new medicine and a deleted night reach the stored figures."""
    Grant.objects.create(patient=alice_diary, clinician=clinician)
    summaries.refresh(alice_diary)
    with django_capture_on_commit_callbacks(execute=True):
        _assessment(alice_diary)
        _medicine(alice_diary)
        diary.delete_night(alice_diary, last_night(alice_diary))
    stored = PatientSummary.objects.get(user=alice_diary)
    assert stored.red_flags == 1
    assert (stored.latest_medicine_name, stored.latest_medicine_start) == (
        "Furosemide",
        last_night(alice_diary),
    )
    assert stored.last_checkin == last_night(alice_diary) - timedelta(days=1)


def test_a_patient_who_shares_with_nobody_costs_no_computing(
    owner, counted, django_capture_on_commit_callbacks
):
    """Most patients share with no clinician: their check-ins compute nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(owner)
    assert counted == [] and not PatientSummary.objects.exists()


def test_a_rolled_back_write_refreshes_nothing_and_does_not_block_the_next(
    alice_diary, clinician, counted, django_capture_on_commit_callbacks
):
    """A failed import leaves the figures alone; the next check-in still refreshes them."""
    Grant.objects.create(patient=alice_diary, clinician=clinician)
    counted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _checkin(alice_diary)
            raise RuntimeError("the import failed half way")
    assert counted == []
    with django_capture_on_commit_callbacks(execute=True):
        _medicine(alice_diary)
    assert counted == [alice_diary.pk]


def test_a_new_grant_shows_the_patient_with_figures_at_once(
    alice_diary, clinician, django_capture_on_commit_callbacks
):
    """Typing the clinician's code computes the figures when the grant is saved."""
    code = services.clinician_code(clinician).code
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_access(alice_diary, code)
    assert PatientSummary.objects.get(user=alice_diary).rate_nights > 0


def test_the_management_step_fills_missing_figures_for_shared_patients_only(
    alice_diary, other_patient, clinician
):
    """`crampwise manage refresh_patient_summaries`: every patient with an open grant."""
    Grant.objects.create(patient=alice_diary, clinician=clinician)
    Night.objects.create(user=other_patient, night=last_night(other_patient), reported_cramps=1)
    call_command("refresh_patient_summaries", "--missing-only")
    assert list(PatientSummary.objects.values_list("user__username", flat=True)) == ["alice"]


def test_a_csv_import_through_the_page_reaches_the_list(
    client, owner, clinician, django_capture_on_commit_callbacks
):
    """The import page: a year of nights, one refresh, and the clinician sees the rate."""
    Grant.objects.create(patient=owner, clinician=clinician)
    end = last_night(owner)
    text = "night,cramps\n" + "".join(f"{end - timedelta(days=i)},1\n" for i in range(60))
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("import_csv"),
            {"file": SimpleUploadedFile("n.csv", text.encode(), "text/csv")},
        )
    client.force_login(clinician)
    row = row_of(client, "alice")
    assert row["rate"] == 7.0 and row["rate_nights"] == 28


def test_a_refresh_that_cannot_be_stored_never_breaks_the_patients_write(
    client, owner, clinician, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The check-in is saved and answered as usual; the failure is logged with the id only."""
    Grant.objects.create(patient=owner, clinician=clinician)

    def store(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(summaries, "_store", store)
    client.force_login(owner)
    night = last_night(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("night_edit", args=[night.isoformat()]), {"cramps": "1", "worst_pain": "4"}
        )
    assert response.status_code == 302
    assert Night.objects.filter(user=owner, night=night).exists()
    assert f"patient {owner.pk} were not refreshed" in caplog.text and "alice" not in caplog.text
