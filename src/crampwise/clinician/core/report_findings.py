"""The report's red flags and findings, and its personal trial results. Pure; no Django.

Flags come from the patient's latest symptom check (the guidance feature); findings from the diary
itself. Both are sorted most severe first, so a page that has to cut the list cuts the least.
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
    severity_label,
)
from crampwise.core.i18n import gettext as _
from crampwise.core.i18n import ngettext
from crampwise.diary.core.records import EpisodeRecord

URGENT = frozenset({"emergency", "urgent"})
SEVERITY_ORDER = ("emergency", "urgent", "routine", "info")


def findings_section(
    eps: Sequence[EpisodeRecord],
    trend: Mapping[str, Any],
    meds: Mapping[str, Any],
    assessment: Mapping[str, Any] | None,
) -> dict[str, Any]:
    diary: list[dict[str, Any]] = []
    length = fig.durations(eps)
    if length["over_10_minutes"]:
        # Past cramps, already over: worth a question, not an emergency now.
        diary.append(
            {
                "severity": "routine",
                "label": severity_label("routine"),
                "message": ngettext(
                    "%(n)d logged cramp lasted over 10 minutes (longest %(max)s).",
                    "%(n)d logged cramps lasted over 10 minutes (longest %(max)s).",
                    length["over_10_minutes"],
                )
                % {"n": length["over_10_minutes"], "max": duration_text(length["max"])},
            }
        )
    if trend.get("verdict") == "more":
        diary.append(
            {
                "severity": "routine",
                "label": severity_label("routine"),
                "message": _("Cramps are more frequent in the last 4 weeks than 2 months before."),
            }
        )
    for m in meds["all"]:
        if m["change"] == "rise":
            diary.append(
                {
                    "severity": "routine",
                    "label": severity_label("routine"),
                    "message": _("Cramps went up after %(name)s was started.")
                    % {"name": m["name"]},
                }
            )
    if meds["linked"]:
        diary.append(
            {
                "severity": "routine",
                "label": severity_label("routine"),
                "message": _("Takes medicines linked with cramps: %(names)s.")
                % {"names": ", ".join(meds["linked"])},
            }
        )
    result: dict[str, Any] = {
        "diary": diary,
        "assessment_available": assessment is not None,
        "flags": [],
    }
    if assessment is None:
        result["assessment_note"] = not_available(_("The symptom check"))
    elif not assessment.get("flags") and not assessment.get("at"):
        result["assessment_note"] = _("The symptom check has not been answered.")
    else:
        at = assessment.get("at")
        at = _as_date(at)
        result["assessment_note"] = (
            _("From the symptom check of %(day)s.") % {"day": day(at)} if at else ""
        )
        for flag in assessment.get("flags", []):
            if flag.get("id") == "medicine_associated_with_cramps":
                continue  # already shown beside the medicine itself
            severity = flag.get("severity", "info")
            result["flags"].append(
                {
                    "severity": severity,
                    "label": severity_label(severity),
                    "message": flag.get("message", ""),
                    "id": flag.get("id", ""),
                }
            )
    # Most severe first, whatever their source, so a page that must cut the list cuts the least.
    result["ordered"] = sorted(
        result["flags"] + diary,
        key=lambda f: (
            SEVERITY_ORDER.index(f["severity"])
            if f["severity"] in SEVERITY_ORDER
            else len(SEVERITY_ORDER)
        ),
    )
    result["urgent"] = sum(1 for f in result["ordered"] if f["severity"] in URGENT)
    result["count"] = len([f for f in result["flags"] if f["severity"] != "info"]) + len(diary)
    return result


def trials_section(trials: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    if trials is None:
        return {"available": False, "results": [], "sentence": not_available(_("Personal trials"))}
    results = []
    for t in trials:
        if t.get("enough_data") is False:
            # Below the trial's minimum evidence it shows no percentage or best guess; nor does this.
            line = ngettext(
                "not enough cramps to tell (%(cramps)d cramp counted)",
                "not enough cramps to tell (%(cramps)d cramps counted)",
                t.get("cramps", 0),
            ) % {"cramps": t.get("cramps", 0)}
            results.append({"remedy": t.get("remedy", ""), "dates": _trial_dates(t), "line": line})
            continue
        ratio = t.get("rate_ratio_median") or (t.get("rate_ratio") or {}).get("median")
        ci = t.get("rate_ratio_ci95") or (t.get("rate_ratio") or {}).get("ci95")
        line = t.get("sentence") or ""
        if ratio is not None and ci:
            line = (
                _("rate ratio %(ratio)s (95%% credible interval %(low)s to %(high)s)")
                % {"ratio": number(ratio), "low": number(ci[0]), "high": number(ci[1])}
            ) + (f"; {line}" if line else "")
        if t.get("p_reduction") is not None:
            line += "; " + _("%(pct)s likely to reduce cramps") % {
                "pct": _percent(t["p_reduction"])
            }
        if t.get("p_meaningful") is not None and t.get("threshold"):
            line += "; " + _("%(pct)s likely to cut them by at least %(cut)d%%") % {
                "pct": _percent(t["p_meaningful"]),
                "cut": round(100 * (1 - t["threshold"])),
            }
        results.append({"remedy": t.get("remedy", ""), "dates": _trial_dates(t), "line": line})
    sentence = "" if results else _("No personal trial finished yet.")
    return {"available": True, "results": results, "sentence": sentence}


def _percent(p: float) -> str:
    """Probabilities as whole percents; never "100%" or "0%", which would claim certainty."""
    if p > 0.99:
        return _("more than 99%")
    if p < 0.01:
        return _("less than 1%")
    return f"{round(100 * p)}%"


def _trial_dates(t: Mapping[str, Any]) -> str:
    started, ended = _as_date(t.get("started")), _as_date(t.get("ended"))
    if started and ended:
        return f"{day(started)} – {day(ended)}"
    return day(started) if started else ""


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
