"""Each patient's series row is stored in the database and kept current, so a page in any server
process (a new one included) pools stored rows instead of analysing every patient again."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from crampwise.diary.models import Night
from crampwise.diary.services import last_night
from crampwise.series import rows, services
from crampwise.series.models import PatientResult
from crampwise.series.summary import series_summary
from crampwise.trials.core.pooling import PatientTrialData, pool_trials
from tests.series.builders import fill_nights, join_weeks_ago, patients, protocol_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(django_user_model, clinician):
    protocol = protocol_for(clinician)
    enrolments = [
        join_weeks_ago(person, protocol, 8) for person in patients(django_user_model, 4, "sr")
    ]
    for i, enrolment in enumerate(enrolments):
        fill_nights(enrolment, 1.0, 0.6, seed=40 + i)
    return protocol, enrolments


@pytest.fixture
def computed(monkeypatch):
    """Which enrolments each call of ``rows.compute`` analysed."""
    calls: list[list[str]] = []
    real = rows.compute

    def compute(protocol, enrolments):
        calls.append([e.code for e in enrolments])
        return real(protocol, enrolments)

    monkeypatch.setattr(rows, "compute", compute)
    return calls


def _fresh_process_view(protocol):
    cache.clear()  # a new server process: nothing in its memory
    return series_summary(protocol)


def test_a_new_process_pools_stored_rows_and_analyses_no_one(series, computed):
    protocol, _ = series
    first = series_summary(protocol)
    assert computed == [["P01", "P02", "P03", "P04"]]
    assert PatientResult.objects.count() == 4

    again = _fresh_process_view(protocol)
    assert computed == [["P01", "P02", "P03", "P04"]]  # no second analysis
    assert again.pooled.rate_ratio_ci95 == pytest.approx(first.pooled.rate_ratio_ci95)
    assert again.rows == first.rows and again.rates == first.rates


def test_a_check_in_stores_the_patients_row_before_anyone_looks(
    series, client, computed, django_capture_on_commit_callbacks
):
    """P02 changes last night's answer; the owner's next view (in any process) analyses no one
    and shows it."""
    protocol, enrolments = series
    series_summary(protocol)
    patient = enrolments[1].patient
    night = last_night(patient)
    client.force_login(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("night_edit", args=[night.isoformat()]),
            {"cramps": "4", "worst_pain": "6", "minutes_awake": "10", "sleep_quality": "3"},
        )
    assert response.status_code == 302
    assert computed[-1] == ["P02"]  # done after the check-in committed, for P02 only
    calls = len(computed)

    summary = _fresh_process_view(protocol)
    assert len(computed) == calls
    stored = PatientResult.objects.get(enrolment=enrolments[1])
    assert stored.key == rows.patient_keys(protocol, [enrolments[1]])[enrolments[1].pk]
    from_scratch = rows.compute(protocol, [enrolments[1]])[enrolments[1].pk]
    assert stored.data == from_scratch
    row = next(row for row in summary.rows if row.code == "P02")
    assert row.recorded == from_scratch["recorded"]


def test_a_change_made_behind_the_apps_back_is_analysed_again_for_that_patient_only(
    series, computed
):
    protocol, enrolments = series
    before = series_summary(protocol)
    latest = Night.objects.filter(user=enrolments[2].patient).order_by("-night").first()
    Night.objects.filter(pk=latest.pk).update(
        reported_cramps=(latest.reported_cramps or 0) + 5, updated_at=timezone.now()
    )
    after = _fresh_process_view(protocol)
    assert computed[-1] == ["P03"]
    assert sum(r["cramps"] for r in after.rates) == sum(r["cramps"] for r in before.rates) + 5


def test_stored_rows_give_the_answer_of_pooling_the_nights_directly(series):
    """The likelihoods go through JSON: the pooled answer must not move in any shown digit."""
    protocol, enrolments = series
    summary = _fresh_process_view(protocol)
    summary = _fresh_process_view(protocol)  # now from the stored rows
    records = rows.records_of(enrolments)
    direct = pool_trials(
        [
            PatientTrialData.from_nights(
                e.code, *rows.patient_nights(protocol, e, records[e.patient_id])
            )
            for e in enrolments
        ],
        protocol.threshold,
    )
    assert summary.pooled.rate_ratio_median == pytest.approx(direct.rate_ratio_median, abs=1e-4)
    assert summary.pooled.rate_ratio_ci95 == pytest.approx(direct.rate_ratio_ci95, abs=1e-4)
    assert summary.pooled.p_meaningful == pytest.approx(direct.p_meaningful, abs=1e-4)
    for stored, own in zip(summary.pooled.individuals, direct.individuals, strict=True):
        assert stored.label == own.label
        assert stored.rate_ratio_median == pytest.approx(own.rate_ratio_median, abs=1e-4)


def test_the_worker_recomputes_rows_a_new_morning_made_stale(series, computed):
    protocol, enrolments = series
    series_summary(protocol)
    assert rows.refresh_stale() == 0  # all current: nothing to do

    PatientResult.objects.update(key="a night ago")  # what a new morning does to every key
    assert rows.refresh_stale(limit=3) == 3
    assert rows.refresh_stale() == 1
    assert rows.refresh_stale() == 0

    calls = len(computed)
    _fresh_process_view(protocol)
    assert len(computed) == calls  # the owner's first look of the day analyses no one


def test_withdrawn_patients_and_finished_series_are_left_alone(series, computed, clinician):
    protocol, enrolments = series
    series_summary(protocol)
    services.withdraw(enrolments[0])
    # Consent taken back: the stored copy of their result goes with it.
    assert not PatientResult.objects.filter(enrolment=enrolments[0]).exists()
    PatientResult.objects.update(key="stale")
    assert rows.refresh_stale() == 3
    assert rows.refresh_patient(enrolments[0].patient_id) == 0

    services.finish(protocol, clinician)
    PatientResult.objects.update(key="stale")
    assert rows.refresh_stale() == 0
    # The page still shows current rows: it computes the stale ones itself.
    summary = _fresh_process_view(protocol)
    assert [row.code for row in summary.rows] == ["P02", "P03", "P04"]


def test_a_series_refresh_that_fails_never_breaks_the_patients_check_in(
    series, client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    protocol, enrolments = series
    patient = enrolments[0].patient

    def broken(user_id):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(rows, "refresh_patient", broken)
    client.force_login(patient)
    night = last_night(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("night_edit", args=[night.isoformat()]),
            {"cramps": "1", "worst_pain": "2", "minutes_awake": "0", "sleep_quality": "4"},
        )
    assert response.status_code == 302
    assert Night.objects.get(user=patient, night=night).reported_cramps == 1
    assert f"patient {patient.pk} were not refreshed" in caplog.text
    assert patient.username not in caplog.text


def test_a_cramp_logged_on_an_answered_night_changes_the_key(series, computed):
    """A cramp logged at night changes the night's count through a queryset update: the key must
    see it, or the page would keep yesterday's figures under today's key."""
    from crampwise.diary.models import Episode
    from crampwise.diary.services import sync_episode_count

    protocol, enrolments = series
    series_summary(protocol)
    patient = enrolments[0].patient
    night = Night.objects.filter(user=patient).order_by("-night").first()
    before = rows.patient_keys(protocol, [enrolments[0]])
    Episode.objects.create(user=patient, night=night.night, started_at=timezone.now())
    sync_episode_count(patient, night.night)
    assert rows.patient_keys(protocol, [enrolments[0]]) != before


def test_a_row_is_the_same_computed_alone_or_with_others(django_user_model, clinician):
    """The baseline before a trial is the 8 weeks the trial page reads, whoever else's nights were
    read in the same query: a patient who started later sees no older nights of their own."""
    from datetime import timedelta

    from crampwise.diary.core.records import NightRecord
    from crampwise.diary.services import import_records

    protocol = protocol_for(clinician)
    early, late = patients(django_user_model, 2, "base")
    first = join_weeks_ago(early, protocol, 12)
    second = join_weeks_ago(late, protocol, 4)
    # The later patient has a long diary before their trial: calm long ago, busy recently.
    start = second.trial.start
    import_records(late, [
        NightRecord(night=start - timedelta(days=d), cramps=0 if d > 56 else 3)
        for d in range(1, 120)
    ], [])  # fmt: skip
    fill_nights(first, 1.0, 0.6, seed=1)
    fill_nights(second, 1.0, 0.6, seed=2)
    together = rows.compute(protocol, [first, second])[second.pk]
    alone = rows.compute(protocol, [second])[second.pk]
    assert together == alone


def test_a_page_whose_rows_cannot_be_stored_still_shows_them(series, monkeypatch, caplog):
    """Storing rows only saves the next reader work: a database that refuses the write (full, or
    read-only) must not turn the owner's page into an error."""
    from django.db import DatabaseError

    protocol, _ = series

    def refuse(keys, computed_rows):
        raise DatabaseError("read-only")

    monkeypatch.setattr(rows, "store", refuse)
    summary = series_summary(protocol)
    assert [row.code for row in summary.rows] == ["P01", "P02", "P03", "P04"]
    assert summary.pooled is not None
    assert "were not stored" in caplog.text
