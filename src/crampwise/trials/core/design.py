"""The schedule of a personal randomized trial: which nights are remedy nights.

A trial is a run of randomization *blocks*. The usual block is a *pair*: one remedy period and one
control period, in an order drawn at random for every pair (the first one too), so neither the
person nor a season can line up with the remedy. A design can instead use blocks of four or six
periods, half with the remedy and half without, in a random balanced order drawn for every block.
With pairs, the second period of each pair is known as soon as the first one is; within a larger
block fewer periods can be foreseen, while each block is still balanced, so slow trends cancel
within it and a look at a block's end rests on as many remedy periods as control periods.

Every draw comes from a recorded seed through SHA-256, not through a library's random generator,
so the same seed gives the same schedule on any machine and in any future version: the schedule
can always be rebuilt to check it.

- A pair: remedy first when the lowest bit of the first byte of
  ``sha256("crampwise-trial:{seed}:{pair}")`` is 1 (``treatment_first``).
- A block of 2m periods: start from m remedy periods followed by m control periods and shuffle them
  by Fisher-Yates, position i from 2m-1 down to 1 swapping with position
  ``int(sha256("crampwise-block:{seed}:{block}:{i}"), big-endian) mod (i + 1)``
  (``balanced_order``). The 256-bit number makes the modulo's bias far below anything measurable,
  so each of the C(2m, m) balanced orders is equally likely.

An optional run-in week comes first. It is plain diary time that gives a baseline rate; it is not a
control period. The first few nights of every period can be washout nights: the previous period's
remedy may still act on them, so they are marked here and left out of the analysis.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache


class Arm(StrEnum):
    BASELINE = "baseline"  # run-in diary nights before the first pair
    CONTROL = "control"
    TREATMENT = "treatment"


class RemedyKind(StrEnum):
    STRETCHING = "stretching"
    FLUIDS = "fluids"
    BEHAVIOUR = "behaviour"
    SUPPLEMENT = "supplement"


@dataclass(frozen=True, slots=True)
class KindDefaults:
    period_nights: int
    washout_nights: int
    pairs: int


# Stretching, fluids and habits act within a night or two, so one-week periods with a single
# washout night suffice. A supplement such as magnesium builds up and wears off over days, so its
# periods are two weeks and the first week of each is washout (research notes, "carryover").
# Both defaults give a 16-week trial, about what a halving at ~7 cramps a week needs.
KIND_DEFAULTS: dict[RemedyKind, KindDefaults] = {
    RemedyKind.STRETCHING: KindDefaults(period_nights=7, washout_nights=1, pairs=8),
    RemedyKind.FLUIDS: KindDefaults(period_nights=7, washout_nights=1, pairs=8),
    RemedyKind.BEHAVIOUR: KindDefaults(period_nights=7, washout_nights=1, pairs=8),
    RemedyKind.SUPPLEMENT: KindDefaults(period_nights=14, washout_nights=7, pairs=4),
}

DEFAULT_RUN_IN_NIGHTS = 7
SEED_LIMIT = 2**63
BLOCK_SIZES = (2, 4, 6)  # periods per randomization block: a pair, or two or three of each arm


@dataclass(frozen=True, slots=True)
class TrialDesign:
    """Everything needed to rebuild a schedule, night by night."""

    start: date  # the first night of the trial (of the run-in, if there is one)
    seed: int
    pairs: int
    period_nights: int = 7
    washout_nights: int = 0
    run_in_nights: int = 0
    block_periods: int = 2  # periods per randomization block: 2 (pairs), 4 or 6

    def __post_init__(self) -> None:
        if self.pairs < 1:
            raise ValueError("a trial needs at least one pair of periods")
        if self.block_periods not in BLOCK_SIZES:
            raise ValueError("a block holds 2, 4 or 6 periods")
        if self.periods % self.block_periods:
            raise ValueError(
                f"{self.periods} periods ({self.pairs} pairs) do not fill whole blocks of "
                f"{self.block_periods} periods: choose a number of pairs that is a multiple of "
                f"{self.pairs_per_block}"
            )
        if self.period_nights < 1:
            raise ValueError("a period needs at least one night")
        if not 0 <= self.washout_nights < self.period_nights:
            raise ValueError("washout must leave at least one night of each period to analyse")
        if self.run_in_nights < 0:
            raise ValueError("the run-in cannot be negative")
        if not 0 <= self.seed < SEED_LIMIT:
            raise ValueError("the seed must be a whole number from 0 to 2**63 - 1")

    @property
    def periods(self) -> int:
        return 2 * self.pairs

    @property
    def blocks(self) -> int:
        return self.periods // self.block_periods

    @property
    def pairs_per_block(self) -> int:
        """Remedy periods (and control periods) in each block."""
        return self.block_periods // 2

    @property
    def is_pairs(self) -> bool:
        return self.block_periods == 2

    @property
    def total_nights(self) -> int:
        return self.run_in_nights + self.periods * self.period_nights

    @property
    def end(self) -> date:
        """The last night of the trial."""
        return self.start + timedelta(days=self.total_nights - 1)

    @property
    def weeks(self) -> float:
        return self.total_nights / 7


@dataclass(frozen=True, slots=True)
class ScheduledNight:
    night: date
    arm: Arm
    period: int | None  # 0-based over the whole trial; None in the run-in
    # The randomization block (a pair, in a design of pairs), 0-based; None in the run-in.
    block: int | None
    washout: bool
    night_in_period: int | None  # 0-based; None in the run-in


def new_seed() -> int:
    """A fresh seed for a new trial; record it with the design."""
    return secrets.randbelow(SEED_LIMIT)


def design_for(
    kind: RemedyKind | str,
    start: date,
    *,
    seed: int | None = None,
    pairs: int | None = None,
    run_in: bool = True,
) -> TrialDesign:
    """A design with the defaults for this kind of remedy."""
    defaults = KIND_DEFAULTS[RemedyKind(kind)]
    return TrialDesign(
        start=start,
        seed=new_seed() if seed is None else seed,
        pairs=defaults.pairs if pairs is None else pairs,
        period_nights=defaults.period_nights,
        washout_nights=defaults.washout_nights,
        run_in_nights=DEFAULT_RUN_IN_NIGHTS if run_in else 0,
    )


def treatment_first(seed: int, pair: int) -> bool:
    """Whether the remedy period comes first in this pair: one fair coin per pair from the seed."""
    digest = hashlib.sha256(f"crampwise-trial:{seed}:{pair}".encode()).digest()
    return bool(digest[0] & 1)


def pair_order(design: TrialDesign, pair: int) -> tuple[Arm, Arm]:
    if treatment_first(design.seed, pair):
        return (Arm.TREATMENT, Arm.CONTROL)
    return (Arm.CONTROL, Arm.TREATMENT)


def _draw_below(seed: int, block: int, position: int) -> int:
    """A whole number from 0 to ``position``, from the seed: one Fisher-Yates step."""
    digest = hashlib.sha256(f"crampwise-block:{seed}:{block}:{position}".encode()).digest()
    return int.from_bytes(digest, "big") % (position + 1)


@lru_cache(maxsize=4096)
def balanced_order(seed: int, block: int, size: int) -> tuple[Arm, ...]:
    """A block of ``size`` periods, half remedy and half control, in an order drawn from the seed.

    A block's order is rebuilt for every night of it, hence the cache; it is a pure function.
    """
    half = size // 2
    arms = [Arm.TREATMENT] * half + [Arm.CONTROL] * half
    for position in range(size - 1, 0, -1):
        other = _draw_below(seed, block, position)
        arms[position], arms[other] = arms[other], arms[position]
    return tuple(arms)


def block_order(design: TrialDesign, block: int) -> tuple[Arm, ...]:
    """The arms of a block's periods in order; a pair keeps its own coin, so old trials rebuild."""
    if design.is_pairs:
        return pair_order(design, block)
    return balanced_order(design.seed, block, design.block_periods)


