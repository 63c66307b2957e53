"""The report's medicines: current and recent, their link with cramps, and cramps around a start.

Pure; no Django. A medicine is shown when it was taken during the period or stopped in the 6 months
before its end; one started after the period is left out. The link with cramps comes from the
guidance feature's matcher (``medicine_links``); the before/after comparison from the insights
feature (``found_changes``), only for starts after the diary began, since before that there is
nothing to compare with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from crampwise.clinician.core.report_text import day, not_available, number, purpose_label
from crampwise.core.i18n import gettext as _
from crampwise.diary.core.records import MedicineRecord

# A medicine stopped this long before the end of the range still matters to the doctor.
RECENT_STOP_DAYS = 183


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def medicines_section(
    medicines: Sequence[MedicineRecord],
    start: date,
    end: date,
    found_changes: Sequence[Mapping[str, Any]] | None,
    links: Mapping[str, Mapping[str, Any]] | None,
    first_night: date | None,
) -> dict[str, Any]:
    changes = {(m["name"], m.get("started"), m.get("stopped")): m for m in found_changes or ()}
    rows: list[dict[str, Any]] = []
    for med in medicines:
        if med.started is not None and med.started > end:
            continue  # started after the period: not part of this report
        if med.stopped is not None and med.stopped < end - timedelta(days=RECENT_STOP_DAYS):
            continue  # stopped long ago
        current = med.stopped is None or med.stopped >= end
        link = links.get(med.name) if links is not None else None
        change = changes.get((med.name, _iso(med.started), _iso(med.stopped)))
        started_event = next(
            (e for e in (change or {}).get("events", []) if e["event"] == "started"), None
        )
        if med.started is None or first_night is None or med.started <= first_night:
            started_event = None  # no diary before the start: nothing to compare with
        rows.append(
            {
                "name": med.name,
                "dose": med.dose,
                "purpose": med.purpose,
                "purpose_label": purpose_label(med.purpose),
                "started": _iso(med.started),
                "stopped": _iso(med.stopped),
                "dates": _medicine_dates(med),
                "current": current,
                "linked": bool(link and link.get("linked")),
                "link": _link_text(link) if link and link.get("linked") else "",
                "started_in_range": bool(med.started and start <= med.started <= end),
                "change": started_event.get("change") if started_event else None,
                "change_line": _change_line(started_event) if started_event else "",
            }
        )
    rows.sort(key=lambda m: (not m["current"], not m["linked"], m["name"].lower()))
    return {
        "matcher_available": links is not None,
        "matcher_note": ""
        if links is not None
        else not_available(_("The check of medicines linked with cramps")),
        "changes_available": found_changes is not None,
        "current": [m for m in rows if m["current"]],
        "recent": [m for m in rows if not m["current"]],
        "all": rows,
        "linked": [m["name"] for m in rows if m["linked"]],
    }


def _medicine_dates(med: MedicineRecord) -> str:
    if med.started and med.stopped:
        return _("%(from)s to %(to)s") % {"from": day(med.started), "to": day(med.stopped)}
    if med.started:
        return _("since %(day)s") % {"day": day(med.started)}
    if med.stopped:
        return _("stopped %(day)s") % {"day": day(med.stopped)}
    return _("start date not given")


def _link_text(link: Mapping[str, Any]) -> str:
    strength = {
        "strong": _("strong evidence"),
        "moderate": _("moderate evidence"),
        "weak": _("weak evidence"),
        "reported": _("case reports"),
        "label": _("listed on its product leaflet"),
        "same_type": _("same type as linked medicines; not itself studied"),
    }.get(link.get("strength", ""), _("listed"))
    text = _("%(class)s: linked with cramps (%(strength)s)") % {
        "class": link.get("class_name", ""),
        "strength": strength,
    }
    if link.get("fuzzy"):
        text += " " + _("(name read as %(generic)s; please check)") % {
            "generic": link.get("generic", "")
        }
    return text


def _change_line(event: Mapping[str, Any]) -> str:
    before, after = event["before"], event["after"]
    if event["change"] == "not_enough_data":
        return _("Too few recorded nights around the start to compare.")
    words = {
        "rise": _("more cramps after the start"),
        "fall": _("fewer cramps after the start"),
        "no_clear_change": _("no clear change after the start"),
    }[event["change"]]
    return _(
        "4 weeks before: %(before)s a week (%(nb)d nights); after: %(after)s a week (%(na)d nights): %(words)s."
    ) % {
        "before": number(before["cramps_per_week"]),
        "nb": before["nights"],
        "after": number(after["cramps_per_week"]),
        "na": after["nights"],
        "words": words,
    }
