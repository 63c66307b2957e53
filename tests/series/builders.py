"""Builders for series tests: a protocol, patients who joined weeks ago, and their nights."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import numpy as np

from crampwise.diary.models import Night
from crampwise.series import services
from crampwise.trials.core.design import Arm, build_schedule
from crampwise.trials.models import Adherence, Trial
from tests.conftest import make_user

DESIGN = {
    "title": "Magnesium for night cramps",
    "aims": "Does magnesium cut cramps?",
    "remedy_id": "magnesium",
    "period_nights": 14,
    "washout_nights": 7,
    "run_in_nights": 0,
    "pairs": 3,
    "block_periods": 2,
    "threshold": 0.8,
    "blinded": False,
}


def protocol_for(owner, **changes):
    return services.create_protocol(owner, **{**DESIGN, **changes})


def join_weeks_ago(patient, protocol, weeks: int):
    """Join now, then move the trial's start back so ``weeks`` of nights are already over.

    The schedule's seed comes from the username, so a simulated test gives the same answer on
    every run.
    """
    enrolment = services.enrol(patient, protocol)
    trial = enrolment.trial
    seed = int(hashlib.sha256(patient.get_username().encode()).hexdigest()[:12], 16)
    Trial.objects.filter(pk=trial.pk).update(start=trial.start - timedelta(weeks=weeks), seed=seed)
    enrolment.trial.refresh_from_db()
    return enrolment


def fill_nights(enrolment, rate_per_night: float, ratio: float, seed: int, missing: float = 0.0):
    """Poisson cramps on every night that is over: ``ratio`` times fewer on remedy nights."""
    rng = np.random.default_rng(seed)
    trial = enrolment.trial
    trial.refresh_from_db()
    rows, answers = [], []
    from crampwise.diary.services import last_night

    over = last_night(enrolment.patient)
    for scheduled in build_schedule(trial.design()):
        if scheduled.night > over:
            break
        if rng.random() < missing:
            continue
        rate = rate_per_night * (ratio if scheduled.arm is Arm.TREATMENT else 1.0)
        rows.append(Night(user=enrolment.patient, night=scheduled.night,
                          reported_cramps=int(rng.poisson(rate))))  # fmt: skip
        if scheduled.arm is not Arm.BASELINE:
            answers.append(Adherence(trial=trial, night=scheduled.night, followed=True))
    Night.objects.bulk_create(rows)
    Adherence.objects.bulk_create(answers)


def patients(django_user_model, count: int, prefix: str = "patient"):
    return [make_user(django_user_model, f"{prefix}{i}") for i in range(count)]
