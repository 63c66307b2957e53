"""The content of a trial report, item by item as CENT 2015 asks, for the web page and the PDF.

One pure function builds a plain dict (strings, numbers, lists; dates as ISO text) so the web
template and the typst PDF render the same facts. CENT item numbers are kept beside the keys so a
reviewer can check the report against the checklist (Vohra et al., BMJ 2015;350:h1738).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from crampwise.core.i18n import gettext as _
from crampwise.trials.core.analysis import TrialAnalysis, model_description
from crampwise.trials.core.design import Arm, RemedyKind, TrialDesign, period_plans
from crampwise.trials.core.observations import TrialNight, tally
from crampwise.trials.core.stopping import DEFAULT_RULE, Decision, Look, StoppingRule
from crampwise.trials.core.wording import SOURCES, limits_sentences, result_sentences, works

REPORT_VERSION = 1


def trial_report(
    design: TrialDesign,
    nights: Sequence[TrialNight],
    analysis: TrialAnalysis | None,
    *,
    remedy: str,
    remedy_kind: RemedyKind | str | None = None,
    comparator: str | None = None,
    blinded: bool = False,
    rationale: str | None = None,
    diagnosis: str = "",
    concurrent_treatments: Sequence[str] = (),
    adherence: Mapping[date, bool] | None = None,
    looks: Sequence[Look] = (),
    rule: StoppingRule = DEFAULT_RULE,
    how_length_was_chosen: str | None = None,
    harms: Sequence[str] = (),
) -> dict[str, object]:
    """Everything the report shows. ``analysis`` is None while no night can be analysed yet.

    ``adherence`` maps a night to whether the person did what that night asked (the remedy on remedy
    nights, none on control nights); nights without an answer are left out of it.
    """
    stopped = next((look for look in looks if look.decision is not Decision.CONTINUE), None)
    return {
        "version": REPORT_VERSION,
        "title": _("Personal trial of %(remedy)s") % {"remedy": remedy},
        "status": _status(design, nights, stopped),
        "rationale": rationale  # CENT 2a
        or _(
            "Cramp remedies help some people and not others. A trial in one person, with remedy "
            "weeks and control weeks in random order, shows whether this one helps you."
        ),
        "participant": {  # CENT 4a
            "diagnosis": diagnosis,
            "concurrent_treatments": list(concurrent_treatments),
        },
        "design": _design(design, remedy, remedy_kind, comparator),  # CENT 3a, 5, 8-10
        "outcomes": {  # CENT 6a
            "primary": _("Number of cramps each night, counted the next morning."),
            "secondary": _(
                "Worst cramp pain of the night, from 0 (none) to 10 (worst), on nights with a cramp."
            ),
            "measurement": _(
                "Counts come from the morning check-in and from cramps logged in the night; the larger "
                "of the two is kept. A night with no answer is missing and never counted as zero."
            ),
        },
        "sample_size": {  # CENT 7a, 7b
            "how_chosen": how_length_was_chosen
            or _("The length was set before the trial started."),
            "stopping_rule": _stopping_rule(rule, design),
        },
        "blinding": {  # CENT 11a
            "blinded": blinded,
            "text": _("The nights' arms were hidden from you.")
            if blinded
            else _("Not blinded: you knew which nights were remedy nights."),
        },
        "statistical_methods": _methods(analysis, design),  # CENT 12a
        "schedule": _periods(design, nights, adherence),  # CENT 13a, 14a, 17a per period
        "adherence": _adherence(nights, adherence),
        "nights": _night_counts(nights),
        "washout": {
            "nights_per_period": design.washout_nights,
            "nights_left_out": sum(n.washout for n in nights),
            "why": _(
                "The first nights of each period may still feel the last period's remedy. So they are "
                "left out."
            )
            if design.washout_nights
            else _("No washout nights were planned."),
        },
        "interim_looks": [_look(look, design) for look in looks],  # CENT 7b
        "summary": _summary(analysis, remedy),  # CENT 17a
        "harms": list(harms),  # CENT 19
        "limitations": limits_sentences(blinded),  # CENT 20
        "sources": dict(SOURCES),
    }


def _status(
    design: TrialDesign, nights: Sequence[TrialNight], stopped: Look | None
) -> dict[str, object]:
    if stopped is not None:
        code = "stopped_works" if stopped.decision is Decision.EFFICACY else "stopped_futile"
        if stopped.decision is not Decision.EFFICACY:
            text = _("Stopped early: a worthwhile cut in cramps had become unlikely.")
        elif works(stopped.analysis.rate_ratio.p_meaningful):
            text = _("Stopped early: the remedy works. A worthwhile cut in cramps is very likely.")
        else:
            text = _("Stopped early: the remedy very likely helps, but the cut may be small.")
        return {"code": code, "text": text, **_after(design, stopped.pairs_complete)}
    # ``nights`` holds every scheduled night so far, missing ones included, from the first period.
    blocks_complete = min(
        len(nights) // (design.block_periods * design.period_nights), design.blocks
    )
    pairs_complete = blocks_complete * design.pairs_per_block
    if pairs_complete == design.pairs:
        return {"code": "complete", "text": _("Finished as planned."),
                **_after(design, pairs_complete)}  # fmt: skip
    return {"code": "in_progress", "text": _("Still running."), **_after(design, pairs_complete)}


def _after(design: TrialDesign, pairs_complete: int) -> dict[str, int]:
    """How far the trial got, in whole blocks: in pairs, and in blocks of the design."""
    return {"after_pairs": pairs_complete, "after_blocks": pairs_complete // design.pairs_per_block}


def _design(
    design: TrialDesign, remedy: str, remedy_kind: RemedyKind | str | None, comparator: str | None
) -> dict[str, object]:
    return {
        "type": _(
            "A trial in one person. Times with the remedy and times without it come in random order."
        ),
        "type_code": "N-of-1",
        "remedy": remedy,
        "remedy_kind": None if remedy_kind is None else str(RemedyKind(remedy_kind)),
        "comparator": comparator or _("Your usual nights without the remedy"),
        "start": design.start.isoformat(),
        "end": design.end.isoformat(),
        "run_in_nights": design.run_in_nights,
        "pairs": design.pairs,
        "periods": design.periods,
        "block_periods": design.block_periods,  # 2: pairs; 4 or 6: balanced blocks
        "blocks": design.blocks,
        "period_nights": design.period_nights,
        "washout_nights": design.washout_nights,
        "planned_weeks": round(design.weeks, 1),
        "randomization": _randomization(design),  # CENT 8a, 8b, 9, 10
    }


def _randomization(design: TrialDesign) -> dict[str, object]:
    if design.is_pairs:
        return {
            "method": _(
                "A coin toss made from a saved number (the seed) set the order in each pair. The seed "
                "lets anyone check the order later."
            ),
            "restriction": _(
                "Each pair has one stretch of nights with the remedy and one without it."
            ),
            "seed": str(design.seed),
            "algorithm": "sha256('crampwise-trial:{seed}:{pair}') first byte, lowest bit",
        }
    return {
        "method": _(
            "A shuffle made from a saved number (the seed) set the order in each block. The seed "
            "lets anyone check the order later."
        ),
        "restriction": _(
            "Each block has %(size)s stretches of nights: %(half)s with the remedy and %(half)s "
            "without it."
        )
        % {"size": design.block_periods, "half": design.pairs_per_block},
        "seed": str(design.seed),
        "algorithm": (
            "Fisher-Yates over T*m + C*m, i = 2m-1 .. 1: swap i with "
            "int(sha256('crampwise-block:{seed}:{block}:{i}'), big-endian) mod (i + 1)"
        ),
    }


def _looks_words(rule: StoppingRule, design: TrialDesign) -> str:
    if design.is_pairs:
        return _("At the end of each pair, from pair %(first)s on.") % {
            "first": rule.first_look_pairs
        }
    first = -(-rule.first_look_pairs // design.pairs_per_block)  # the first whole block at or after
    return _(
        "At the end of each block of %(size)s periods, from block %(first)s on: only there do the "
        "periods with and without the remedy balance."
    ) % {"size": design.block_periods, "first": first}


def _stopping_rule(rule: StoppingRule, design: TrialDesign) -> dict[str, object]:
    return {
        "looks": _looks_words(rule, design),
        "efficacy": rule.efficacy,
        "futility_ratio": rule.futility_ratio,
        "futility_probability": rule.futility_probability,
        "text": _(
            "Stop early if it is %(efficacy)s%% likely that the remedy cuts cramps. Also stop if a cut "
            "of %(cut)s%% or more has become less than %(futile)s%% likely."
        )
        % {
            "efficacy": f"{100 * rule.efficacy:g}",
            "cut": round(100 * (1 - rule.futility_ratio)),
            "futile": f"{100 * rule.futility_probability:g}",
        },
    }


def _methods(analysis: TrialAnalysis | None, design: TrialDesign) -> dict[str, object]:
    methods: dict[str, object] = {
        "model": _(
            "A count model for the cramps of each night. Each period can shift up or down a little, "
            "to allow for slow changes over time. The result is a ratio: cramps per night with the "
            "remedy divided by cramps per night without it."
        ),
        "carryover": _("Handled by washout nights left out of the analysis.")
        if design.washout_nights
        else _("No washout nights; the remedy is expected to act within a night."),
        "period_effects": _("Each period gets its own random shift; pairs balance slow trends.")
        if design.is_pairs
        else _("Each period gets its own random shift; balanced blocks balance slow trends."),
        "correlation": _("Nights in the same period share that period's shift."),
    }
    if analysis is not None:
        methods["details"] = model_description(analysis.priors)
    return methods


def _periods(
    design: TrialDesign, nights: Sequence[TrialNight], adherence: Mapping[date, bool] | None
) -> list[dict[str, object]]:
    by_period: dict[int, list[TrialNight]] = {}
    for n in nights:
        by_period.setdefault(n.period, []).append(n)
    rows = []
    for plan in period_plans(design):
        got = by_period.get(plan.period, [])
        used = [n for n in got if n.used]
        cramps = sum(n.cramps or 0 for n in used)
        pains = [n.worst_pain for n in used if n.cramps and n.worst_pain is not None]
        answered = [
            adherence[n.night]
            for n in got
            if adherence and n.night is not None and n.night in adherence
        ]
        rows.append(
            {
                "period": plan.period + 1,
                "block": plan.block + 1,  # the pair, in a design of pairs
                "arm": str(plan.arm),
                "first_night": plan.first_night.isoformat(),
                "last_night": plan.last_night.isoformat(),
                "nights_so_far": len(got),
                "washout_nights": sum(n.washout for n in got),
                "missing_nights": sum(n.cramps is None and not n.washout for n in got),
                "nights_used": len(used),
                "cramps": cramps,
                "cramps_per_week": round(7 * cramps / len(used), 2) if used else None,
                "mean_worst_pain": round(sum(pains) / len(pains), 2) if pains else None,
                "nights_followed": sum(answered) if answered else None,
                "nights_with_adherence_answer": len(answered),
            }
        )
    return rows


def _adherence(
    nights: Sequence[TrialNight], adherence: Mapping[date, bool] | None
) -> dict[str, object]:
    if adherence is None:
        return {
            "recorded": False,
            "text": _("Whether each night's plan was followed was not recorded."),
        }
    result: dict[str, object] = {"recorded": True}
    for arm, treated in ((Arm.TREATMENT, True), (Arm.CONTROL, False)):
        answers = [
            adherence[n.night]
            for n in nights
            if n.treated is treated and n.night is not None and n.night in adherence
        ]
        result[str(arm)] = {
            "nights_answered": len(answers),
            "nights_followed": sum(answers),
            "share_followed": round(sum(answers) / len(answers), 3) if answers else None,
        }
    return result


def _night_counts(nights: Sequence[TrialNight]) -> dict[str, object]:
    counts = tally(nights)
    per_arm = {}
    for arm, treated in ((Arm.TREATMENT, True), (Arm.CONTROL, False)):
        mine = [n for n in nights if n.treated is treated]
        per_arm[str(arm)] = {
            "scheduled": len(mine),
            "used": sum(n.used for n in mine),
            "washout": sum(n.washout for n in mine),
            "missing": sum(n.cramps is None and not n.washout for n in mine),
        }
    return {
        "scheduled_so_far": counts.scheduled,
        "used": counts.used,
        "washout": counts.washout,
        "missing": counts.missing,
        "by_arm": per_arm,
    }


def _look(look: Look, design: TrialDesign) -> dict[str, object]:
    return {
        **_after(design, look.pairs_complete),
        "night": look.night.isoformat(),
        "p_reduction": round(look.p_reduction, 4),
        "p_worthwhile": round(look.p_worthwhile, 4),
        "decision": str(look.decision),
    }


def _summary(analysis: TrialAnalysis | None, remedy: str) -> dict[str, object]:
    if analysis is None:
        return {
            "available": False,
            "text": [_("There are not enough recorded nights for a result yet.")],
        }
    if not analysis.enough_data:
        # Below the minimum evidence the report gives no percentage or best guess either.
        return {
            "available": False,
            "enough_data": False,
            "evidence": analysis.evidence.to_dict(),
            "text": result_sentences(analysis, remedy),
        }
    return {
        "available": True,
        **analysis.to_dict(),
        "text": result_sentences(analysis, remedy),
    }
