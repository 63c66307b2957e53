"""Pages of personal trials: the wizard, the trial page with its answer, the report, stopping.

Thin views over ``trials.services``. Every trial is fetched with ``owner=request.user``, so a
trial id in a URL can never reach another person's trial: anybody else, a clinician included,
gets the same 404 as for an id that does not exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crampwise.core.knowledge import get_remedy, trial_evidence
from crampwise.diary import services as diary_services
from crampwise.series.patient import in_blinded_series, series_note
from crampwise.trials.core.design import Arm, assignment_for, period_plans
from crampwise.trials.core.rules import can_be_blinded
from crampwise.trials.core.stopping import DEFAULT_RULE
from crampwise.trials.core.wording import WORKS_PROBABILITY
from crampwise.trials.forms import DesignForm, NightAdherenceForm, StopForm
from crampwise.trials.models import OWN_REMEDY, Adherence, Trial
from crampwise.trials.services import catalogue, chart, lifecycle, presentation, wizard
from crampwise.trials.services import tonight as nights
from crampwise.trials.services.evaluation import evaluate


def _own_trial(request, trial_id) -> Trial:
    trial = get_object_or_404(Trial, pk=trial_id, owner=request.user)
    return nights.refresh_status(trial)


@login_required
@require_GET
def trial_list(request):
    trials = [nights.refresh_status(t) for t in Trial.objects.filter(owner=request.user)]
    rows = [{"trial": t, "name": catalogue.remedy_name(t)} for t in trials]
    return render(
        request, "trials/list.html", {"rows": rows, "active": lifecycle.active_trial(request.user)}
    )


# ---- the wizard ------------------------------------------------------------------------


@login_required
@require_GET
def trial_new(request):
    """Step 1: choose a remedy. Quinine is not among them, and the page says why."""
    try:
        quinine = get_remedy(catalogue.QUININE)
    except KeyError:
        quinine = None
    return render(request, "trials/new.html", {
        "remedies": catalogue.catalogue(),
        "quinine": quinine,
        "active": lifecycle.active_trial(request.user),
    })  # fmt: skip


def _evidence_against(remedy_id: str) -> dict[str, Any] | None:
    """The evidence base's word before a trial of a remedy research found does not help
    (magnesium), with the citations of its sources; None for every other remedy."""
    try:
        evidence = trial_evidence(remedy_id)
    except KeyError:
        return None  # a remedy of one's own
    if evidence.warning is None:
        return None
    cited = evidence.warning.sources
    return {
        "text": evidence.warning.text,
        "grade": evidence.grade,
        "citations": [s.citation for s in evidence.sources if s.key in cited],
    }


@login_required
@require_http_methods(["GET", "POST"])
def trial_new_design(request, remedy_id: str):
    """Step 2: the remedy's evidence and safety first, then the design, then start."""
    try:
        remedy = catalogue.offered_remedy(remedy_id)
    except LookupError:
        raise Http404("not a remedy for a home trial") from None
    user = request.user
    active = lifecycle.active_trial(user)
    if active is not None:
        messages.info(
            request, _("You already have a trial running. Stop it before you start another.")
        )
        return redirect("trial_detail", trial_id=active.pk)
    tonight = nights.plan_night(user)
    baseline = wizard.diary_baseline(user, tonight)
    per_week = baseline.per_week if baseline.enough else None
    if request.method == "POST":
        form = DesignForm(request.POST, remedy=remedy)
    else:
        form = DesignForm(remedy=remedy)
        period, _washout = form.timing()
        form.initial["pairs"] = wizard.recommended_pairs(
            per_week, catalogue.DEFAULT_HOPED_RATIO, form.kind(), period
        )
    kind = form.kind()
    period, washout = form.timing()
    hoped, pairs = catalogue.DEFAULT_HOPED_RATIO, form.initial.get("pairs")
    noun = catalogue.remedy_words(remedy_id).noun if remedy else _("your remedy")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        hoped, period, pairs = data["hoped_ratio"], data["period_nights"], data["pairs"]
        if remedy is None:
            noun = data["label"]
        # The start button, not the "start" (which night) field, creates the trial.
        if request.POST.get("action") == "begin":
            try:
                trial = lifecycle.create_trial(
                    user, remedy_id=remedy_id, kind=kind, label=data.get("label", ""),
                    start=tonight + timedelta(days=1 if data["start"] == "tomorrow" else 0),
                    pairs=pairs, period_nights=period, washout_nights=washout,
                    run_in_nights=0 if baseline.enough else catalogue.RUN_IN_NIGHTS,
                    threshold=data["threshold"], hoped_ratio=hoped, baseline_per_week=per_week,
                    blinded=data.get("blinded", False),
                    prescriber_agreed=data.get("prescriber_agreed", False),
                )  # fmt: skip
            except (catalogue.TrialError, ValueError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Your trial has started. This page shows each night's plan.")
                )
                return redirect("trial_detail", trial_id=trial.pk)
    chosen = None
    if pairs:
        chosen = wizard.chosen_length_sentence(per_week, hoped, period, washout, int(pairs))
    return render(request, "trials/new_design.html", {
        "remedy": remedy,
        "against": _evidence_against(remedy_id),
        "noun": noun,
        "remedy_id": remedy_id,
        "own": remedy_id == OWN_REMEDY,
        "form": form,
        "baseline": baseline,
        "baseline_sentence": wizard.baseline_sentence(baseline),
        "length_sentences": wizard.length_sentences(per_week, hoped, kind, noun),
        "chosen_sentence": chosen,
        "washout": washout,
        "blindable": can_be_blinded(kind),
        "default_length": default_length(form, per_week),
    })  # fmt: skip


