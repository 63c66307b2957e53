"""What the trial page and its report show: numbers and sentences made from an ``Evaluation``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crampwise.trials.core import wording
from crampwise.trials.core.analysis import TrialAnalysis
from crampwise.trials.core.design import Arm, TrialDesign, assignment_for, blocks_complete
from crampwise.trials.core.observations import tally
from crampwise.trials.core.stopping import Decision, Look, design_look_pairs, look_night
from crampwise.trials.models import Trial
from crampwise.trials.services.catalogue import remedy_words
from crampwise.trials.services.evaluation import Evaluation
from crampwise.trials.services.tonight import plan_night, plan_words

# ---- words for the page ------------------------------------------------------------------


def percent(probability: float) -> str:
    return wording.percent_words(probability)


def ratio_text(value: float) -> str:
    return f"{value:.2f}"


def look_place(pairs_complete: int, block_periods: int = 2) -> str:
    """Where a look is: "After pair 3", or "After block 2" in a design of blocks."""
    if block_periods == 2:
        return _("After pair %(n)s") % {"n": pairs_complete}
    return _("After block %(n)s") % {"n": pairs_complete // (block_periods // 2)}


def look_sentence(look: Look, noun: str, *, running: bool = True, block_periods: int = 2) -> str:
    """What a look says; "you may stop" only while the trial is still running."""
    values = {"when": look_place(look.pairs_complete, block_periods), "remedy": noun,
              "cut": round(100 * (1 - look.analysis.rate_ratio.threshold))}  # fmt: skip
    if look.decision is Decision.EFFICACY and wording.works(look.analysis.rate_ratio.p_meaningful):
        sentence = _("%(when)s the answer is already clear: %(remedy)s works for you.") % values
    elif look.decision is Decision.EFFICACY:
        sentence = (
            _(
                "%(when)s it is clear that %(remedy)s helps, but it may cut your cramps by "
                "less than %(cut)s%%."
            )
            % values
        )
    elif look.decision is Decision.FUTILITY:
        sentence = (
            _(
                "%(when)s the answer is already clear: a useful cut, of 20%% or more, has "
                "become unlikely."
            )
            % values
        )
    elif block_periods == 2:
        return _("%(when)s the answer is not clear yet. More pairs are needed.") % values
    else:
        return _("%(when)s the answer is not clear yet. More blocks are needed.") % values
    if running:
        sentence = " ".join((sentence, _("You may stop the trial.")))
    return sentence


def look_label(look: Look) -> str:
    """The look table's short verdict. "It works" needs a worthwhile cut, not just any cut."""
    if look.decision is Decision.EFFICACY:
        if wording.works(look.analysis.rate_ratio.p_meaningful):
            return _("Clear: it works")
        return _("Clear: it helps, maybe only a little")
    if look.decision is Decision.FUTILITY:
        return _("Clear: no useful cut")
    return _("Not clear yet")


def next_look_sentence(evaluation: Evaluation) -> str | None:
    trial, design = evaluation.trial, evaluation.design
    if not trial.is_active:
        return None
    pairs_over = blocks_complete(design, evaluation.over) * design.pairs_per_block
    upcoming = next((p for p in design_look_pairs(design) if p > pairs_over), None)
    if upcoming is None:
        return None
    morning = date_format(look_night(design, upcoming) + timedelta(days=1), "l j F")
    if design.is_pairs:
        return _("The next look is after pair %(n)s, on the morning of %(date)s.") % {
            "n": upcoming, "date": morning
        }  # fmt: skip
    return _("The next look is after block %(n)s, on the morning of %(date)s.") % {
        "n": upcoming // design.pairs_per_block, "date": morning
    }  # fmt: skip


def first_look_words(design: TrialDesign) -> str:
    """When the first look of this trial comes, as the page says it."""
    first = design_look_pairs(design)[:1]
    if not first:
        return _("This trial is too short for a look along the way.")
    if design.is_pairs:
        return _("The first look comes at the end of pair %(n)s.") % {"n": first[0]}
    return _("The first look comes at the end of block %(n)s.") % {
        "n": first[0] // design.pairs_per_block
    }


def pain_sentences(analysis: TrialAnalysis, noun: str) -> list[str]:
    pain = analysis.pain
    if pain is None:
        return [
            _(
                "There is no answer about pain yet. It needs at least two nights with a cramp and a "
                "pain score on each kind of night."
            )
        ]
    low, high = pain.ci95
    return [
        _(
            "On nights with a cramp, the worst pain was %(treated)s out of 10 on average with "
            "%(remedy)s, and %(control)s without it."
        )
        % {
            "treated": f"{pain.mean_treatment:.1f}",
            "control": f"{pain.mean_control:.1f}",
            "remedy": noun,
        },
        _("%(chance)s likely that cramps hurt less with %(remedy)s.")
        % {"chance": percent(pain.p_lower), "remedy": noun},
        _("The true change in pain is likely between %(low)s and %(high)s.")
        % {"low": _points(low), "high": _points(high)},
    ]


def _points(change: float) -> str:
    """-1.3 -> "1.3 points less"; pain is on a 0-10 scale, so a signed number is easy to misread."""
    if round(change, 1) == 0:
        return _("no change")
    if change < 0:
        return _("%(points).1f points less") % {"points": -change}
    return _("%(points).1f points more") % {"points": change}


def arm_label(arm: str, noun: str) -> str:
    if arm == Arm.TREATMENT:
        return _("With %(remedy)s") % {"remedy": noun}
    if arm == Arm.CONTROL:
        return _("Without %(remedy)s") % {"remedy": noun}
    return _("Run-in")


