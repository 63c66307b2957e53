"""The new-trial wizard's numbers in words: the diary's cramp rate before the trial and how long to run it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crampwise.diary.services import load_nights
from crampwise.trials.core import power
from crampwise.trials.core.design import KIND_DEFAULTS
from crampwise.trials.core.rules import power_kind
from crampwise.trials.services.catalogue import BASELINE_WEEKS, MIN_BASELINE_NIGHTS, TABLE_RATES

# ---- the wizard: baseline and length ----------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The diary's cramp rate over the weeks before a trial."""

    first: date
    last: date
    nights: int  # recorded nights in the window
    cramps: int

    @property
    def enough(self) -> bool:
        return self.nights >= MIN_BASELINE_NIGHTS

    @property
    def per_week(self) -> float | None:
        return 7 * self.cramps / self.nights if self.nights else None


def diary_baseline(user, before: date) -> Baseline:
    """Cramps a week over the confirmed nights of the eight weeks before ``before``."""
    first = before - timedelta(weeks=BASELINE_WEEKS)
    last = before - timedelta(days=1)
    nights = load_nights(user, start=first, end=last)
    counts = [r.cramps for r in nights if r.cramps is not None and r.counts_towards_rates]
    return Baseline(first, last, len(counts), sum(counts))


def baseline_sentence(baseline: Baseline) -> str:
    if not baseline.enough:
        return ngettext(
            "You recorded %(nights)s night in the last 8 weeks. That is too few to know how often "
            "you get cramps. So the trial starts with a run-in week. Keep your diary as usual, and "
            "it will measure that.",
            "You recorded %(nights)s nights in the last 8 weeks. That is too few to know how often "
            "you get cramps. So the trial starts with a run-in week. Keep your diary as usual, and "
            "it will measure that.",
            baseline.nights,
        ) % {"nights": baseline.nights}
    return _(
        "In the last 8 weeks you recorded %(nights)s nights, with %(cramps)s cramps: about "
        "%(rate)s a week."
    ) % {
        "nights": baseline.nights,
        "cramps": baseline.cramps,
        "rate": _rate(baseline.per_week or 0),
    }


def _rate(per_week: float) -> str:
    return f"{round(per_week):d}" if per_week >= 2 else f"{round(per_week, 1):g}"


def length_sentences(per_week: float | None, hoped_ratio: float, kind: str, noun: str) -> list[str]:
    """How long the trial needs, honestly (``power.recommend_weeks``), for this rate and hope."""
    pk = power_kind(kind)
    if per_week is None:
        return [
            _("Until the run-in has measured your cramps, here is a guide:"),
            *(
                power.recommend_weeks(rate, hoped_ratio, kind=pk, remedy=noun).sentence
                for rate in (3, 7)
            ),
        ]
    if per_week == 0:
        return [
            _(
                "You had no cramps on the nights you recorded. A trial can only show a cut in cramps "
                "you still get."
            )
        ]
    low, high = TABLE_RATES
    if per_week < low:
        advice = power.recommend_weeks(low, hoped_ratio, kind=pk, remedy=noun)
        if advice.weeks is None:
            return [
                _(
                    "With fewer than 1 cramp a week, even a year is unlikely to give a clear answer. "
                    "A trial only makes sense if you get cramps more often."
                )
            ]
        return [
            _(
                "With fewer than 1 cramp a week, it takes more than %(weeks)s weeks to have a 4 in 5 "
                "chance of a clear answer."
            )
            % {"weeks": f"{advice.weeks:g}"}
        ]
    if per_week > high:
        advice = power.recommend_weeks(high, hoped_ratio, kind=pk, remedy=noun)
        if advice.weeks is None:
            return [
                _(
                    "Even with more than 14 cramps a week, a year may not be enough to show a cut "
                    "this small. A trial only makes sense if you expect a bigger change."
                )
            ]
        return [
            _(
                "With more than 14 cramps a week, %(weeks)s weeks or less gives a 4 in 5 chance of a "
                "clear answer."
            )
            % {"weeks": f"{advice.weeks:g}"}
        ]
    return [power.recommend_weeks(per_week, hoped_ratio, kind=pk, remedy=noun).sentence]


def recommended_pairs(
    per_week: float | None, hoped_ratio: float, kind: str, period_nights: int
) -> int:
    """The pairs the wizard suggests: the recommended length in this period length, else the default."""
    pk = power_kind(kind)
    fallback = KIND_DEFAULTS[pk].pairs * KIND_DEFAULTS[pk].period_nights // period_nights
    if per_week is None or per_week <= 0:
        return max(2, fallback)
    rate = min(max(per_week, TABLE_RATES[0]), TABLE_RATES[1])
    advice = power.recommend_weeks(rate, hoped_ratio, kind=pk)
    if advice.weeks is None:
        return max(2, fallback)
    return max(2, math.ceil(advice.weeks * 7 / (2 * period_nights)))


def chosen_length_sentence(
    per_week: float | None, hoped_ratio: float, period_nights: int, washout_nights: int, pairs: int
) -> str | None:
    """The chance of a clear answer with the length the person chose, when the table knows it."""
    weeks = 2 * pairs * period_nights / 7
    if per_week is None or not TABLE_RATES[0] <= per_week <= TABLE_RATES[1]:
        return None
    chances = power.table_chances(period_nights, washout_nights, per_week, hoped_ratio)
    if not chances or len(chances) < pairs:
        return None
    return _(
        "With the length you chose, %(weeks)s weeks, the chance of a clear answer is about %(chance)s."
    ) % {"weeks": f"{weeks:g}", "chance": power.chance_words(chances[pairs - 1])}
