"""`crampwise demo --clinic N`: a clinician, N patients who share with them, and a year each."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.urls import reverse

from crampwise.cli import main
from crampwise.clinician.core.demo_clinic import patient_nights, plan_for
from crampwise.clinician.models import Grant, PatientSummary
from crampwise.diary.models import Episode, Night

pytestmark = pytest.mark.django_db


def counts():
    return (
        get_user_model().objects.count(),
        Grant.objects.count(),
        Night.objects.count(),
        Episode.objects.count(),
        PatientSummary.objects.count(),
    )


def test_demo_clinic_makes_a_clinician_and_patients_who_share_with_them():
    """5 patients clinic-1..clinic-5 with a year each, granted, with figures, same password."""
    result = CliRunner().invoke(main, ["demo", "--clinic", "5", "--password", "five-patients"])
    assert result.exit_code == 0, result.output
    assert "Writing the demo clinic" in result.output
    assert "5 patients created, 0 refilled" in result.output
    User = get_user_model()
    clinician = User.objects.get(username="clinic")
    assert clinician.profile.is_clinician and clinician.check_password("five-patients")
    patients = User.objects.filter(username__startswith="clinic-").order_by("username")
    assert [p.username for p in patients] == [f"clinic-{i}" for i in range(1, 6)]
    for p in patients:
        assert not p.profile.is_clinician and p.check_password("five-patients")
        assert 250 < Night.objects.filter(user=p).count() <= 365
        assert Grant.objects.filter(patient=p, clinician=clinician, revoked_at=None).count() == 1
        assert not PatientSummary.objects.get(user=p).failed
    # One hash for everyone: made once, not once per account.
    assert len({p.password for p in patients}) == 1


def test_running_it_again_refills_and_never_duplicates():
    """The same accounts, one grant each, a diary made anew (not added to)."""
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "--clinic", "5"]).exit_code == 0
    first = counts()
    result = runner.invoke(main, ["demo", "--clinic", "5"])
    assert result.exit_code == 0, result.output
    assert "0 patients created, 5 refilled" in result.output
    assert counts() == first


def test_the_clinic_is_ready_to_browse(client):
    """The clinician logs in and sees the patients ordered by need, with figures."""
    CliRunner().invoke(main, ["demo", "--clinic", "6", "--username", "ward", "--nights", "120"])
    client.force_login(get_user_model().objects.get(username="ward"))
    response = client.get(reverse("clinician_home"))
    rows = response.context["rows"]
    assert {r["username"] for r in rows} == {f"ward-{i}" for i in range(1, 7)}
    assert all(r["available"] and r["rate_nights"] > 0 for r in rows)


def test_patients_differ_so_the_worklist_has_something_to_order():
    """Over 1,000 plans: rises, falls, silences, new medicines, red flags and trials, each some."""
    plans = [plan_for(n) for n in range(1, 1001)]
    share = {
        "rise": sum(p.recent_factor > 1 for p in plans),
        "fall": sum(p.recent_factor < 1 for p in plans),
        "silent": sum(p.silent_nights > 0 for p in plans),
        "medicine": sum(p.new_medicine is not None for p in plans),
        "red flag": sum(p.red_flag for p in plans),
        "trial": sum(p.trial_ended_days_ago is not None for p in plans),
    }
    assert 130 < share["rise"] < 230 and 100 < share["fall"] < 200
    assert 60 < share["silent"] < 140 and 60 < share["medicine"] < 140
    assert 10 < share["red flag"] < 50 and 25 < share["trial"] < 80
    rates = sorted(p.rate_factor for p in plans)
    assert rates[100] < 0.6 and rates[900] > 1.8  # a fifth of the demo's rate to three times it
    assert plan_for(7) == plan_for(7) and plan_for(7) != plan_for(8)


def test_a_scaled_night_never_has_more_logged_cramps_than_its_count():
    """Thinned or added to, each night keeps its episodes within its morning count."""
    zone = ZoneInfo("Europe/London")
    for n in (1, 2, 3, 4):
        for item in patient_nights(plan_for(n), 200, date(2026, 11, 30), zone):
            assert len(item.episodes) <= item.record.cramps
            assert (item.record.worst_pain is None) == (item.record.cramps == 0)
