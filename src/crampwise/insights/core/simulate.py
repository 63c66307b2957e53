"""Simulated diaries with known truth, shared by the accuracy tests and the benchmarks.

A diary here is what a real person would produce: about 4 cramps a week, nights more variable than
Poisson (negative binomial, shape ``dispersion``), a rate that drifts slowly (a latent AR(1) on the
log scale), factors that repeat from one day to the next, and runs of unrecorded nights. Each
factor multiplies the nightly rate by ``rate_ratio`` per unit, so the truth to recover is known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from crampwise.diary.core.records import (
    MUSCLES,
    RELIEFS,
    SIDES,
    EpisodeRecord,
    FactorSpec,
    MedicineRecord,
    NightRecord,
)


@dataclass(frozen=True)
class SimulatedFactor:
    """A daily factor: its values, how sticky they are from day to day, and its true effect."""

    name: str
    kind: str  # "yes_no" or "count"
    label: str
    values: tuple[float, ...]  # the possible values ...
    probs: tuple[float, ...]  # ... and how often each comes up
    rate_ratio: float = 1.0  # per unit; 1.0 means no effect
    persistence: float = 0.0  # chance a day repeats the day before
    missing: float = 0.03  # chance the value is left blank on a recorded night

    @property
    def spec(self) -> FactorSpec:
        return FactorSpec(self.name, self.kind, self.label)


def yes_no(
    name: str, label: str, share: float, rate_ratio: float = 1.0, persistence: float = 0.0
) -> SimulatedFactor:
    return SimulatedFactor(
        name, "yes_no", label, (0.0, 1.0), (1 - share, share), rate_ratio, persistence
    )


# The accuracy scenario: one helpful habit, one harmful count, and six factors with no effect,
# some of them sticky (long runs of the same value are what fool naive tests under drift).
ACCURACY_FACTORS: tuple[SimulatedFactor, ...] = (
    yes_no("stretched", "Stretched before bed", 0.4, rate_ratio=0.5, persistence=0.5),
    SimulatedFactor(
        "alcohol_units",
        "count",
        "Alcohol units",
        (0, 1, 2, 3, 4),
        (0.45, 0.2, 0.17, 0.1, 0.08),
        rate_ratio=1.4,
        persistence=0.3,
    ),
    SimulatedFactor(
        "fluid_glasses",
        "count",
        "Glasses of fluid",
        tuple(range(3, 11)),
        (0.125,) * 8,
        persistence=0.3,
    ),
    SimulatedFactor(
        "exercise_minutes",
        "count",
        "Exercise minutes",
        (0, 10, 20, 30, 45, 60),
        (0.35, 0.1, 0.2, 0.15, 0.1, 0.1),
        persistence=0.2,
    ),
    SimulatedFactor(
        "hours_on_feet", "count", "Hours on feet", tuple(range(1, 11)), (0.1,) * 10, persistence=0.5
    ),
    yes_no("supportive_shoes", "Wore supportive shoes", 0.6, persistence=0.9),
    yes_no("tonic_water", "Tonic water", 0.15, persistence=0.5),
    yes_no("late_dinner", "Late dinner", 0.3),
)

# True effect of each relief on how long a cramp lasts (ratio of durations).
RELIEF_EFFECTS = {
    "stretch": 0.6,
    "stand_walk": 1.0,
    "massage": 1.0,
    "heat": 1.0,
    "cold": 1.0,
    "other": 1.0,
}


@dataclass(frozen=True)
class MedicineChange:
    """A medicine started ``start_offset`` nights into the diary that multiplies the rate."""

    name: str
    start_offset: int
    rate_ratio: float


@dataclass(frozen=True)
class SimulatedDiary:
    nights: tuple[NightRecord, ...]
    episodes: tuple[EpisodeRecord, ...]
    medicines: tuple[MedicineRecord, ...]
    factor_specs: tuple[FactorSpec, ...]
    today: date
    truth: dict[str, float] = field(default_factory=dict)  # factor name -> true rate ratio per unit


def _sticky(rng: np.random.Generator, f: SimulatedFactor, n: int) -> np.ndarray:
    fresh = rng.choice(np.asarray(f.values, dtype=float), size=n, p=np.asarray(f.probs))
    repeat = rng.random(n) < f.persistence
    out = fresh.copy()
    for t in range(1, n):
        if repeat[t]:
            out[t] = out[t - 1]
    return out


def _ar1(rng: np.random.Generator, n: int, rho: float, sd: float) -> np.ndarray:
    u = np.empty(n)
    u[0] = rng.normal(0, sd)
    innovation = sd * np.sqrt(1 - rho**2)
    shocks = rng.normal(0, innovation, n)
    for t in range(1, n):
        u[t] = rho * u[t - 1] + shocks[t]
    return u


def _missing_runs(
    rng: np.random.Generator, n: int, fraction: float, mean_run: float = 3.0
) -> np.ndarray:
    """Unrecorded nights come in runs (a trip, a bad week); ``fraction`` of nights on average."""
    if fraction <= 0:
        return np.zeros(n, dtype=bool)
    stay = 1 - 1 / mean_run
    enter = (1 - stay) * fraction / (1 - fraction)
    draws = rng.random(n)
    missing = np.zeros(n, dtype=bool)
    missing[0] = draws[0] < fraction
    for t in range(1, n):
        missing[t] = draws[t] < (stay if missing[t - 1] else enter)
    return missing


def simulate_diary(
    seed: int | np.random.Generator,
    *,
    nights: int = 365,
    start: date = date(2024, 1, 1),
    cramps_per_week: float = 4.0,
    dispersion: float = 1.5,
    drift_sd: float = 0.4,
    drift_rho: float = 0.95,
    missing_fraction: float = 0.10,
    factors: Sequence[SimulatedFactor] = ACCURACY_FACTORS,
    with_episodes: bool = True,
    medicine: MedicineChange | None = None,
) -> SimulatedDiary:
    """A diary of ``nights`` nights from ``start``, with ``today`` the morning after the last."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n = nights
    values = {f.name: _sticky(rng, f, n) for f in factors}
    log_effect = np.zeros(n)
    for f in factors:
        log_effect += np.log(f.rate_ratio) * values[f.name]
    drift = _ar1(rng, n, drift_rho, drift_sd) if drift_sd > 0 else np.zeros(n)
    # Scale so the diary averages ``cramps_per_week`` whatever the factors and drift do.
    shape = np.exp(log_effect + drift)
    if medicine is not None:
        shape[medicine.start_offset :] *= medicine.rate_ratio
    mu = cramps_per_week / 7 * shape / shape.mean()
    gamma = rng.gamma(dispersion, 1 / dispersion, n) if dispersion > 0 else np.ones(n)
    counts = rng.poisson(mu * gamma)
    missing = _missing_runs(rng, n, missing_fraction)

    records: list[NightRecord] = []
    episodes: list[EpisodeRecord] = []
    for t in range(n):
        night = start + timedelta(days=t)
        if missing[t]:
            continue
        factor_values: dict[str, float | None] = {}
        for f in factors:
            factor_values[f.name] = None if rng.random() < f.missing else float(values[f.name][t])
        cramps = int(counts[t])
        night_episodes = _episodes(rng, night, cramps) if with_episodes else []
        episodes.extend(night_episodes)
        pains = [e.pain for e in night_episodes if e.pain is not None]
        worst = max(pains) if pains else (int(rng.integers(3, 9)) if cramps else None)
        awake = (
            int(rng.integers(5, 45))
            if cramps
            else (0 if rng.random() < 0.9 else int(rng.integers(5, 30)))
        )
        records.append(
            NightRecord(
                night=night,
                cramps=cramps,
                worst_pain=worst,
                minutes_awake=awake,
                sleep_quality=int(rng.integers(1, 6)),
                factors=factor_values,
            )
        )
    medicines: tuple[MedicineRecord, ...] = ()
    if medicine is not None:
        medicines = (
            MedicineRecord(medicine.name, started=start + timedelta(days=medicine.start_offset)),
        )
    return SimulatedDiary(
        nights=tuple(records),
        episodes=tuple(episodes),
        medicines=medicines,
        factor_specs=tuple(f.spec for f in factors),
        today=start + timedelta(days=n),
        truth={f.name: f.rate_ratio for f in factors},
    )


