"""The check-in's one-statement read gives what the ORM gives, part by part, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crampwise.diary import services
from crampwise.diary.checkin_reads import checkin_reads
from crampwise.diary.models import CustomFactor, Episode, Medicine
from crampwise.trials import services as trials

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 11, 10)


@pytest.fixture
def diaries(owner, other_patient):
    """Two people's medicines (some without a start date), own factors and logged cramps."""
    for user, prefix in ((owner, ""), (other_patient, "Their ")):
        for name, started in (("Zopiclone", None), ("Amlodipine", date(2025, 1, 1)), ("Magnesium", date(2026, 9, 1)),
                              ("Atorvastatin", date(2026, 9, 1)), ("Ramipril", None)):
            Medicine.objects.create(user=user, name=prefix + name, started=started)
        for name, kind in (("late_dinner", "yes_no"), ("coffee_cups", "count"), ("sauna", "yes_no")):
            CustomFactor.objects.create(user=user, name=name, kind=kind, label=f"{prefix}{name}?")
    for minutes in (0, 40, 95):
        services.log_episode(owner, started_at=datetime(2026, 11, 11, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes))
    services.log_episode(other_patient, started_at=datetime(2026, 11, 11, 2, 0, tzinfo=UTC))
    return owner


def test_each_part_equals_the_orm(diaries, other_patient):
    for user in (diaries, other_patient):
        for night in (NIGHT, NIGHT + timedelta(days=1)):
            reads = checkin_reads(user, night)
            assert reads.medicines == [m.name for m in Medicine.objects.filter(user=user)]
            assert reads.custom_factors == tuple(
                (f.name, f.kind, f.label) for f in CustomFactor.objects.filter(user=user))
            assert reads.logged == Episode.objects.filter(user=user, night=night).count()
            assert reads.trials_begun == 0
    assert checkin_reads(diaries, NIGHT).logged == 3  # the fixture's cramps were really counted
    assert checkin_reads(other_patient, NIGHT).medicines[0].startswith("Their ")


def test_a_person_with_nothing_yet(owner):
    reads = checkin_reads(owner, NIGHT)
    assert (reads.medicines, reads.custom_factors, reads.logged, reads.trials_begun) == ([], (), 0, 0)


def test_trials_count_from_their_first_night(owner, other_patient):
    start = trials.last_night_over(owner) - timedelta(days=10)
    trials.create_trial(owner, remedy_id="stretching", kind="stretching", start=start, pairs=8, period_nights=7,
                        washout_nights=1, run_in_nights=0, seed=7)
    assert checkin_reads(owner, start - timedelta(days=1)).trials_begun == 0
    assert checkin_reads(owner, start).trials_begun == 1
    assert checkin_reads(other_patient, start).trials_begun == 0


def test_one_statement_for_all_of_it(diaries, django_assert_num_queries):
    with django_assert_num_queries(1):
        checkin_reads(diaries, NIGHT)
