"""The diary as arrays: one row per recorded night, in date order.

Every analysis starts from this table so that one rule decides which nights count: a night is in
the table only when its count rests on a morning answer (``counts_towards_rates``) and is not after
``today``. Missing nights are simply absent; they are never filled with zeros. Nights known only from
cramps logged during them are kept aside as ``unconfirmed``: skipped mornings after cramp-free
nights leave no trace, so counting only the nights with cramps would bias every rate upwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from crampwise.diary.core.records import NightRecord


@dataclass(frozen=True)
class NightTable:
    """Recorded nights as parallel arrays; ``day`` counts days from ``first``."""

    first: date | None
    nights: tuple[NightRecord, ...]
    day: np.ndarray  # int, days since ``first``
    cramps: np.ndarray  # float, >= 0
    # Nights with cramps logged but no morning answer (not after today), and their logged cramps.
    unconfirmed: tuple[NightRecord, ...] = ()

    @classmethod
    def from_records(cls, records: Iterable[NightRecord], today: date) -> NightTable:
        # A later record for the same night replaces an earlier one, so a re-sent night cannot
        # count twice.
        by_night: dict[date, NightRecord] = {}
        for record in records:
            if record.cramps is not None and record.night <= today:
                by_night[record.night] = record
        ordered = tuple(by_night[n] for n in sorted(by_night) if by_night[n].confirmed)
        unconfirmed = tuple(by_night[n] for n in sorted(by_night) if not by_night[n].confirmed)
        if not ordered:
            return cls(None, (), np.zeros(0, dtype=np.int64), np.zeros(0), unconfirmed)
        first = ordered[0].night
        day = np.fromiter(
            ((r.night - first).days for r in ordered), dtype=np.int64, count=len(ordered)
        )
        cramps = np.fromiter((r.cramps for r in ordered), dtype=float, count=len(ordered))
        if np.any(cramps < 0):
            raise ValueError("a night cannot have fewer than 0 cramps")
        return cls(first, ordered, day, cramps, unconfirmed)

    @property
    def size(self) -> int:
        return len(self.nights)

    @property
    def last(self) -> date | None:
        return self.nights[-1].night if self.nights else None

    @property
    def span_days(self) -> int:
        """Calendar nights from the first to the last recorded night, both included."""
        return int(self.day[-1]) + 1 if self.size else 0

    def factor_values(self, name: str) -> np.ndarray:
        """The factor's value on each recorded night; NaN where it was not recorded."""
        return self.factor_matrix((name,))[:, 0]

    def factor_matrix(self, names: Sequence[str]) -> np.ndarray:
        """Nights x factors, in one pass over the nights; NaN where a value was not recorded."""
        nan = float("nan")
        rows = [
            [nan if (v := r.factors.get(name)) is None else v for name in names]
            for r in self.nights
        ]
        return np.array(rows, dtype=float).reshape(self.size, len(names))

    def window(self, first: date, last: date) -> np.ndarray:
        """Boolean mask of recorded nights from ``first`` to ``last`` (both included)."""
        if not self.size or self.first is None:
            return np.zeros(0, dtype=bool)
        lo = (first - self.first).days
        hi = (last - self.first).days
        return (self.day >= lo) & (self.day <= hi)

    def dates(self, mask: np.ndarray | None = None) -> Sequence[date]:
        if self.first is None:
            return []
        days = self.day if mask is None else self.day[mask]
        return [self.first + timedelta(days=int(d)) for d in days]
