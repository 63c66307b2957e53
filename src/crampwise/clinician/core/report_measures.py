"""How often, how bad, since when and where: the measured sections of the doctor's report.

Pure; no Django, no I/O. Each function takes the plain records ``report_content.build_report``
has already cut to the range and returns one JSON-ready section with its sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from crampwise.clinician.core import report_figures as fig
from crampwise.clinician.core.report_text import (
    day,
    duration_text,
    not_available,
    number,
    site_label,
)
from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.diary.core.records import MUSCLES, SIDES, EpisodeRecord, NightRecord


def often_section(kept: list[NightRecord], start: date, end: date) -> dict[str, Any]:
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


def add_unconfirmed(often: dict[str, Any], in_range: Sequence[NightRecord]) -> None:
    """Say how many nights have logged cramps but no morning answer: they are not in the rate."""
    waiting = sorted({n.night for n in in_range if n.cramps is not None and not n.confirmed})
    often["nights_not_confirmed"] = len(waiting)
    if waiting:
        often["sentence"] += " " + ngettext(
            "%(n)d night with cramps logged in the night has no morning answer yet and is not counted.",
            "%(n)d nights with cramps logged in the night have no morning answer yet and are not counted.",
            len(waiting),
        ) % {"n": len(waiting)}


def trend_section(
    kept: list[NightRecord], start: date, end: date, insights: Mapping[str, Any] | None
) -> dict[str, Any]:
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


def severity_section(kept: list[NightRecord], eps: list[EpisodeRecord]) -> dict[str, Any]:
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


def since_section(nights: Sequence[NightRecord]) -> dict[str, Any]:
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


def where_section(eps: list[EpisodeRecord]) -> dict[str, Any]:
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
