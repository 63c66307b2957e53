"""Keep enrolled patients' stored series rows current (``series.rows``).

A row rests on the patient's nights, trial and adherence answers. Nights and trials already end in
the worklist's after-commit refresh (``clinician.summaries.patient_changed``), which runs the
series refresh too; an adherence answer given alone is added here.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from crampwise.clinician.summaries import also_refresh, patient_changed
from crampwise.series import rows
from crampwise.trials.models import Adherence


def refresh_rows(user_id) -> None:
    rows.refresh_patient(user_id)


def _adherence_changed(sender, instance: Adherence, **kwargs) -> None:
    patient_changed(instance.trial.owner_id)


def connect() -> None:
    also_refresh(refresh_rows)
    post_save.connect(_adherence_changed, sender=Adherence, dispatch_uid="series-adherence-save")
    post_delete.connect(_adherence_changed, sender=Adherence, dispatch_uid="series-adherence-del")
