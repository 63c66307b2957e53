"""`crampwise demo --clinic N`: a clinician and N made-up patients who share their reports with them.

Written in bulk, a batch of patients per transaction: the accounts with one password hash made
once, then each batch's nights, episodes, medicines, symptom checks and trials as bulk inserts,
the grants, and each patient's worklist figures. Running it again refills the same accounts
(their diaries are made anew, as ``crampwise demo`` does) and never adds a second grant.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from crampwise.accounts.models import Profile
from crampwise.clinician import summaries
from crampwise.clinician.core.demo_clinic import PatientPlan, patient_year, plan_for
from crampwise.clinician.models import Grant
from crampwise.diary import services as diary
from crampwise.diary.core.demo import DemoNight, demo_medicines
from crampwise.diary.demo_loader import demo_night
from crampwise.diary.models import Episode, Medicine, Night
from crampwise.guidance.models import Assessment
from crampwise.trials.models import Trial

PATIENTS_PER_BATCH = 25
MAX_PROCESSES = 3
# The symptom check of a patient with a red flag: one leg swollen, warm and red.
RED_FLAG_ANSWERS = {
    "age": 68,
    "sex": "female",
    "pregnant": False,
    "conditions": [],
    "medications": [],
}
RED_FLAG_SYMPTOMS = ("sudden_painful_tightening", "occurs_in_bed", "one_leg_swollen_warm_or_red")


@dataclass(frozen=True)
class Clinic:
    clinician: object
    clinician_created: bool
    patients_created: int
    patients_refilled: int


def patient_names(username: str, patients: int) -> list[str]:
    return [f"{username}-{i}" for i in range(1, patients + 1)]


def load_clinic(
    username: str,
    password: str,
    patients: int,
    *,
    nights: int = 365,
    seed: int = 1,
    time_zone: str = "Europe/London",
    progress: Callable[[int], object] = lambda n: None,
) -> Clinic:
    hashed = make_password(password)  # once: hashing is slow on purpose
    clinician, clinician_created = _clinician(username, hashed, time_zone)
    accounts, created = _patients(patient_names(username, patients), hashed, time_zone)
    red_flag = _red_flag_result()
    jobs = [(_number(u), seed, nights, diary.last_night(u), u.profile.time_zone) for u in accounts]
    with _years(jobs) as years:
        for first in range(0, len(accounts), PATIENTS_PER_BATCH):
            batch = accounts[first : first + PATIENTS_PER_BATCH]
            made = [next(years) for _ in batch]
            # The figures are computed once per patient, below, not after each write.
            with transaction.atomic(), summaries.paused():
                _refill(batch, made, nights, seed, red_flag)
                _grant(batch, clinician)
                summaries.refresh_many(batch)
            progress(len(batch))
    return Clinic(clinician, clinician_created, created, len(accounts) - created)


def _number(user) -> int:
    return int(user.username.rsplit("-", 1)[1])


@contextmanager
def _years(jobs: list) -> Iterator[Iterator[list[DemoNight]]]:
    """Each patient's nights, in order. Made in other processes while this one writes: making a
    year of nights costs about as much as writing it, so a second core halves the time."""
    processes = min(MAX_PROCESSES, (os.cpu_count() or 1) - 1)
    if processes < 1 or len(jobs) < PATIENTS_PER_BATCH:
        yield map(patient_year, jobs)
        return
    # Fresh processes ("spawn"): they run only the pure generator and never touch the database.
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        yield pool.imap(patient_year, jobs, chunksize=4)


def _clinician(username: str, hashed: str, time_zone: str):
    User = get_user_model()
    with transaction.atomic():
        account, created = User.objects.get_or_create(username=username)
        if created:
            account.password = hashed
            account.save(update_fields=["password"])
        profile = account.profile
        profile.is_clinician = True
        profile.time_zone = profile.time_zone if not created else time_zone
        profile.save(update_fields=["is_clinician", "time_zone"])
    return account, created


def _patients(names: list[str], hashed: str, time_zone: str) -> tuple[list, int]:
    """The patients' accounts in number order; new ones made in bulk. Returns (accounts, made)."""
    User = get_user_model()
    with transaction.atomic():
        have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        new = [User(username=name, password=hashed) for name in names if name not in have]
        User.objects.bulk_create(new, batch_size=500)
        # bulk_create sends no post_save, so the profiles every account has are made here.
        made = User.objects.filter(username__in=[u.username for u in new])
        Profile.objects.bulk_create(
            [Profile(user=u, time_zone=time_zone, birth_year=1940 + u.pk % 35) for u in made],
            batch_size=500,
            ignore_conflicts=True,
        )
    by_name = {
        u.username: u for u in User.objects.select_related("profile").filter(username__in=names)
    }
    return [by_name[name] for name in names], len(new)