def hide_arms(trial: Trial) -> bool:
    """A blinded trial keeps its arms hidden from the person until it is over (in a blinded
    series: until the series' key is opened)."""
    if not trial.blinded:
        return False
    from crampwise.series.patient import in_blinded_series  # the series app builds on trials

    return trial.is_active or in_blinded_series(trial)


def schedule_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The report's period rows, with words, dates and the current period marked."""
    trial, noun = evaluation.trial, remedy_words(evaluation.trial).noun
    today = plan_night(trial.owner)
    rows = []
    for row in evaluation.report["schedule"]:
        first = date.fromisoformat(row["first_night"])
        last = date.fromisoformat(row["last_night"])
        washout_last = first + timedelta(days=trial.washout_nights - 1)
        rows.append({
            **row,
            "first": first,
            "last": last,
            "plan": (_("Pack %(pack)s") % {"pack": row["period"]}) if hide_arms(trial)
            else arm_label(row["arm"], noun),
            "treated": row["arm"] == Arm.TREATMENT and not hide_arms(trial),
            "washout_first": first if trial.washout_nights else None,
            "washout_last": washout_last if trial.washout_nights else None,
            "current": first <= today <= last and trial.is_active,
            "past": last <= evaluation.over,
        })  # fmt: skip
    return rows


def run_in_dates(trial: Trial) -> tuple[date, date] | None:
    if not trial.run_in_nights:
        return None
    return trial.start, trial.start + timedelta(days=trial.run_in_nights - 1)


def upcoming_nights(trial: Trial, count: int = 7) -> list[dict[str, Any]]:
    if not trial.is_active:
        return []
    design, first = trial.design(), plan_night(trial.owner)
    rows = []
    for offset in range(count):
        night = first + timedelta(days=offset)
        scheduled = assignment_for(design, night)
        if scheduled is None:
            break
        rows.append({"night": night, "words": plan_words(trial, scheduled), "washout": scheduled.washout,
                     "run_in": scheduled.arm is Arm.BASELINE})  # fmt: skip
    return rows


def progress(evaluation: Evaluation) -> dict[str, Any]:
    design, trial = evaluation.design, evaluation.trial
    done = max(0, min((evaluation.over - design.start).days + 1, design.total_nights))
    counts = tally(evaluation.nights)
    adherence = evaluation.report["adherence"]
    return {
        "nights_done": done,
        "nights_total": design.total_nights,
        # Blocks are pairs in a design of pairs; the page names them by the design.
        "blocks_done": blocks_complete(design, evaluation.over),
        "blocks_total": design.blocks,
        "in_pairs": design.is_pairs,
        "scheduled": counts.scheduled,
        "used": counts.used,
        "washout": counts.washout,
        "missing": counts.missing,
        "run_in_recorded": sum(r.cramps is not None for r in evaluation.run_in),
        "run_in_done": min(done, trial.run_in_nights),
        "adherence": adherence,
    }


def waiting_sentences(evaluation: Evaluation) -> list[str]:
    """Why there is no answer yet, below the minimum evidence; empty once there is one."""
    analysis = evaluation.analysis
    if analysis is None or analysis.enough_data:
        return []
    return wording.not_enough_sentences(analysis.evidence)


def result_numbers(evaluation: Evaluation) -> dict[str, Any] | None:
    """The answer's numbers and words, or None while there is no answer (or too little evidence)."""
    analysis = evaluation.analysis
    if analysis is None or not analysis.enough_data:
        return None
    rr = analysis.rate_ratio
    noun = remedy_words(evaluation.trial).noun
    return {
        "headline": wording.headline(rr, noun),
        "sentences": wording.result_sentences(analysis, noun)[1:],
        "ratio": ratio_text(rr.median),
        "ratio_low": ratio_text(rr.ci95[0]),
        "ratio_high": ratio_text(rr.ci95[1]),
        "p_reduction": percent(rr.p_reduction),
        "p_meaningful": percent(rr.p_meaningful),
        "cut": round(100 * (1 - rr.threshold)),
        "treatment": analysis.treatment,
        "control": analysis.control,
        "treatment_per_week": f"{analysis.treatment.per_week or 0:.1f}",
        "control_per_week": f"{analysis.control.per_week or 0:.1f}",
        "pain": pain_sentences(analysis, noun),
        "limits": wording.limits_sentences(evaluation.trial.blinded),
        "washout_excluded": analysis.nights.washout,
        "missing": analysis.nights.missing,
    }


# ---- operating characteristics of the looks ---------------------------------------------

# From docs/trials.md ("Looks as the trial goes"), the rows for the rule in use (e = 0.975);
# tests/trials/test_web_looks.py checks that these numbers are the ones published there.
LOOK_CHARACTERISTICS = (
    # (cramps a week, period nights, true ratio, % stop: works, % stop: futile, % to the end, weeks)
    (7, 7, 1.0, 6.0, 53.7, 40.3, 15.9),
    (7, 7, 0.7, 35.3, 15.7, 48.9, 18.0),
    (7, 7, 0.5, 74.9, 3.1, 21.9, 15.1),
    (3, 7, 1.0, 4.0, 44.7, 51.3, 18.0),
    (3, 7, 0.7, 21.0, 13.5, 65.5, 20.4),
    (3, 7, 0.5, 48.1, 3.2, 48.6, 19.1),
    (7, 14, 1.0, 4.2, 39.0, 56.8, 19.5),
    (7, 14, 0.7, 18.4, 11.7, 69.9, 21.2),
    (7, 14, 0.5, 46.8, 3.1, 50.1, 20.0),
)