def default_length(form, per_week: float | None) -> dict:
    """The suggested design in numbers, so the page can say where its length comes from."""
    period, _washout = form.timing()
    pairs = wizard.recommended_pairs(per_week, catalogue.DEFAULT_HOPED_RATIO, form.kind(), period)
    return {
        "pairs": pairs,
        "period": period,
        "weeks": round(2 * pairs * period / 7),
        "from_diary": per_week is not None,
    }


# ---- one trial ------------------------------------------------------------------------


def _latest_night(trial: Trial):
    return min(diary_services.last_night(trial.owner), trial.end)


def _adherence_form(trial: Trial, data=None):
    """The "did you follow it?" question for the latest night that has ended, if it asks one."""
    night = _latest_night(trial)
    scheduled = assignment_for(trial.design(), night) if night >= trial.start else None
    if scheduled is None or scheduled.arm is Arm.BASELINE:
        return None
    stored = (
        Adherence.objects.filter(trial=trial, night=night)
        .values_list("followed", flat=True)
        .first()
    )
    initial = {"night": night}
    if stored is not None:
        initial["followed"] = "yes" if stored else "no"
    return NightAdherenceForm(data, plan=nights.bare_plan(trial, scheduled), initial=initial)


def _render_trial(request, trial: Trial, *, stop_form=None, adherence_form=None):
    evaluation = evaluate(trial)
    words = catalogue.remedy_words(trial)
    running, block_periods = trial.is_active, trial.block_periods
    looks = [
        {"look": look,
         "sentence": presentation.look_sentence(look, words.noun, running=running,
                                                block_periods=block_periods),
         "number": look.pairs_complete // evaluation.design.pairs_per_block,  # pair or block
         "p_reduction": presentation.percent(look.p_reduction),
         "p_worthwhile": presentation.percent(look.p_worthwhile),
         "label": presentation.look_label(look)}
        for look in evaluation.looks
    ]  # fmt: skip
    label = chart.chart_label(evaluation)
    return render(request, "trials/detail.html", {
        "trial": trial,
        "name": catalogue.remedy_name(trial),
        "noun": words.noun,
        "evaluation": evaluation,
        "tonight": nights.tonight_for(request.user) if trial.is_active else None,
        "starts_later": trial.is_active and trial.start > nights.plan_night(request.user),
        "upcoming": presentation.upcoming_nights(trial),
        "rows": presentation.schedule_rows(evaluation),
        "run_in": presentation.run_in_dates(trial),
        "hide_arms": presentation.hide_arms(trial),
        "progress": presentation.progress(evaluation),
        "result": presentation.result_numbers(evaluation),
        "waiting": presentation.waiting_sentences(evaluation),
        "chart": chart.chart_svg(evaluation, label),
        "chart_label": label,
        "chart_rows": chart.chart_data(evaluation),
        "looks": looks,
        "latest_look": looks[-1] if looks else None,
        "next_look": presentation.next_look_sentence(evaluation),
        "first_look": presentation.first_look_words(evaluation.design),
        "adherence_form": adherence_form or _adherence_form(trial),
        "stop_form": stop_form or StopForm(),
        "series": series_note(trial),
    })  # fmt: skip


