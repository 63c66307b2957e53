"""Made-up patients for a demo clinic: the demo diary, varied so a worklist has something to order.

Each patient gets the demo generator's year (``diary/core/demo.py``) with a seed of their own, then
a plan drawn from that seed: a usual rate from a fifth to three times the demo's, a rise or a fall
over the last six weeks for some, a run of unanswered nights at the end for a few, a medicine
started in the last weeks, a red flag, or a personal trial that just ended. Pure; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from crampwise.diary.core.demo import DemoNight, generate

CHANGE_NIGHTS = 42  # a rise or a fall covers the last six weeks
NEW_MEDICINES = (
    # Medicines the evidence base links with cramps, as a new start to notice.
    ("Furosemide", "40 mg in the morning"),
    ("Amlodipine", "5 mg once a day"),
    ("Salbutamol inhaler", "2 puffs when needed"),
    ("Pregabalin", "75 mg twice a day"),
)


@dataclass(frozen=True)
class PatientPlan:
    """How one made-up patient differs from the demo diary."""

    seed: int
    rate_factor: float  # the usual rate, as a multiple of the demo's
    recent_factor: float  # the last six weeks against the usual: above 1 a rise
    silent_nights: int  # unanswered nights at the end (no check-in lately)
    new_medicine: tuple[str, str] | None
    medicine_days_ago: int
    red_flag: bool
    trial_ended_days_ago: int | None


def plan_for(number: int, base_seed: int = 1) -> PatientPlan:
    """Patient ``number``'s plan (1, 2, ...); the same number always gives the same patient."""
    seed = base_seed * 100_003 + number
    rng = np.random.default_rng([seed, 7])
    draw = rng.random(6)
    if draw[0] < 0.18:
        recent = float(rng.uniform(3.0, 5.0))  # about one in six is getting worse
    elif draw[0] < 0.33:
        recent = float(rng.uniform(0.15, 0.35))  # and a few are getting better
    else:
        recent = 1.0
    medicine = NEW_MEDICINES[int(rng.integers(len(NEW_MEDICINES)))] if draw[2] < 0.1 else None
    return PatientPlan(
        seed=seed,
        rate_factor=float(math.exp(rng.normal(0.0, 0.6))),
        recent_factor=recent,
        silent_nights=int(rng.integers(8, 30)) if draw[1] < 0.1 else 0,
        new_medicine=medicine,
        medicine_days_ago=int(rng.integers(3, 26)),
        red_flag=bool(draw[3] < 0.03),
        trial_ended_days_ago=int(rng.integers(2, 21)) if draw[4] < 0.05 else None,
    )


def patient_nights(
    plan: PatientPlan, nights: int, end: date, zone: ZoneInfo
) -> Iterator[DemoNight]:
    """The patient's diary: the demo's nights with counts scaled by the plan, episodes kept within."""
    rng = np.random.default_rng([plan.seed, 11])
    last_answered = end - timedelta(days=plan.silent_nights)
    change_from = end - timedelta(days=CHANGE_NIGHTS - 1)
    for item in generate(nights, end, plan.seed, zone):
        night = item.record.night
        if night > last_answered:
            continue
        factor = plan.rate_factor * (plan.recent_factor if night >= change_from else 1.0)
        yield scaled(item, factor, rng)


def scaled(item: DemoNight, factor: float, rng: np.random.Generator) -> DemoNight:
    """The night with its count multiplied by ``factor`` on average (thinned, or added to)."""
    cramps = item.record.cramps or 0
    if factor <= 1.0:
        count = int(rng.binomial(cramps, factor))
    else:
        count = cramps + int(rng.poisson((factor - 1.0) * cramps))
    if count == cramps:
        return item
    record = item.record
    if count == 0:
        record = replace(record, cramps=0, worst_pain=None, minutes_awake=0, soreness=0)
    else:
        record = replace(record, cramps=count, soreness=min(3, count))
    # A night never has more logged cramps than its morning count.
    return DemoNight(record, item.episodes[:count])


def patient_year(job: tuple[int, int, int, date, str]) -> list[DemoNight]:
    """(number, base seed, nights, last night, zone name) -> the patient's nights, for a process pool."""
    number, base_seed, nights, end, zone = job
    return list(patient_nights(plan_for(number, base_seed), nights, end, ZoneInfo(zone)))