_HOURS = np.arange(24)
# Cramps cluster in the small hours: a peak around 3 a.m.
_HOUR_WEIGHTS = np.exp(-0.5 * (((_HOURS - 3 + 12) % 24 - 12) / 2.0) ** 2)
_HOUR_WEIGHTS /= _HOUR_WEIGHTS.sum()


def _episodes(rng: np.random.Generator, night: date, cramps: int) -> list[EpisodeRecord]:
    """Most but not all cramps get a "cramp now" tap; each has pain, reliefs and a duration."""
    out = []
    for _ in range(cramps):
        if rng.random() > 0.7:
            continue
        hour = int(rng.choice(_HOURS, p=_HOUR_WEIGHTS))
        day = night if hour >= 12 else night + timedelta(days=1)
        started = datetime(day.year, day.month, day.day, hour, int(rng.integers(0, 60)), tzinfo=UTC)
        pain = int(np.clip(round(rng.normal(6, 2)), 1, 10))
        # Worse cramps get more reliefs tried (massage especially): the comparison must adjust.
        reliefs = tuple(
            r
            for r in RELIEFS
            if rng.random()
            < {"stretch": 0.5, "stand_walk": 0.4, "massage": 0.1 + 0.05 * pain}.get(r, 0.1)
        )
        log_seconds = np.log(90) + 0.12 * (pain - 6) + rng.normal(0, 0.5)
        for r in reliefs:
            log_seconds += np.log(RELIEF_EFFECTS[r])
        out.append(
            EpisodeRecord(
                night=night,
                started_at=started,
                local_hour=hour,
                duration_seconds=int(max(5, round(float(np.exp(log_seconds))))),
                muscle=str(rng.choice(MUSCLES, p=(0.6, 0.25, 0.07, 0.05, 0.03))),
                side=str(rng.choice(SIDES, p=(0.45, 0.45, 0.1))),
                pain=pain,
                reliefs=reliefs,
            )
        )
    return out


