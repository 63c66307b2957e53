"""Cramps before and after a medicine was started or stopped.

Some medicines can bring on cramps, so a rise after a start is worth showing to the doctor. Each
start and stop gets the 28 nights before it and the 28 nights from it on, each with the nights it
rests on. A rise is flagged only when it is more than noise (95% interval above 1). This is a
safety signal, so it is not corrected for the number of medicines: a missed rise costs more than a
false alarm the doctor can dismiss.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from crampwise.core.i18n import gettext as _
from crampwise.diary.core.records import MedicineRecord
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.rates import RateComparison, compare, window_summary
from crampwise.insights.core.rounding import ratio_or_none

WINDOW_NIGHTS = 28
MIN_WINDOW_NIGHTS = 14
CHANGE_LEVEL = 0.05


def medicines_section(
    table: NightTable, medicines: Sequence[MedicineRecord], today: date
) -> list[dict[str, Any]]:
    out = []
    for med in medicines:
        events = []
        if med.started is not None and med.started <= today:
            events.append(_event(table, "started", med.started, med.name, today))
        if med.stopped is not None and med.stopped <= today:
            events.append(_event(table, "stopped", med.stopped, med.name, today))
        if not events:
            continue
        out.append(
            {
                "name": med.name,
                "dose": med.dose,
                "purpose": med.purpose,
                "started": med.started.isoformat() if med.started else None,
                "stopped": med.stopped.isoformat() if med.stopped else None,
                "events": events,
                "rise_after_start": any(
                    e["event"] == "started" and e["change"] == "rise" for e in events
                ),
            }
        )
    return out


def _shift(day: date, days: int) -> date:
    """``day`` moved by ``days``, held inside the calendar: a stored date in year 1 or 9999 (older
    diaries could hold one) must not turn the person's insights, report and share link into errors."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


def _event(table: NightTable, kind: str, when: date, name: str, today: date) -> dict[str, Any]:
    before_first = _shift(when, -WINDOW_NIGHTS)
    before_last = _shift(when, -1)
    after_last = min(today, _shift(when, WINDOW_NIGHTS - 1))
    before = table.cramps[table.window(before_first, before_last)]
    after = table.cramps[table.window(when, after_last)]
    result = compare(before, after)
    change = _change(result)
    return {
        "event": kind,
        "date": when.isoformat(),
        "before": window_summary(before_first, before_last, result.before),
        "after": window_summary(when, after_last, result.after),
        "rate_ratio": ratio_or_none(result.ratio),
        "ci95": [ratio_or_none(c) for c in result.ci95] if result.ci95 else None,
        "p_value": ratio_or_none(result.p_value, 3),
        "change": change,
        "message": _message(kind, change, name, result),
    }


def _change(result: RateComparison) -> str:
    if min(result.before.nights, result.after.nights) < MIN_WINDOW_NIGHTS or result.p_value is None:
        return "not_enough_data"
    if result.p_value >= CHANGE_LEVEL or result.ratio is None:
        return "no_clear_change"
    return "rise" if result.ratio > 1 else "fall"


def _message(kind: str, change: str, name: str, result: RateComparison) -> str:
    if change == "not_enough_data":
        need = {"name": name, "min": MIN_WINDOW_NIGHTS}
        if kind == "started":
            return (
                _(
                    "Not enough nights around the day you started %(name)s to compare. "
                    "We need %(min)d recorded nights before and %(min)d after."
                )
                % need
            )
        return (
            _(
                "Not enough nights around the day you stopped %(name)s to compare. "
                "We need %(min)d recorded nights before and %(min)d after."
            )
            % need
        )
    numbers = {
        "name": name,
        "after": f"{result.after.per_week:.1f}",
        "before": f"{result.before.per_week:.1f}",
        "n_after": result.after.nights,
        "n_before": result.before.nights,
    }
    # Every change gets the same caution whichever way it goes: a fall after a start is no more
    # proof that the medicine helps than a rise is proof that it harms.
    text = _headline(kind, change) % numbers + " " + _nights_sentence(numbers)
    if change == "no_clear_change":
        return text + " " + _("A difference this small could be chance.")
    text += " " + _("This may be chance or another cause.")
    if change == "rise" and kind == "started":
        return text + " " + _("Show this to your doctor. Do not stop a medicine on your own.")
    return text + " " + _("Talk to your doctor before you change a medicine.")


def _headline(kind: str, change: str) -> str:
    started = kind == "started"
    if change == "rise":
        return (
            _("Cramps went up after you started %(name)s: %(after)s vs %(before)s a week.")
            if started
            else _("Cramps went up after you stopped %(name)s: %(after)s vs %(before)s a week.")
        )
    if change == "fall":
        return (
            _("Cramps went down after you started %(name)s: %(after)s vs %(before)s a week.")
            if started
            else _("Cramps went down after you stopped %(name)s: %(after)s vs %(before)s a week.")
        )
    return (
        _("No clear change after you started %(name)s: %(after)s vs %(before)s a week.")
        if started
        else _("No clear change after you stopped %(name)s: %(after)s vs %(before)s a week.")
    )


def _nights_sentence(numbers: dict[str, Any]) -> str:
    return _("That is over %(n_after)d recorded nights after and %(n_before)d before.") % numbers
