"""Load one person's diary and the other features' results, and build the report content.

The only place that joins the database to the pure report: ``report_content`` gets plain records,
and each other feature is asked through ``optional`` so that a feature still being built shows as
"not available yet". The symptom check and personal trials are read from their features' models
(``guidance.Assessment``, ``trials.Trial`` through ``trials.services.evaluate``), unless those
features offer ``crampwise.guidance.services.latest_assessment(user)`` or
``crampwise.trials.services.finished_results(user)``, which then take precedence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.diary import services as diary

from . import optional
from .report_content import build_report, default_range

MAX_RANGE_NIGHTS = 3 * 366  # a longer report is a data export, not something to read


def last_night(user, now: datetime | None = None) -> date:
    """The latest night that is over (the diary's one rule for it)."""
    from crampwise.diary.services import last_night as diary_last_night  # noqa: PLC0415

    return diary_last_night(user, now)


def resolve_range(user, start: date | None, end: date | None, now: datetime | None = None) -> tuple[date, date]:
    """The report's nights: the given dates, or the 12 weeks up to the last night."""
    if start is None and end is None:
        return default_range(last_night(user, now))
    if end is None:
        end = last_night(user, now)
    if start is None:
        start = default_range(end)[0]
    if end < start:
        raise ValueError(_("The period ends before it starts."))
    if (end - start).days + 1 > MAX_RANGE_NIGHTS:
        raise ValueError(_("A report can cover at most 3 years."))
    return start, end


def patient_info(user) -> dict[str, Any]:
    profile = user.profile
    return {
        "name": user.get_full_name() or user.get_username(),
        "birth_year": profile.birth_year,
        "sex": profile.get_sex_display() if profile.sex else "",
    }


def latest_assessment(user) -> dict | None:
    """The latest symptom check as ``{"at", "flags", "answers"}``; None while guidance is missing."""
    hook = optional.optional_attr("crampwise.guidance.services", "latest_assessment")
    if hook is not None:
        return hook(user) or {"at": None, "flags": []}
    model = _installed_model("crampwise.guidance", "crampwise.guidance.models", "Assessment")
    if model is None:
        return None
    latest = model.objects.filter(user=user).order_by("-created_at").first()
    return latest.to_export() if latest is not None else {"at": None, "flags": []}


def trial_results(user) -> list | None:
    """Finished or stopped personal trials with an answer; None while the trials feature is missing."""
    hook = optional.optional_attr("crampwise.trials.services", "finished_results")
    if hook is not None:
        return list(hook(user))
    model = _installed_model("crampwise.trials", "crampwise.trials.models", "Trial")
    evaluate = optional.optional_attr("crampwise.trials.services", "evaluate")
    refresh = optional.optional_attr("crampwise.trials.services", "refresh_status")
    name_of = optional.optional_attr("crampwise.trials.services", "remedy_name")
    if model is None or evaluate is None or refresh is None or name_of is None:
        return None
    results = []
    for trial in model.objects.filter(owner=user).order_by("start"):
        trial = refresh(trial)
        if trial.is_active:
            continue  # a running trial has no answer yet; its nights are in the table
        evaluation = evaluate(trial)
        if evaluation.analysis is None:
            continue
        rr = evaluation.analysis.rate_ratio
        results.append({
            "remedy": name_of(trial), "started": trial.start, "ended": evaluation.over,
            "rate_ratio_median": rr.median, "rate_ratio_ci95": list(rr.ci95),
            "p_reduction": rr.p_reduction, "p_meaningful": rr.p_meaningful, "threshold": rr.threshold,
        })
    return results


def _installed_model(app: str, module: str, name: str):
    # A model module of an app that is not in INSTALLED_APPS cannot even be imported.
    if not apps.is_installed(app):
        return None
    return optional.optional_attr(module, name)


def load_report(user, start: date | None = None, end: date | None = None, now: datetime | None = None) -> dict:
    """The report content of ``user`` for the period (default: the last 12 weeks)."""
    now = now or timezone.now()
    start, end = resolve_range(user, start, end, now)
    nights = diary.load_nights(user, end=end)  # from the first night: "since when"
    episodes = diary.load_episodes(user, start, end)
    medicines = diary.load_medicines(user)
    in_range = [n for n in nights if n.night >= start]
    summarize = optional.summarize_function()
    insights = None
    if summarize is not None:
        # The same nights as the report, so its figures and the Insights page's agree.
        insights = summarize(in_range, episodes, medicines, diary.factor_specs(user), end)
    return build_report(
        nights, episodes, medicines, start=start, end=end, today=timezone.localdate(now, user.profile.zone),
        patient=patient_info(user), insights=insights,
        medicine_links=optional.medicine_links([m.name for m in medicines]),
        medicine_changes=optional.medicine_changes(nights, medicines, end),
        assessment=latest_assessment(user), trials=trial_results(user),
    )


FHIR_SEX = {"female": "female", "male": "male", "other": "other"}


def fhir_bundle(user, start: date, end: date, now: datetime | None = None) -> dict | None:
    """The diary of the period as a FHIR R4 Bundle, or None while the interop feature is missing."""
    build = optional.build_bundle_function()
    patient_data = optional.patient_data_class()
    if build is None or patient_data is None:
        return None
    profile = user.profile
    assessment = latest_assessment(user)
    data = patient_data(
        username=user.get_username(),
        birth_year=profile.birth_year,
        sex=FHIR_SEX.get(profile.sex),
        time_zone=profile.time_zone,
        nights=diary.load_nights(user, start, end),
        episodes=diary.load_episodes(user, start, end),
        medicines=diary.load_medicines(user),
        factor_specs=diary.factor_specs(user),
        assessments=[assessment] if assessment and assessment.get("at") else [],
        trial_results=trial_results(user) or [],
    )
    return build(data, "collection", generated_at=now or timezone.now())
