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
from crampwise.diary.core.records import MUSCLES, SIDES, EpisodeRecord, MedicineRecord, NightRecord

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
    often = _often(kept, start, end)
    _add_unconfirmed(often, in_range)
    trend = _trend(kept, start, end, insights)
    if medicine_changes is None and insights is not None:
        medicine_changes = insights.get("medicines")
    since = _since(nights)
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
        "severity": _severity(kept, eps),
        "since": since,
        "where": _where(eps),
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


def _patient(patient: Mapping[str, Any] | None, today: date) -> dict:
    patient = patient or {}
    birth_year = patient.get("birth_year")
    return {
        "name": patient.get("name") or "",
        "birth_year": birth_year,
        "age": today.year - birth_year if birth_year else None,
        "sex": patient.get("sex") or "",
    }


def _often(kept: list[NightRecord], start: date, end: date) -> dict:
    r = fig.rate(kept)
    in_range = (end - start).days + 1
    with_cramps = sum(1 for n in kept if n.cramps)
    if r["per_week"] is None:
        sentence = _("No nights recorded in this period.")
    else:
        sentence = _("%(rate)s cramps a week") % {"rate": number(r["per_week"])}
        if r["ci95"]:
            sentence += " " + _("(95%% interval %(low)s to %(high)s)") % {
                "low": number(r["ci95"][0]),
                "high": number(r["ci95"][1]),
            }
        sentence += ", " + _("from %(n)d of %(of)d nights recorded.") % {
            "n": r["nights"],
            "of": in_range,
        }
        sentence += " " + ngettext(
            "Cramps on %(n)d night, none on %(free)d.",
            "Cramps on %(n)d nights, none on %(free)d.",
            with_cramps,
        ) % {"n": with_cramps, "free": r["nights"] - with_cramps}
    return {
        "cramps": r["cramps"],
        "nights_recorded": r["nights"],
        "nights_in_range": in_range,
        "nights_not_recorded": in_range - r["nights"],
        "nights_with_cramps": with_cramps,
        "cramp_free_nights": r["nights"] - with_cramps,
        "per_week": r["per_week"],
        "ci95": r["ci95"],
        "sentence": sentence,
    }


def _add_unconfirmed(often: dict, in_range: Sequence[NightRecord]) -> None:
    """Say how many nights have logged cramps but no morning answer: they are not in the rate."""
    waiting = sorted({n.night for n in in_range if n.cramps is not None and not n.confirmed})
    often["nights_not_confirmed"] = len(waiting)
    if waiting:
        often["sentence"] += " " + ngettext(
            "%(n)d night with cramps logged in the night has no morning answer yet and is not counted.",
            "%(n)d nights with cramps logged in the night have no morning answer yet and are not counted.",
            len(waiting),
        ) % {"n": len(waiting)}


def _trend(
    kept: list[NightRecord], start: date, end: date, insights: Mapping[str, Any] | None
) -> dict:
    weeks = fig.weekly(kept, start, end)
    for w in weeks:
        w["week_display"] = day(date.fromisoformat(w["week_start"]))
        w["rate_display"] = number(w["cramps_per_week"])
    if insights is None or "trend" not in insights:
        return {
            "available": False,
            "verdict": None,
            "sentence": not_available(_("Trend")),
            "weeks": weeks,
        }
    smooth = {w["week_start"]: w.get("smoothed") for w in insights["trend"].get("weeks", [])}
    for w in weeks:
        w["smoothed"] = smooth.get(w["week_start"])
    change = insights["trend"].get("change") or {}
    verdict = change.get("verdict")
    if verdict in (None, "not_enough_data"):
        sentence = change.get("sentence") or _("Not enough nights to judge a trend.")
    else:
        words = {
            "fewer": _("fewer cramps"),
            "more": _("more cramps"),
            "no_clear_change": _("no clear change"),
        }[verdict]
        recent, earlier = change["recent"], change["earlier"]
        sentence = _(
            "Last 4 weeks %(now)s a week (%(n_now)d nights) against %(then)s a week (%(n_then)d "
            "nights) 8 weeks before: %(words)s"
        ) % {
            "now": number(recent["cramps_per_week"]),
            "n_now": recent["nights"],
            "then": number(earlier["cramps_per_week"]),
            "n_then": earlier["nights"],
            "words": words,
        }
        if change.get("rate_ratio") is not None and change.get("ci95"):
            sentence += " " + _("(rate ratio %(ratio)s, 95%% interval %(low)s to %(high)s)") % {
                "ratio": number(change["rate_ratio"]),
                "low": number(change["ci95"][0]),
                "high": number(change["ci95"][1]),
            }
        sentence += "."
    return {
        "available": True,
        "verdict": verdict,
        "sentence": sentence,
        "change": change,
        "weeks": weeks,
    }