def wide_factors(count: int) -> tuple[SimulatedFactor, ...]:
    """``count`` factors for the speed benchmark: the accuracy set plus extra own tags."""
    extra = tuple(
        yes_no(f"tag_{i}", f"Own tag {i}", 0.2 + 0.05 * (i % 6), persistence=0.3)
        for i in range(max(0, count - len(ACCURACY_FACTORS)))
    )
    return (ACCURACY_FACTORS + extra)[:count]


# The accuracy scenario of tests/insights and benchmarks/insights_accuracy.py.
ACCURACY_SCENARIO: dict[str, Any] = {
    "nights": 365,
    "cramps_per_week": 4.0,
    "dispersion": 1.5,
    "drift_sd": 0.4,
    "drift_rho": 0.95,
    "missing_fraction": 0.10,
}


@dataclass
class FactorAccuracy:
    """How often each factor was called worse/better, and how often its interval held the truth."""

    diaries: int = 0
    called: dict[str, int] = field(default_factory=dict)
    covered: dict[str, int] = field(default_factory=dict)
    truth: dict[str, float] = field(default_factory=dict)

    def call_rate(self, name: str) -> float:
        return self.called[name] / self.diaries

    def coverage(self, name: str) -> float:
        return self.covered[name] / self.diaries

    @property
    def null_names(self) -> list[str]:
        return [n for n, rr in self.truth.items() if rr == 1.0]

    @property
    def null_call_rate(self) -> float:
        nulls = self.null_names
        return sum(self.called[n] for n in nulls) / (self.diaries * len(nulls))

    @property
    def overall_coverage(self) -> float:
        return sum(self.covered.values()) / (self.diaries * len(self.covered))


def factor_accuracy(diaries: int, first_seed: int = 0, **scenario: object) -> FactorAccuracy:
    """Run the factor analysis on ``diaries`` simulated diaries and count calls and coverage."""
    from crampwise.insights.core.factors import analyse_factors
    from crampwise.insights.core.night_table import NightTable

    settings = ACCURACY_SCENARIO | scenario
    result = FactorAccuracy()
    for seed in range(first_seed, first_seed + diaries):
        diary = simulate_diary(seed, with_episodes=False, **settings)
        table = NightTable.from_records(diary.nights, diary.today)
        result.diaries += 1
        for row in analyse_factors(table, diary.factor_specs):
            name = row["name"]
            truth = diary.truth[name]
            result.truth[name] = truth
            hit = row["verdict"] in ("worse", "better") and (row["verdict"] == "worse") == (
                truth > 1
            )
            wrong_way = row["verdict"] in ("worse", "better") and truth == 1.0
            result.called[name] = result.called.get(name, 0) + int(hit or wrong_way)
            ci = row["ci95"]
            result.covered[name] = result.covered.get(name, 0) + int(
                ci is not None and ci[0] <= truth <= ci[1]
            )
    return result


def skip_mornings(
    diary: SimulatedDiary, fraction: float, seed: int | np.random.Generator
) -> SimulatedDiary:
    """The same diary with each morning answer skipped at random, with chance ``fraction``.

    A skipped night keeps what the night log knew, as the database gives it: the cramps tapped
    during the night, not confirmed; without a tap the night is missing. Only nights with cramps
    can leave such a trace, which is what biases a rate that counts them.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    logged = Counter(e.night for e in diary.episodes)
    kept: list[NightRecord] = []
    for record in diary.nights:
        if rng.random() >= fraction:
            kept.append(record)
        elif logged[record.night]:
            kept.append(replace(record, cramps=logged[record.night], confirmed=False))
    return replace(diary, nights=tuple(kept))
