"""What the doctor's report says, as one JSON-ready dict. Pure; no Django, no I/O.

Page one answers a family doctor's questions in a fixed order: how often, how bad, since when,
where, what was tried and what helped, which medicines, any red flags, personal trial results.
The further pages hold the night table. The web page, the PDF and the clinician's list all render
this one dict, so they can never disagree.

Inputs are plain records (diary/core/records.py) plus the optional results of other features:
``insights`` (``insights.summarize`` for the same range), ``medicine_links`` (the guidance
feature's medicine matcher), ``assessment`` (the latest self-check: ``{"at": ..., "flags": [...]}``)
and ``trials`` (finished personal trials). ``None`` means that feature is not available, which
the report says plainly; an empty value means the feature is there and found nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from crampwise.clinician.core import report_figures as fig
from crampwise.clinician.core.report_findings import findings_section, trials_section
from crampwise.clinician.core.report_measures import (
    add_unconfirmed,
    often_section,
    severity_section,
    since_section,
    trend_section,
    where_section,
)
from crampwise.clinician.core.report_medicines import medicines_section
from crampwise.clinician.core.report_text import (
    day,
    duration_text,
    night_span,
    not_available,
    number,
    relief_label,
    site_label,
)
from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.diary.core.records import EpisodeRecord, MedicineRecord, NightRecord

REPORT_VERSION = 1
DEFAULT_WEEKS = 12
NOTE_CHARS = 80  # notes are cut in the night table; the full text stays in the diary


def default_range(last_night: date, weeks: int = DEFAULT_WEEKS) -> tuple[date, date]:
    """The ``weeks`` weeks of nights that end with ``last_night`` (both ends included)."""
    return last_night - timedelta(days=7 * weeks - 1), last_night


def build_report(
    nights: Sequence[NightRecord],
    episodes: Sequence[EpisodeRecord],
    medicines: Sequence[MedicineRecord],
    *,
    start: date,
    end: date,
    today: date,
    patient: Mapping[str, Any] | None = None,
    insights: Mapping[str, Any] | None = None,
    medicine_links: Mapping[str, Mapping[str, Any]] | None = None,
    assessment: Mapping[str, Any] | None = None,
    trials: Sequence[Mapping[str, Any]] | None = None,
    medicine_changes: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole report. ``nights`` may reach before ``start``: they give "since when".

    ``medicine_changes`` (the insights feature's medicines section over the whole diary) compares
    the 4 weeks either side of each start, which may lie before the range; without it the
    comparison from ``insights`` (the range only) is used.
    """
    if end < start:
        raise ValueError("the range ends before it starts")
    in_range = [n for n in nights if start <= n.night <= end]
    kept = fig.recorded(in_range)
    eps = sorted((e for e in episodes if start <= e.night <= end), key=lambda e: e.started_at)
    often = often_section(kept, start, end)
    add_unconfirmed(often, in_range)
    trend = trend_section(kept, start, end, insights)
    if medicine_changes is None and insights is not None:
        medicine_changes = insights.get("medicines")
    since = since_section(nights)
    first_night = date.fromisoformat(since["first_night"]) if since["first_night"] else None
    meds = medicines_section(medicines, start, end, medicine_changes, medicine_links, first_night)
    findings = findings_section(eps, trend, meds, assessment)
    report = {
        "version": REPORT_VERSION,
        "title": _("Night leg cramps: diary report"),
        "language": "en",
        "generated_on": today.isoformat(),
        "generated_on_display": day(today),
        "patient": _patient(patient, today),
        "range": {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "from_display": day(start),
            "to_display": day(end),
            "nights": (end - start).days + 1,
        },
        "often": often,
        "trend": trend,
        "severity": severity_section(kept, eps),
        "since": since,
        "where": where_section(eps),
        "tried": _tried(eps, medicines, insights, meds),
        "medicines": meds,
        "findings": findings,
        "trials": trials_section(trials),
        "chart": _chart(trend["weeks"], start, end),
        "nights": _night_table(in_range, eps, start, end),
        "notes": _notes(),
    }
    report["key"] = _key_numbers(report)
    return report