def period_arm(design: TrialDesign, period: int) -> Arm:
    block, position = divmod(period, design.block_periods)
    return block_order(design, block)[position]


def assignment_for(design: TrialDesign, night: date) -> ScheduledNight | None:
    """Tonight's assignment, or None when the night is outside the trial."""
    offset = (night - design.start).days
    if offset < 0 or offset >= design.total_nights:
        return None
    if offset < design.run_in_nights:
        return ScheduledNight(night, Arm.BASELINE, None, None, False, None)
    in_periods = offset - design.run_in_nights
    period, night_in_period = divmod(in_periods, design.period_nights)
    return ScheduledNight(
        night=night,
        arm=period_arm(design, period),
        period=period,
        block=period // design.block_periods,
        washout=night_in_period < design.washout_nights,
        night_in_period=night_in_period,
    )


def build_schedule(design: TrialDesign) -> tuple[ScheduledNight, ...]:
    """Every night of the trial in order, run-in first: ``assignment_for`` of each night, with
    each period's arm drawn once rather than once a night (a series page builds many schedules)."""
    nights = [
        ScheduledNight(design.start + timedelta(days=offset), Arm.BASELINE, None, None, False, None)
        for offset in range(design.run_in_nights)
    ]
    first = design.start + timedelta(days=design.run_in_nights)
    for period in range(design.periods):
        arm, block = period_arm(design, period), period // design.block_periods
        for night_in_period in range(design.period_nights):
            offset = period * design.period_nights + night_in_period
            nights.append(ScheduledNight(
                night=first + timedelta(days=offset), arm=arm, period=period, block=block,
                washout=night_in_period < design.washout_nights, night_in_period=night_in_period,
            ))  # fmt: skip
    return tuple(nights)


@dataclass(frozen=True, slots=True)
class PeriodPlan:
    period: int
    block: int
    arm: Arm
    first_night: date
    last_night: date
    washout_nights: int


def period_plans(design: TrialDesign) -> tuple[PeriodPlan, ...]:
    """The periods with their dates: the period-by-period diagram CENT asks for."""
    plans = []
    for period in range(design.periods):
        first = design.start + timedelta(days=design.run_in_nights + period * design.period_nights)
        plans.append(
            PeriodPlan(
                period=period,
                block=period // design.block_periods,
                arm=period_arm(design, period),
                first_night=first,
                last_night=first + timedelta(days=design.period_nights - 1),
                washout_nights=design.washout_nights,
            )
        )
    return tuple(plans)


def block_end(design: TrialDesign, block: int) -> date:
    """The last night of a block (a pair, in a design of pairs): the arms are balanced there, so
    an interim look may happen the morning after it."""
    nights = design.run_in_nights + (block + 1) * design.block_periods * design.period_nights
    return design.start + timedelta(days=nights - 1)


def blocks_complete(design: TrialDesign, today_night: date) -> int:
    """How many blocks (pairs, in a design of pairs) have ended by this night (inclusive)."""
    done = 0
    for block in range(design.blocks):
        if block_end(design, block) <= today_night:
            done = block + 1
    return done