def _severity(kept: list[NightRecord], eps: list[EpisodeRecord]) -> dict:
    pain = fig.worst_pain(kept)
    length = fig.durations(eps)
    woke = fig.woken(kept)
    rest = fig.sleep(kept)
    sore = fig.soreness(kept)
    lines = []
    if pain["n"]:
        lines.append(
            {
                "label": _("Worst pain (0 to 10)"),
                "value": _(
                    "median %(median)s (middle half %(q1)s to %(q3)s, highest %(max)s), %(n)d nights"
                )
                % {
                    "median": number(pain["median"]),
                    "q1": number(pain["q1"]),
                    "q3": number(pain["q3"]),
                    "max": number(pain["max"]),
                    "n": pain["n"],
                },
            }
        )
    if length["n"]:
        value = _(
            "median %(median)s (middle half %(q1)s to %(q3)s, longest %(max)s), %(n)d timed cramps"
        ) % {
            "median": duration_text(length["median"]),
            "q1": duration_text(length["q1"]),
            "q3": duration_text(length["q3"]),
            "max": duration_text(length["max"]),
            "n": length["n"],
        }
        if length["over_10_minutes"]:
            value += "; " + ngettext(
                "%(n)d lasted over 10 minutes",
                "%(n)d lasted over 10 minutes",
                length["over_10_minutes"],
            ) % {"n": length["over_10_minutes"]}
        lines.append({"label": _("How long a cramp lasts"), "value": value})
    if woke["nights_answered"]:
        value = _("%(n)d of %(of)d nights") % {"n": woke["nights"], "of": woke["nights_answered"]}
        if woke["median_minutes"] is not None:
            value += ", " + _("median %(min)s minutes awake") % {
                "min": number(woke["median_minutes"])
            }
        lines.append({"label": _("Nights woken"), "value": value})
    if rest["nights"]:
        value = _("mean %(mean)s of 5") % {"mean": number(rest["mean"])}
        if rest["mean_with_cramps"] is not None and rest["mean_without_cramps"] is not None:
            value += "; " + _("%(with)s with cramps, %(without)s without") % {
                "with": number(rest["mean_with_cramps"]),
                "without": number(rest["mean_without_cramps"]),
            }
        lines.append({"label": _("Sleep quality (1 very poor, 5 very good)"), "value": value})
    if sore["nights_answered"]:
        lines.append(
            {
                "label": _("Sore next day (moderate or severe)"),
                "value": _("%(n)d of %(of)d days")
                % {"n": sore["moderate_or_severe"], "of": sore["nights_answered"]},
            }
        )
    return {
        "worst_pain": pain,
        "duration_seconds": length,
        "woken": woke,
        "sleep": rest,
        "soreness": sore,
        "lines": lines,
    }


def _since(nights: Sequence[NightRecord]) -> dict:
    kept = fig.recorded(nights)
    if not kept:
        return {
            "first_night": None,
            "first_cramp_night": None,
            "nights_recorded": 0,
            "sentence": _("No nights recorded yet."),
        }
    first = kept[0].night
    first_cramp = next((n.night for n in kept if n.cramps), None)
    sentence = _("Diary kept since the night of %(day)s, %(n)d nights recorded in all.") % {
        "day": day(first),
        "n": len(kept),
    }
    if first_cramp is not None:
        sentence += " " + _("First cramp recorded on the night of %(day)s.") % {
            "day": day(first_cramp)
        }
    sentence += " " + _("The diary start is not when the cramps began.")
    return {
        "first_night": first.isoformat(),
        "first_cramp_night": first_cramp.isoformat() if first_cramp else None,
        "nights_recorded": len(kept),
        "sentence": sentence,
    }


def _where(eps: list[EpisodeRecord]) -> dict:
    rows = fig.sites(eps)
    total = len(eps)
    top = [
        {
            "label": site_label(r["side"], r["muscle"]),
            "episodes": r["episodes"],
            "percent": round(100 * r["episodes"] / total),
        }
        for r in rows
    ]
    hours = fig.busiest_hours(eps)
    when = None
    if hours:
        when = _("%(pct)d%% of logged cramps started between %(from)02d:00 and %(to)02d:00.") % {
            "pct": round(100 * hours["share"]),
            "from": hours["from_hour"],
            "to": hours["to_hour"],
        }
    return {
        "episodes": total,
        "sites": top,
        "muscles": fig.tally([e.muscle for e in eps], MUSCLES),
        "sides": fig.tally([e.side for e in eps], SIDES),
        "hours": hours,
        "when": when,
        "sentence": _("No cramps logged during the night in this period.")
        if not total
        else ", ".join(f"{r['label']} {r['percent']}%" for r in top[:4])
        + " "
        + ngettext("(%(n)d logged cramp)", "(%(n)d logged cramps)", total) % {"n": total},
    }


def _tried(eps, medicines, insights, meds) -> dict:
    reliefs: list[dict] = []
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


def _chart(weeks: list[dict], start: date, end: date) -> dict:
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
) -> list[dict]:
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


def _key_numbers(report: Mapping[str, Any]) -> dict:
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
