"""Joining a trial's schedule with the diary and analysing the nights that have ended.

Nothing here changes what the pure core computes (``trials.analysis``, ``trials.stopping``,
``trials.report``); it only chooses the nights and the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from crampwise.diary.core.records import NightRecord
from crampwise.diary.models import Medicine
from crampwise.diary.services import last_night, load_nights
from crampwise.trials.core.analysis import (
    NotEnoughNights,
    TrialAnalysis,
    analyze,
    baseline_from_run_in,
)
from crampwise.trials.core.design import TrialDesign, blocks_complete, build_schedule
from crampwise.trials.core.observations import TrialNight, nights_from_diary
from crampwise.trials.core.report import trial_report
from crampwise.trials.core.rules import power_kind
from crampwise.trials.core.stopping import Decision, Look, design_look_pairs, interim_look
from crampwise.trials.models import Trial
from crampwise.trials.services.catalogue import BASELINE_WEEKS, remedy_name, remedy_words
from crampwise.trials.services.tonight import adherence_map, refresh_status
from crampwise.trials.services.wizard import length_sentences

# ---- the answer --------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Everything the trial page and the report show, computed once per request."""

    trial: Trial
    design: TrialDesign
    over: date  # the last night counted so far
    nights: list[TrialNight]
    run_in: list[NightRecord]
    baseline_per_night: float | None
    analysis: TrialAnalysis | None
    looks: list[Look]
    adherence: dict[date, bool]
    report: dict[str, Any] = field(default_factory=dict)
    report_looks: list[Look] = field(default_factory=list)

    def pending_look(self) -> Look | None:
        """The latest look of a running trial when it says "stop": the person has yet to decide."""
        if self.trial.is_active and self.looks and self.looks[-1].decision is not Decision.CONTINUE:
            return self.looks[-1]
        return None

    def looks_gone_past(self) -> list[Look]:
        """Looks that said "stop" while the person went on (the report lists them in words)."""
        listed = {look.pairs_complete for look in self.report_looks}
        pending = self.pending_look()
        return [
            look for look in self.looks
            if look.decision is not Decision.CONTINUE and look.pairs_complete not in listed
            and look is not pending
        ]  # fmt: skip


@dataclass(frozen=True)
class _Answer:
    over: date
    nights: list[TrialNight]
    run_in: list[NightRecord]
    baseline: float | None
    analysis: TrialAnalysis | None


def _answer(trial: Trial) -> _Answer:
    """The trial's nights joined with the diary, and the analysis of those that have ended."""
    over = min(last_night(trial.owner), trial.end)
    records = load_nights(
        trial.owner, start=trial.start - timedelta(weeks=BASELINE_WEEKS), end=over
    )
    nights, run_in = nights_from_diary(build_schedule(trial.design()), records, until=over)
    # The prior's centre: the run-in when there is one, else the diary weeks before the trial.
    before = [r for r in records if r.night < trial.start]
    baseline = baseline_from_run_in(run_in if trial.run_in_nights else before)
    return _Answer(over, nights, run_in, baseline, _analyze(nights, trial.threshold, baseline))


def evaluate(trial: Trial) -> Evaluation:
    """Join the schedule with the diary and analyse the nights that have ended."""
    design = trial.design()
    answer = _answer(trial)
    over, nights, baseline, analysis = answer.over, answer.nights, answer.baseline, answer.analysis
    looks = []
    # Looks only at the ends of blocks: there the periods with and without the remedy balance.
    pairs_over = blocks_complete(design, over) * design.pairs_per_block
    for pairs in (p for p in design_look_pairs(design) if p <= pairs_over):
        try:
            look = interim_look(design, nights, pairs, threshold=trial.threshold,
                                baseline_per_night=baseline)  # fmt: skip
        except NotEnoughNights:
            continue  # no recorded night on one arm yet: nothing to look at
        # Below the minimum evidence a look says nothing: no percentage and no reason to stop.
        if look.analysis.enough_data:
            looks.append(look)
    adherence = adherence_map(trial)
    evaluation = Evaluation(
        trial, design, over, nights, answer.run_in, baseline, analysis, looks, adherence
    )
    evaluation.report_looks = report_looks(trial, looks)
    evaluation.report = trial_report(
        design, nights, analysis, remedy=remedy_words(trial).noun, remedy_kind=power_kind(trial.kind),
        comparator=_("Nights without %(remedy)s") % {"remedy": remedy_words(trial).noun},
        blinded=trial.blinded, diagnosis=_("Night-time leg cramps, as recorded in the diary"),
        concurrent_treatments=_concurrent_medicines(trial), adherence=adherence,
        looks=evaluation.report_looks, how_length_was_chosen=how_length_was_chosen(trial),
        harms=[trial.stop_note] if trial.stop_reason == Trial.StopReason.SIDE_EFFECTS and trial.stop_note else [],
    )  # fmt: skip
    return evaluation