def _patient(patient: Mapping[str, Any] | None, today: date) -> dict[str, Any]:
    patient = patient or {}
    birth_year = patient.get("birth_year")
    return {
        "name": patient.get("name") or "",
        "birth_year": birth_year,
        "age": today.year - birth_year if birth_year else None,
        "sex": patient.get("sex") or "",
    }


def _tried(
    eps: list[EpisodeRecord],
    medicines: Sequence[MedicineRecord],
    insights: Mapping[str, Any] | None,
    meds: Mapping[str, Any],
) -> dict[str, Any]:
    reliefs: list[dict[str, Any]] = []
    if insights is not None and "relief" in insights:
        for r in insights["relief"].get("reliefs", []):
            reliefs.append(
                {
                    "relief": r["relief"],
                    "label": relief_label(r["relief"]),
                    "episodes": r["episodes_with"],
                    "verdict": r.get("verdict"),
                    "line": _relief_line(r),
                }
            )
    else:
        for name in dict.fromkeys(x for e in eps for x in e.reliefs):
            used = sum(1 for e in eps if name in e.reliefs)
            reliefs.append(
                {
                    "relief": name,
                    "label": relief_label(name),
                    "episodes": used,
                    "verdict": None,
                    "line": ngettext("used for %(n)d cramp", "used for %(n)d cramps", used)
                    % {"n": used},
                }
            )
    factors: dict[str, Any]
    if insights is None or "factors" not in insights:
        factors = {"available": False, "rows": [], "sentence": not_available(_("Daily factors"))}
    else:
        linked = [f for f in insights["factors"] if f.get("verdict") in ("worse", "better")]
        unclear = [f["label"] for f in insights["factors"] if f.get("verdict") == "no_clear_link"]
        factors = {
            "available": True,
            "rows": [
                {"label": f["label"], "verdict": f["verdict"], "line": _factor_line(f)}
                for f in linked
            ],
            "no_clear_link": unclear,
            "sentence": (_("No clear link with: %(names)s.") % {"names": ", ".join(unclear)})
            if unclear
            else "",
        }
    for_cramps = [m for m in meds["all"] if m["purpose"] in ("cramps_preventive", "cramps_at_time")]
    return {"reliefs": reliefs, "factors": factors, "cramp_medicines": for_cramps}


def _relief_line(r: Mapping[str, Any]) -> str:
    line = ngettext("used for %(n)d cramp", "used for %(n)d cramps", r["episodes_with"]) % {
        "n": r["episodes_with"]
    }
    if r.get("median_seconds_with") is not None and r.get("median_seconds_without") is not None:
        line += "; " + _("median %(with)s, against %(without)s without") % {
            "with": duration_text(r["median_seconds_with"]),
            "without": duration_text(r["median_seconds_without"]),
        }
    verdict = r.get("verdict")
    if verdict in ("shorter", "longer") and r.get("ci95"):
        words = _("shorter") if verdict == "shorter" else _("longer")
        line += "; " + _(
            "%(words)s at the same pain (length ratio %(ratio)s, 95%% interval %(low)s to %(high)s)"
        ) % {
            "words": words,
            "ratio": number(r["duration_ratio"]),
            "low": number(r["ci95"][0]),
            "high": number(r["ci95"][1]),
        }
    elif verdict == "no_clear_difference":
        line += "; " + _("no clear difference")
    elif verdict == "not_enough_data":
        line += "; " + _("too few timed cramps to judge")
    return line


def _factor_line(f: Mapping[str, Any]) -> str:
    words = _("more cramps") if f["verdict"] == "worse" else _("fewer cramps")
    unit = _("for each 1 more") if f.get("kind") == "count" else _("on nights with it")
    return _("%(words)s %(unit)s: rate ratio %(ratio)s (95%% interval %(low)s to %(high)s)") % {
        "words": words,
        "unit": unit,
        "ratio": number(f["rate_ratio"]),
        "low": number(f["ci95"][0]),
        "high": number(f["ci95"][1]),
    }