@login_required
@require_GET
def trial_detail(request, trial_id):
    return _render_trial(request, _own_trial(request, trial_id))


@login_required
@require_POST
def trial_adherence(request, trial_id):
    """Record, from the trial page, whether the latest night's plan was followed."""
    trial = _own_trial(request, trial_id)
    form = _adherence_form(trial, data=request.POST)
    if form is None:
        messages.info(request, _("There is no trial night to answer about yet."))
        return redirect("trial_detail", trial_id=trial.pk)
    night = _latest_night(trial)
    if not form.is_valid() or form.cleaned_data["night"] != night:
        # Only the latest night is asked here; older nights are answered in their check-in.
        return _render_trial(request, trial, adherence_form=form)
    if form.cleaned_data["followed"] is not None:
        nights.save_adherence(request.user, night, form.cleaned_data["followed"])
        messages.success(request, _("Thank you. Your answer is saved."))
    return redirect("trial_detail", trial_id=trial.pk)


@login_required
@require_POST
def trial_stop(request, trial_id):
    trial = _own_trial(request, trial_id)
    if not trial.is_active:
        messages.info(request, _("This trial is already over."))
        return redirect("trial_detail", trial_id=trial.pk)
    form = StopForm(request.POST)
    if not form.is_valid():
        return _render_trial(request, trial, stop_form=form)
    lifecycle.stop_trial(trial, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
    messages.success(
        request, _("The trial is stopped. Its answer below rests on the nights so far.")
    )
    return redirect("trial_detail", trial_id=trial.pk)


@login_required
@require_GET
def trial_report(request, trial_id):
    """The CENT 2015 report: every item a reader of an N-of-1 trial should find."""
    trial = _own_trial(request, trial_id)
    evaluation = evaluate(trial)
    report = evaluation.report
    noun = catalogue.remedy_words(trial).noun
    went_past = [
        presentation.look_sentence(look, noun, running=False, block_periods=trial.block_periods)
        for look in evaluation.looks_gone_past()
    ]
    pending = evaluation.pending_look()
    return render(request, "trials/report.html", {
        "trial": trial,
        "report": report,
        "rows": presentation.schedule_rows(evaluation),
        "run_in": presentation.run_in_dates(trial),
        "evaluation": evaluation,
        "hide_arms": presentation.hide_arms(trial),
        "went_past": went_past,
        "pending": presentation.look_sentence(pending, noun, block_periods=trial.block_periods)
        if pending else None,
        "summary_numbers": presentation.result_numbers(evaluation),
    })  # fmt: skip


@login_required
@require_GET
def trial_packs(request, trial_id):
    """For a blinded trial: which pack holds the real capsules, for the helper who packs them."""
    trial = _own_trial(request, trial_id)
    if not trial.blinded or in_blinded_series(trial):
        # A series' packs come from its pharmacy; the list would tell which pack is real.
        raise Http404("only a blinded trial of one's own has a pack list")
    # The plan only: the pack list must not wait for (or show) any analysis.
    rows = [
        {"period": plan.period + 1, "first": plan.first_night, "last": plan.last_night,
         "real": plan.arm is Arm.TREATMENT}
        for plan in period_plans(trial.design())
    ]  # fmt: skip
    return render(
        request,
        "trials/packs.html",
        {"trial": trial, "name": catalogue.remedy_name(trial), "rows": rows},
    )


@require_GET
def trial_looks(request):
    """How the looks along the way work, and how often they are wrong (open to everyone)."""
    rows = [
        {"rate": rate, "weeks_per_period": period // 7, "ratio": ratio,
         "cut": round(100 * (1 - ratio)), "works": works, "futile": futile, "end": end,
         "weeks": weeks}
        for rate, period, ratio, works, futile, end, weeks in presentation.LOOK_CHARACTERISTICS
    ]  # fmt: skip
    rule = DEFAULT_RULE
    return render(request, "trials/looks.html", {
        "rows": rows,
        "efficacy": f"{100 * rule.efficacy:g}",
        "works_chance": f"{100 * WORKS_PROBABILITY:g}",
        "futile_chance": f"{100 * rule.futility_probability:g}",
        "futile_cut": round(100 * (1 - rule.futility_ratio)),
        "first_look": rule.first_look_pairs,
    })  # fmt: skip
