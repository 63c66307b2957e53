"""Plain records of a diary, shared by the pure core (insights, trials, reports, interop).

These are the contract between the Django shell and the pure modules: the shell loads rows from
the database into these frozen dataclasses, and the pure modules never see a model instance.
No Django imports here (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

# What a person can tick during a cramp, in the order the night log shows them.
MUSCLES = ("calf", "foot", "thigh", "hamstring", "toes")
SIDES = ("left", "right", "both")
RELIEFS = ("stretch", "stand_walk", "massage", "heat", "cold", "other")
MEDICINE_PURPOSES = ("cramps_preventive", "cramps_at_time", "other")


@dataclass(frozen=True, slots=True)
class NightRecord:
    """One night, named by the date of its evening.

    ``cramps`` is the reconciled count (see ``reconcile_cramps``); ``None`` means the night was not
    recorded, and a missing night never counts as zero.
    ``confirmed`` is False for a night known only from cramps logged during it, without the morning
    answer for the whole night: its count is a lower bound, and only nights with cramps can be known
    that way, so rates leave such nights out until they are confirmed (``counts_towards_rates``).
    ``factors`` maps a factor's CSV column name to its value for the day that ends in this night:
    yes/no factors are 1.0 or 0.0, number factors are floats, ``None`` (or an absent key) is not
    recorded.
    """

    night: date
    cramps: int | None
    worst_pain: int | None = None  # 0-10
    minutes_awake: int | None = None
    sleep_quality: int | None = None  # 1 (very poor) to 5 (very good)
    soreness: int | None = None  # 0 none, 1 mild, 2 moderate, 3 severe
    factors: Mapping[str, float | None] = field(default_factory=dict)
    medicines_taken: tuple[str, ...] = ()
    note: str = ""
    confirmed: bool = True

    @property
    def recorded(self) -> bool:
        return self.cramps is not None

    @property
    def counts_towards_rates(self) -> bool:
        """A count that rests on a morning answer (or an imported count), not only the night log."""
        return self.cramps is not None and self.confirmed


@dataclass(frozen=True, slots=True)
class EpisodeRecord:
    """One cramp logged during the night ("cramp now")."""

    night: date
    started_at: datetime  # timezone-aware
    local_hour: int  # 0-23, hour of the start in the user's own time zone
    duration_seconds: int | None = None  # None while unfinished or not known
    muscle: str | None = None
    side: str | None = None
    pain: int | None = None  # 0-10
    reliefs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MedicineRecord:
    name: str
    dose: str = ""
    started: date | None = None
    stopped: date | None = None
    purpose: str = "other"  # one of MEDICINE_PURPOSES


@dataclass(frozen=True, slots=True)
class FactorSpec:
    """A daily factor: built in, or a user's own tag."""

    name: str  # the CSV column name
    kind: str  # "yes_no" or "count"
    label: str = ""
    builtin: bool = False


def reconcile_cramps(reported: int | None, episodes_logged: int) -> int | None:
    """The one rule that joins the night log and the morning count (docs/decisions/0002).

    The morning answer is the person's count of the whole night; episodes logged at night are cramps
    that certainly happened. So the night's count is the larger of the two, and a night with neither
    stays missing. A person who logged two cramps and answers "one" in the morning most likely
    forgot one in the fog of the night; lowering it needs deleting the episode in history.
    """
    if reported is None:
        return episodes_logged if episodes_logged > 0 else None
    return max(reported, episodes_logged)


def night_status(reported: int | None, episodes_logged: int) -> str:
    """``confirmed`` (a morning answer), ``not_confirmed`` (cramps logged, no answer) or ``missing``.

    A night with cramps logged but no morning answer is shown and kept, but left out of rates: skipped
    mornings after cramp-free nights leave no trace, so counting only the logged ones would make the
    rate too high (docs/insights.md, "Nights known only from the night log").
    """
    if reported is not None:
        return "confirmed"
    return "not_confirmed" if episodes_logged > 0 else "missing"


def unconfirmed_nights(rows: Iterable[tuple[date, int | None, int]]) -> list[date]:
    """The nights, oldest first, with cramps logged during them but no morning answer yet.

    ``rows`` are ``(night, reported_cramps, episode_count)``, the columns of a stored night; the
    diary offers these nights for a morning answer so that they count towards rates.
    """
    return sorted(
        {
            night
            for night, reported, logged in rows
            if night_status(reported, logged) == "not_confirmed"
        }
    )
