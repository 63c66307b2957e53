"""A realistic made-up diary for demos and benchmarks. Pure; no Django.

Cramp rates follow the patterns in the research notes: about 3 to 5 a week, more in midsummer than
midwinter (Garrison et al., CMAJ 2015, in shared/research/clinical-evidence.md), overdispersed night
to night, fewer after stretching, more after alcohol and long hours on the feet. Some nights are
left out, as real diaries have gaps.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from crampwise.diary.core.records import MUSCLES, RELIEFS, SIDES, MedicineRecord, NightRecord


@dataclass(frozen=True)
class DemoNight:
    record: NightRecord
    episodes: tuple[
        dict[str, Any], ...
    ]  # started_at (aware), ended_at, muscle, side, pain, reliefs


def demo_medicines(start: date, end: date | None = None) -> list[MedicineRecord]:
    """The demo's medicines; with ``end``, none started or stopped after it (a diary holds no
    future dates, diary/core/limits.py), so a short demo has fewer of them."""
    medicines = [
        MedicineRecord("Ramipril", "5 mg once a day", start - timedelta(days=900), None, "other"),
        MedicineRecord(
            "Atorvastatin", "20 mg at night", start + timedelta(days=120), None, "other"
        ),
        MedicineRecord(
            "Magnesium citrate",
            "300 mg a day",
            start + timedelta(days=200),
            start + timedelta(days=260),
            "cramps_preventive",
        ),
    ]
    if end is None:
        return medicines
    return [
        MedicineRecord(m.name, m.dose, m.started, None, m.purpose)
        if m.stopped is not None and m.stopped > end
        else m
        for m in medicines
        if m.started is None or m.started <= end
    ]


def generate(
    nights: int, end: date, seed: int, tz: ZoneInfo, missing_rate: float = 0.12
) -> Iterator[DemoNight]:
    rng = np.random.default_rng(seed)
    start = end - timedelta(days=nights - 1)
    statin_start = start + timedelta(days=120)
    drift = 0.0
    base_rate = 0.55  # cramps a night in an average season
    k = 2.0  # negative binomial shape: smaller is more overdispersed
    gap_left = 0
    for i in range(nights):
        night = start + timedelta(days=i)
        drift = 0.92 * drift + rng.normal(0, 0.08)  # slow ups and downs, correlated night to night
        # Peak in midsummer (northern hemisphere), low in midwinter: roughly a twofold swing.
        season = 0.35 * math.cos(2 * math.pi * (night.timetuple().tm_yday - 196) / 365.25)
        stretched = bool(rng.random() < 0.45)
        alcohol = int(rng.choice([0, 0, 0, 1, 2, 3, 4], p=[0.3, 0.2, 0.1, 0.15, 0.12, 0.08, 0.05]))
        on_feet = float(np.round(rng.gamma(4, 1.2), 1))
        fluids = int(rng.integers(3, 11))
        exercise = int(rng.choice([0, 0, 20, 30, 45, 60]))
        shoes = bool(rng.random() < 0.6)
        log_rate = (
            math.log(base_rate)
            + season
            + drift
            + (-0.4 if stretched else 0.0)
            + 0.2 * alcohol
            + 0.04 * (on_feet - 5)
            + (0.25 if night >= statin_start else 0.0)
        )
        mu = math.exp(log_rate)
        cramps = int(rng.negative_binomial(k, k / (k + mu)))
        # Gaps come in runs (holidays, a forgotten phone) as well as single nights.
        if gap_left > 0:
            gap_left -= 1
            continue
        if rng.random() < missing_rate / 4:
            gap_left = int(rng.integers(1, 6))
            continue
        if rng.random() < missing_rate / 2:
            continue
        episodes: list[dict[str, Any]] = []
        logged = min(cramps, int(rng.binomial(cramps, 0.6)))
        for _ in range(logged):
            minute = int(rng.normal(3.5 * 60, 80)) % (7 * 60)  # most between 1 and 6 a.m.
            local = datetime.combine(night + timedelta(days=1), time(0, 0), tz) + timedelta(
                minutes=minute - 60
            )
            started = local.astimezone(UTC)
            pain = int(np.clip(rng.normal(6, 2), 1, 10))
            reliefs = tuple(
                sorted(set(rng.choice(RELIEFS[:4], size=int(rng.integers(1, 3)), replace=False)))
            )
            base_minutes = rng.lognormal(math.log(4), 0.6) * (0.7 if "stretch" in reliefs else 1.0)
            episodes.append(
                {
                    "started_at": started,
                    "ended_at": started + timedelta(seconds=int(base_minutes * 60)),
                    "muscle": str(rng.choice(MUSCLES, p=[0.7, 0.15, 0.05, 0.05, 0.05])),
                    "side": str(rng.choice(SIDES, p=[0.45, 0.45, 0.1])),
                    "pain": pain,
                    "reliefs": reliefs,
                }
            )
        pains = [e["pain"] for e in episodes]
        worst = max(pains) if pains else (int(rng.integers(3, 9)) if cramps else None)
        record = NightRecord(
            night=night,
            cramps=cramps,
            worst_pain=worst if cramps else None,
            minutes_awake=int(cramps * rng.integers(3, 15)) if cramps else 0,
            sleep_quality=int(np.clip(4 - cramps + rng.integers(-1, 2), 1, 5)),
            soreness=int(min(3, cramps)) if cramps else 0,
            factors={
                "stretched": 1.0 if stretched else 0.0,
                "fluid_glasses": float(fluids),
                "alcohol_units": float(alcohol),
                "exercise_minutes": float(exercise),
                "hours_on_feet": on_feet,
                "supportive_shoes": 1.0 if shoes else 0.0,
            },
            medicines_taken=("Ramipril",) + (("Atorvastatin",) if night >= statin_start else ()),
        )
        yield DemoNight(record, tuple(episodes))
