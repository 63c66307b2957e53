"""The pharmacy's dispensing list: which pack letter fills each numbered pack of a patient. Pure.

A patient takes one capsule a night from "pack 1", "pack 2", ... (one pack a period, washout
nights included: the washout is in the period). The pharmacy fills each of those from its stock of
pack A or pack B according to the patient's own schedule and the series' key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from crampwise.series.core.packs import pack_for
from crampwise.trials.core.design import PeriodPlan


@dataclass(frozen=True, slots=True)
class DispensedPack:
    number: int  # what the patient's trial page calls it: "take a capsule from pack 3"
    first_night: date
    last_night: date
    letter: str

    @property
    def nights(self) -> int:
        return (self.last_night - self.first_night).days + 1


def dispensing(
    plans: Iterable[PeriodPlan], key_seed: int, last_night: date | None = None
) -> tuple[DispensedPack, ...]:
    """The packs of one patient's periods; none for periods after ``last_night`` (a trial that
    was stopped early needs no more capsules)."""
    packs = []
    for plan in plans:
        letter = pack_for(plan.arm, key_seed)
        if letter is None or (last_night is not None and plan.first_night > last_night):
            continue
        end = plan.last_night if last_night is None else min(plan.last_night, last_night)
        packs.append(DispensedPack(plan.period + 1, plan.first_night, end, letter))
    return tuple(packs)
