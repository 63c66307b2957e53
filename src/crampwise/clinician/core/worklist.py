"""The clinician's worklist: each patient's key figures, and why a patient needs attention. Pure.

The figures come from the functions behind the patient's own Insights page (``overall_summary``
and ``recent_change`` on the same ``NightTable``), so a clinician and a patient never read two
different numbers for the same nights. They are computed when the patient's data change and
stored; the list only reads them.

Attention has five reasons, most urgent first (docs/clinician.md says why):

1. a red flag in the latest symptom check: it may be a clot, poor circulation or another cause
   that needs a doctor soon, whatever the diary says;
2. cramps rising: the last 4 weeks against the 4 weeks that ended 2 months ago, only when the
   change is more than night-to-night noise (the Insights page's own verdict);
3. a medicine started in the last 4 weeks: many medicines can bring cramps on, and the weeks after
   a start are when a change shows;
4. a personal trial ready to read: a planned look says the answer is clear, or the trial ended
   in the last 4 weeks, so there is a result to talk about;
5. no check-in for a week: the figures are getting old, and the patient may need a nudge.

Reasons 3 to 5 depend on today, so they are worked out when the list is read, from stored dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from crampwise.clinician.core.report_findings import URGENT
from crampwise.clinician.core.report_text import day
from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.diary.core.records import NightRecord
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.summary import overall_summary
from crampwise.insights.core.trend import recent_change

NO_CHECKIN_NIGHTS = 7  # "no check-in for a week": the last 7 nights that are over have no answer
RECENT_MEDICINE_DAYS = 28
TRIAL_READY_DAYS = 28
PAGE_SIZE = 50

# Weights of the need score. A red flag outweighs every other reason put together; the others add
# up, so a patient with two reasons comes before a patient with one.
WEIGHTS = {
    "red_flag": 100,
    "rising": 30,
    "new_medicine": 20,
    "trial_ready": 15,
    "no_checkin": 10,
}
REASONS = tuple(WEIGHTS)

# The Insights page's verdicts, most worrying first when sorted by trend.
TREND_RANK = {"more": 3, "no_clear_change": 2, "fewer": 1, "not_enough_data": 0}


@dataclass(frozen=True)
class Figures:
    """What is stored for one patient: the figures, and the facts the reasons are read from."""

    as_of: date  # the last night counted (the patient's last night when computed)
    rate_per_week: float | None  # cramps a week over the last 4 weeks
    rate_nights: int  # the recorded nights that rate rests on
    trend: str  # a key of TREND_RANK
    last_checkin: date | None  # the latest night with a morning answer
    red_flags: int  # urgent or emergency flags in the latest symptom check
    latest_medicine_start: date | None
    latest_medicine_name: str
    trial_look_pending: bool  # a running trial's planned look says the answer is clear
    trial_end: date | None  # the last night of the newest trial (planned, or when it stopped)


@dataclass(frozen=True)
class Medicine:
    name: str
    started: date | None


def figures(
    nights: Iterable[NightRecord],
    today: date,
    *,
    medicines: Sequence[Medicine] = (),
    assessment_flags: Sequence[Mapping[str, Any]] = (),
    trial_look_pending: bool = False,
    trial_end: date | None = None,
) -> Figures:
    """The stored figures of one patient as of ``today`` (their last night that is over)."""
    table = NightTable.from_records(nights, today)
    # Episodes only feed the summary's cramp lengths, which the worklist does not show.
    summary = overall_summary(table, (), today)
    change = recent_change(table, today)
    started = [m for m in medicines if m.started is not None and m.started <= today]
    newest = max(started, key=lambda m: (m.started, m.name), default=None)
    return Figures(
        as_of=today,
        rate_per_week=summary["cramps_per_week_last_4_weeks"],
        rate_nights=summary["nights_recorded_last_4_weeks"],
        trend=change["verdict"],
        last_checkin=table.last,
        red_flags=urgent_flags(assessment_flags),
        latest_medicine_start=newest.started if newest else None,
        latest_medicine_name=newest.name if newest else "",
        trial_look_pending=trial_look_pending,
        trial_end=trial_end,
    )


def urgent_flags(flags: Sequence[Mapping[str, Any]]) -> int:
    """The flags the report counts as urgent (the same severities as its red-flag line)."""
    return sum(1 for flag in flags if flag.get("severity") in URGENT)


@dataclass(frozen=True)
class Cutoffs:
    """The dates that turn stored facts into today's reasons.

    They count from the reader's last night that is over, by the diary's own rule (before the
    wake time, last night is still going on), so at 3 a.m. nobody is a night late yet.
    """

    last_night: date

    @property
    def today(self) -> date:
        return self.last_night + timedelta(days=1)

    @property
    def checkin_before(self) -> date:
        """A last check-in before this night means the last 7 nights that are over have none."""
        return self.last_night - timedelta(days=NO_CHECKIN_NIGHTS - 1)

    @property
    def medicine_since(self) -> date:
        return self.today - timedelta(days=RECENT_MEDICINE_DAYS)

    @property
    def trial_since(self) -> date:
        return self.today - timedelta(days=TRIAL_READY_DAYS)


def active_reasons(
    *,
    red_flags: int,
    trend: str,
    latest_medicine_start: date | None,
    trial_look_pending: bool,
    trial_end: date | None,
    last_checkin: date | None,
    cutoffs: Cutoffs,
) -> list[str]:
    """The keys of WEIGHTS that apply today, in their order of urgency."""
    found = {
        "red_flag": red_flags > 0,
        "rising": trend == "more",
        "new_medicine": latest_medicine_start is not None
        and latest_medicine_start >= cutoffs.medicine_since,
        "trial_ready": trial_look_pending
        or (trial_end is not None and cutoffs.trial_since <= trial_end <= cutoffs.last_night),
        "no_checkin": last_checkin is None or last_checkin < cutoffs.checkin_before,
    }
    return [key for key in REASONS if found[key]]


def need_score(reasons: Iterable[str]) -> int:
    return sum(WEIGHTS[key] for key in reasons)


def reason_text(key: str, fig: Mapping[str, Any], cutoffs: Cutoffs) -> str:
    """One reason in words, for the list (``fig`` holds the stored fields by name)."""
    if key == "red_flag":
        return ngettext(
            "%(n)d red flag in the latest symptom check",
            "%(n)d red flags in the latest symptom check",
            fig["red_flags"],
        ) % {"n": fig["red_flags"]}
    if key == "rising":
        return _("Cramps rising: more than 2 months ago")
    if key == "new_medicine":
        return _("Started %(name)s on %(day)s") % {
            "name": fig["latest_medicine_name"],
            "day": day(fig["latest_medicine_start"]),
        }
    if key == "trial_ready":
        if fig["trial_look_pending"]:
            return _("Personal trial: the answer looks clear, ready to read")
        return _("Personal trial ended on %(day)s, ready to read") % {"day": day(fig["trial_end"])}
    if key == "no_checkin":
        last = fig["last_checkin"]
        if last is None:
            return _("No check-in yet")
        nights = (cutoffs.last_night - last).days
        return ngettext("No check-in for %(n)d night", "No check-in for %(n)d nights", nights) % {
            "n": nights
        }
    raise ValueError(f"unknown reason {key!r}")


def trend_words(verdict: str) -> tuple[str, str]:
    """(arrow, words) for the trend column; the arrow is decoration, the words carry the meaning."""
    return {
        "more": ("↑", _("Rising")),
        "fewer": ("↓", _("Falling")),
        "no_clear_change": ("→", _("No clear change")),
    }.get(verdict, ("·", _("Not enough nights")))
