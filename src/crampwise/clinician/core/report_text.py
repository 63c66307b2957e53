"""Words and number formats of the doctor's report. Pure; no Django.

Dates are written with the month as a word ("3 Nov 2026"), never as 03/11, which a reader in the
US and one in the UK would read as two different days.
"""

from __future__ import annotations

from datetime import date, timedelta

from crampwise.core.i18n import gettext as _

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: date) -> str:
    return f"{d.day} {_(MONTHS[d.month - 1])} {d.year}"


def night_span(night: date) -> str:
    """The night of 30 Nov as "30 Nov – 1 Dec 2026": both dates, as the diary shows them."""
    morning = night + timedelta(days=1)
    if night.year != morning.year:
        return f"{day(night)} – {day(morning)}"
    if night.month != morning.month:
        return f"{night.day} {_(MONTHS[night.month - 1])} – {day(morning)}"
    return f"{night.day}–{day(morning)}"


def number(x: float | None) -> str:
    """One decimal below 10, none above; "–" for nothing."""
    if x is None:
        return "–"
    if abs(x) >= 10:
        return f"{x:.0f}"
    if float(x).is_integer():
        return f"{x:.0f}"
    return f"{x:.1f}" if abs(x) >= 1 else f"{x:.2f}"


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 90:
        return _("%(n)d s") % {"n": round(seconds)}
    return _("%(n)s min") % {"n": number(round(seconds / 60, 1))}


def not_available(what: str) -> str:
    return _("%(what)s: not available yet.") % {"what": what}


def muscle_label(muscle: str | None) -> str:
    return {
        "calf": _("calf"),
        "foot": _("foot"),
        "thigh": _("front of thigh"),
        "hamstring": _("back of thigh"),
        "toes": _("toes"),
    }.get(muscle or "", _("muscle not given"))


def side_label(side: str | None) -> str:
    return {"left": _("left"), "right": _("right"), "both": _("both legs")}.get(side or "", "")


def site_label(side: str | None, muscle: str | None, short: bool = False) -> str:
    if short:
        side_short = {"left": _("L"), "right": _("R"), "both": _("both")}.get(side or "", "")
        return f"{side_short} {muscle_label(muscle) if muscle else '?'}".strip()
    text = muscle_label(muscle)
    text = f"{text} ({side_label(side) or _('side not given')})"
    return text[:1].upper() + text[1:]


def relief_label(relief: str) -> str:
    return {
        "stretch": _("Stretching"),
        "stand_walk": _("Standing or walking"),
        "massage": _("Massage"),
        "heat": _("Heat"),
        "cold": _("Cold"),
        "other": _("Something else"),
    }.get(relief, relief)


def purpose_label(purpose: str) -> str:
    return {
        "cramps_preventive": _("for cramps, every day"),
        "cramps_at_time": _("for cramps, when one comes"),
        "other": _("for something else"),
    }.get(purpose, purpose)


def severity_label(severity: str) -> str:
    return {
        "emergency": _("Emergency"),
        "urgent": _("Urgent"),
        "routine": _("To discuss"),
        "info": _("Note"),
    }.get(severity, severity)