def _chart(weeks: list[dict[str, Any]], start: date, end: date) -> dict[str, Any]:
    rated = [w for w in weeks if w["cramps_per_week"] is not None]
    if not rated:
        alt = _("Chart of cramps per week: no recorded nights in this period.")
    else:
        low = min(rated, key=lambda w: w["cramps_per_week"])
        high = max(rated, key=lambda w: w["cramps_per_week"])
        alt = _(
            "Bar chart of cramps per week, week by week from %(from)s to %(to)s. Lowest %(low)s a week "
            "(week of %(low_week)s), highest %(high)s a week (week of %(high_week)s). Weeks without "
            "recorded nights have no bar. The table of weeks gives every value."
        ) % {
            "from": day(start),
            "to": day(end),
            "low": number(low["cramps_per_week"]),
            "low_week": day(date.fromisoformat(low["week_start"])),
            "high": number(high["cramps_per_week"]),
            "high_week": day(date.fromisoformat(high["week_start"])),
        }
    return {
        "alt": alt,
        "caption": _("Cramps per week (calendar weeks from Monday), from recorded nights only."),
    }


def _night_table(
    in_range: Sequence[NightRecord], eps: list[EpisodeRecord], start: date, end: date
) -> list[dict[str, Any]]:
    by_night = {n.night: n for n in in_range}
    eps_by_night: dict[date, list[EpisodeRecord]] = {}
    for e in eps:
        eps_by_night.setdefault(e.night, []).append(e)
    rows = []
    night = start
    while night <= end:
        rec = by_night.get(night)
        its = eps_by_night.get(night, [])
        timed = [e.duration_seconds for e in its if e.duration_seconds is not None]
        where = list(
            dict.fromkeys(
                site_label(e.side, e.muscle, short=True) for e in its if e.muscle or e.side
            )
        )
        note = (rec.note if rec else "").strip().replace("\n", " ")
        rows.append(
            {
                "night": night.isoformat(),
                "label": night_span(night),
                "recorded": bool(rec and rec.cramps is not None),
                "cramps": rec.cramps if rec else None,
                "worst_pain": rec.worst_pain if rec else None,
                "longest": duration_text(max(timed)) if timed else "",
                "minutes_awake": rec.minutes_awake if rec else None,
                "sleep_quality": rec.sleep_quality if rec else None,
                "soreness": rec.soreness if rec else None,
                "where": ", ".join(where),
                "note": note if len(note) <= NOTE_CHARS else note[: NOTE_CHARS - 1] + "…",
            }
        )
        night += timedelta(days=1)
    return rows


def _notes() -> list[str]:
    return [
        _("A night is named by the date of its evening; it runs into the next morning."),
        _(
            "Nights without an answer are left out of every figure; they never count as nights without cramps."
        ),
        _(
            "A night's count is the larger of the morning count and the cramps logged during the night."
        ),
        _("Intervals are 95%; rates use quasi-Poisson intervals that allow for uneven nights."),
        _(
            "Links with daily factors and reliefs are associations in one person, not proof of cause."
        ),
    ]


def _key_numbers(report: Mapping[str, Any]) -> dict[str, Any]:
    """The few numbers of the clinician's patient list."""
    return {
        "per_week": report["often"]["per_week"],
        "nights_recorded": report["often"]["nights_recorded"],
        "nights_in_range": report["often"]["nights_in_range"],
        "trend": report["trend"]["verdict"],
        "trend_label": trend_label(report["trend"]["verdict"]),
        "urgent": report["findings"]["urgent"],
        "findings": report["findings"]["count"],
        "linked_medicines": len(report["medicines"]["linked"]),
    }


def trend_label(verdict: str | None) -> str:
    return {
        "fewer": _("fewer"),
        "more": _("more"),
        "no_clear_change": _("no clear change"),
        "not_enough_data": _("too few nights"),
    }.get(verdict or "", _("not available"))