def _analyze(
    nights: list[TrialNight], threshold: float, baseline: float | None
) -> TrialAnalysis | None:
    try:
        return analyze(nights, threshold=threshold, baseline_per_night=baseline)
    except NotEnoughNights:
        return None


def report_looks(trial: Trial, looks: list[Look]) -> list[Look]:
    """The looks the report lists: up to the one that ended the trial.

    The report reads any look that said "stop" as the reason the trial stopped. When the person
    went on after such a look, listing it would misreport the trial, so only the looks that said
    "go on" are given, and the page says in words which looks the person went past.
    """
    if trial.status == Trial.Status.STOPPED and trial.stop_reason == Trial.StopReason.ANSWER_CLEAR:
        for i, look in enumerate(looks):
            if look.decision is not Decision.CONTINUE:
                return looks[: i + 1]
    return [look for look in looks if look.decision is Decision.CONTINUE]


def _concurrent_medicines(trial: Trial) -> list[str]:
    rows = Medicine.objects.filter(user=trial.owner).only("name", "stopped")
    return list(
        dict.fromkeys(m.name for m in rows if m.stopped is None or m.stopped >= trial.start)
    )


def how_length_was_chosen(trial: Trial) -> str:
    words = remedy_words(trial)
    sentences = length_sentences(trial.baseline_per_week, trial.hoped_ratio, trial.kind, words.noun)
    sentences.append(chosen_length_sentence(trial))
    return " ".join(sentences)


def chosen_length_sentence(trial: Trial) -> str:
    weeks = 2 * trial.pairs * trial.period_nights / 7
    values = {"pairs": trial.pairs, "periods": 2 * trial.pairs, "nights": trial.period_nights,
              "size": trial.block_periods, "weeks": f"{weeks:g}"}  # fmt: skip
    if trial.block_periods == 2:
        return (
            _("The person chose %(pairs)s pairs of %(nights)s-night periods: %(weeks)s weeks.")
            % values
        )
    return (
        _(
            "The person chose %(periods)s periods of %(nights)s nights, in blocks of %(size)s: "
            "%(weeks)s weeks."
        )
        % values
    )


def finished_results(user) -> list[dict[str, Any]]:
    """The person's finished or stopped trials, oldest first, as the doctor's report lists them.

    Each has ``remedy``, ``started``, ``ended`` and ``enough_data``; with enough data also the
    rate ratio (``rate_ratio_median``, ``rate_ratio_ci95``) and the chances (``p_reduction``,
    ``p_meaningful`` with its ``threshold``). A trial with no night on one arm is left out.
    """
    results = []
    for trial in Trial.objects.filter(owner=user).order_by("start"):
        trial = refresh_status(trial)
        if trial.is_active:
            continue  # a running trial has no answer yet
        # Only the final answer: no looks, adherence or CENT report are needed for the list.
        answer = _answer(trial)
        if answer.analysis is None:
            continue
        analysis = answer.analysis
        result: dict[str, Any] = {
            "remedy": remedy_name(trial),
            "started": trial.start,
            "ended": answer.over,
            "enough_data": analysis.enough_data,
            "cramps": analysis.evidence.cramps,
        }
        if analysis.enough_data:
            rr = analysis.rate_ratio
            result.update({
                "rate_ratio_median": rr.median, "rate_ratio_ci95": list(rr.ci95),
                "p_reduction": rr.p_reduction, "p_meaningful": rr.p_meaningful,
                "threshold": rr.threshold,
            })  # fmt: skip
        results.append(result)
    return results
