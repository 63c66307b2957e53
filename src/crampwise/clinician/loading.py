"""Load one person's diary and the other features' results, and build the report content.

The only place that joins the database to the pure report: ``report_content`` gets plain records.
The other features are imported directly: insights (``summarize``), guidance (the newest
``Assessment`` and the medicine links), personal trials (``trials.services.finished_results``) and
interop (the FHIR bundle).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.clinician.core.feature_inputs import medicine_changes, medicine_links
from crampwise.clinician.core.report_content import build_report, default_range
from crampwise.diary import services as diary
from crampwise.guidance.models import Assessment
from crampwise.insights import summarize
from crampwise.interop import PatientData, build_bundle
from crampwise.trials.services import finished_results

MAX_RANGE_NIGHTS = 3 * 366  # a longer report is a data export, not something to read


def last_night(user, now: datetime | None = None) -> date:
    """The latest night that is over (the diary's one rule for it)."""
    from crampwise.diary.services import last_night as diary_last_night

    return diary_last_night(user, now)


def resolve_range(
    user, start: date | None, end: date | None, now: datetime | None = None
) -> tuple[date, date]:
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


def latest_assessment(user) -> dict:
    """The newest saved symptom check as ``{"at", "flags", "answers"}``; ``at`` None when there is none."""
    latest = Assessment.objects.filter(user=user).order_by("-created_at").first()
    return latest.to_export() if latest is not None else {"at": None, "flags": []}


def trial_results(user) -> list[dict]:
    """Finished or stopped personal trials, with their answer when there is enough data for one."""
    return finished_results(user)


def load_report(
    user, start: date | None = None, end: date | None = None, now: datetime | None = None
) -> dict:
    """The report content of ``user`` for the period (default: the last 12 weeks)."""
    now = now or timezone.now()
    start, end = resolve_range(user, start, end, now)
    nights = diary.load_nights(user, end=end)  # from the first night: "since when"
    episodes = diary.load_episodes(user, start, end)
    medicines = diary.load_medicines(user)
    in_range = [n for n in nights if n.night >= start]
    # The same nights as the report, so its figures and the Insights page's agree.
    insights = summarize(in_range, episodes, medicines, diary.factor_specs(user), end)
    return build_report(
        nights,
        episodes,
        medicines,
        start=start,
        end=end,
        today=timezone.localdate(now, user.profile.zone),
        patient=patient_info(user),
        insights=insights,
        medicine_links=medicine_links([m.name for m in medicines]),
        medicine_changes=medicine_changes(nights, medicines, end),
        assessment=latest_assessment(user),
        trials=trial_results(user),
    )


FHIR_SEX = {"female": "female", "male": "male", "other": "other"}


def fhir_bundle(user, start: date, end: date, now: datetime | None = None) -> dict:
    """The diary of the period as a FHIR R4 Bundle."""
    profile = user.profile
    assessment = latest_assessment(user)
    data = PatientData(
        username=user.get_username(),
        birth_year=profile.birth_year,
        sex=FHIR_SEX.get(profile.sex),
        time_zone=profile.time_zone,
        nights=diary.load_nights(user, start, end),
        episodes=diary.load_episodes(user, start, end),
        medicines=diary.load_medicines(user),
        factor_specs=diary.factor_specs(user),
        assessments=[assessment] if assessment.get("at") else [],
        trial_results=[t for t in trial_results(user) if t["enough_data"]],
    )
    return build_bundle(data, "collection", generated_at=now or timezone.now())