def _red_flag_result() -> dict:
    from crampwise.guidance.core.assessment import assess
    from crampwise.guidance.core.inputs import SYMPTOMS

    answers = {**RED_FLAG_ANSWERS, "symptoms": {s: s in RED_FLAG_SYMPTOMS for s in SYMPTOMS}}
    return {"answers": answers, "result": assess(answers)}


def _refill(
    batch: Sequence, years: Sequence[list[DemoNight]], nights: int, seed: int, red_flag: dict
) -> None:
    """Replace each patient's diary, symptom checks and trials with freshly made ones."""
    ids = [u.pk for u in batch]
    for model, owner in ((Night, "user"), (Episode, "user"), (Medicine, "user"),
                         (Assessment, "user"), (Trial, "owner")):  # fmt: skip
        model.objects.filter(**{f"{owner}__in": ids}).delete()
    night_rows: list[Night] = []
    episode_rows: list[Episode] = []
    medicine_rows: list[Medicine] = []
    assessments: list[Assessment] = []
    trials: list[Trial] = []
    now = timezone.now()
    for user, year in zip(batch, years, strict=True):
        plan = plan_for(_number(user), seed)
        zone = ZoneInfo(user.profile.time_zone)
        end = diary.last_night(user)
        start = end - timedelta(days=nights - 1)
        for item in year:
            night_rows.append(demo_night(user, item, min(now, _morning(item.record.night, zone))))
            episode_rows += [
                Episode(user=user, night=item.record.night, **e | {"reliefs": list(e["reliefs"])})
                for e in item.episodes
            ]
        medicine_rows += [
            Medicine(user=user, name=m.name, dose=m.dose, started=m.started, stopped=m.stopped,
                     purpose=m.purpose)
            for m in demo_medicines(start, end)
        ]  # fmt: skip
        if plan.new_medicine is not None:
            name, dose = plan.new_medicine
            medicine_rows.append(
                Medicine(user=user, name=name, dose=dose,
                         started=end - timedelta(days=plan.medicine_days_ago))
            )  # fmt: skip
        if plan.red_flag:
            assessments.append(
                Assessment(user=user, answers=red_flag["answers"], result=red_flag["result"],
                           evidence_version=red_flag["result"]["evidence_version"])
            )  # fmt: skip
        if plan.trial_ended_days_ago is not None:
            trials.append(_finished_trial(user, plan, end))
    Night.objects.bulk_create(night_rows, batch_size=1000)
    Episode.objects.bulk_create(episode_rows, batch_size=1000)
    Medicine.objects.bulk_create(medicine_rows, batch_size=1000)
    Assessment.objects.bulk_create(assessments)
    Trial.objects.bulk_create(trials)


def _morning(night, zone: ZoneInfo) -> datetime:
    """The check-in after a night: 7:30 the next morning in the patient's own time."""
    return datetime.combine(night + timedelta(days=1), time(7, 30), zone).astimezone(UTC)


def _finished_trial(user, plan: PatientPlan, end) -> Trial:
    """Two pairs of week-long stretching periods that ended ``trial_ended_days_ago`` nights ago."""
    trial = Trial(
        owner=user, remedy_id="stretching", kind=Trial.Kind.STRETCHING, seed=plan.seed,
        start=end, period_nights=7, washout_nights=1, pairs=2, status=Trial.Status.FINISHED,
    )  # fmt: skip
    length = trial.design().end - trial.start
    assert plan.trial_ended_days_ago is not None
    trial.start = end - timedelta(days=plan.trial_ended_days_ago) - length
    return trial


def _grant(batch: Sequence, clinician) -> None:
    """One open grant from each patient to the clinician; an existing one is kept."""
    granted = set(
        Grant.objects.filter(
            clinician=clinician, patient__in=batch, revoked_at__isnull=True
        ).values_list("patient_id", flat=True)
    )
    Grant.objects.bulk_create(
        [Grant(patient=u, clinician=clinician) for u in batch if u.pk not in granted]
    )


def demo_clinic_command(
    username: str, password: str | None, patients: int, nights: int, seed: int, time_zone: str
) -> None:
    """The `crampwise demo --clinic N` part of the demo command, with its progress bar."""
    import sys
    import time as clock

    import click

    from crampwise.cli import migrate_quietly

    migrate_quietly()
    password = password or "crampwise-demo"
    began = clock.monotonic()
    with click.progressbar(
        length=patients, label="Writing the demo clinic", file=sys.stderr
    ) as bar:
        clinic = load_clinic(
            username, password, patients, nights=nights, seed=seed, time_zone=time_zone,
            progress=bar.update,
        )  # fmt: skip
    seconds = clock.monotonic() - began
    click.echo(
        f"clinic {username}: {clinic.patients_created} patients created, "
        f"{clinic.patients_refilled} refilled, {nights} nights each, in {seconds:.0f} s "
        f"(password of new accounts: {password})"
    )
