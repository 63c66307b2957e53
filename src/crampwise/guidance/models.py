"""Stored assessments and evening checklists (the Django side of crampwise.guidance)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models


class Assessment(models.Model):
    """One run of the assessment: the answers as given and the result as it was shown.

    The result is kept, not recomputed, because it is a record of what the person was told under
    the evidence base of that day (``evidence_version``); the report and the FHIR export read it.
    A UUID key, so an id in a URL says nothing about how many checks anyone has made.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    answers = models.JSONField()  # the input of guidance.assessment.assess, as documented
    result = models.JSONField()  # its output
    evidence_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="assessment_by_user")]

    def __str__(self) -> str:
        return f"assessment of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def urgent(self) -> bool:
        return bool(self.result.get("urgent"))

    def to_export(self) -> dict[str, Any]:
        """The mapping ``interop.patient_data.PatientData.assessments`` expects."""
        return {
            "answers": self.answers,
            "flags": self.result.get("flags", []),
            "at": self.created_at,
        }


class EveningChecklist(models.Model):
    """The bedtime prevention checklist of one night (named by its evening, like ``Night``).

    Kept apart from ``diary.Night`` on purpose: saving a Night marks it checked in, and a night
    with only evening answers has no cramp count yet. The answers only pre-fill the next
    morning's check-in (``checklist_initial``), where the person confirms them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evening_checklists"
    )
    night = models.DateField()
    # Diary factor name -> value: true/false for yes/no factors, a number for count factors.
    answers = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "night"], name="one_checklist_per_night")
        ]
        ordering = ["-night"]

    def __str__(self) -> str:
        return f"evening checklist of {self.night}"


def checklist_initial(user, night: date) -> dict[str, Any]:
    """Morning check-in initial values from the evening checklist of ``night`` ({} if none).

    Keys are the check-in form's field names: ``f_stretched`` and ``f_supportive_shoes`` get
    "yes"/"no", ``f_fluid_glasses`` and ``f_exercise_minutes`` a number. Unanswered items are
    left out, so they never overwrite another pre-fill with a blank.
    """
    checklist = EveningChecklist.objects.filter(user=user, night=night).only("answers").first()
    if checklist is None:
        return {}
    initial: dict[str, Any] = {}
    for name, value in checklist.answers.items():
        if value is None:
            continue
        initial[f"f_{name}"] = ("yes" if value else "no") if isinstance(value, bool) else value
    return initial
