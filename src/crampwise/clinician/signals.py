"""Which writes change a patient's worklist figures: every save and delete of the rows they read.

Model signals catch writes wherever they are made (views, the API, the command line, imports).
The diary's nights are written in bulk (the check-in's upsert, imports, a logged cramp's count)
and deleted in bulk, which send no model signals, so ``diary.services`` sends
``diary.signals.nights_written`` after each. Nights and episodes have no delete receivers on
purpose: one would turn every bulk delete of them into a row-by-row one.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from crampwise.clinician.models import Grant
from crampwise.clinician.summaries import patient_changed
from crampwise.diary.models import Medicine, Night
from crampwise.diary.signals import nights_written
from crampwise.guidance.models import Assessment
from crampwise.trials.models import Trial

OWNER_FIELD = {Night: "user_id", Medicine: "user_id", Assessment: "user_id"}


def _row_changed(sender, instance, **kwargs) -> None:
    patient_changed(getattr(instance, OWNER_FIELD[sender]))


def _trial_changed(sender, instance, **kwargs) -> None:
    patient_changed(instance.owner_id)


def _grant_saved(sender, instance, created, **kwargs) -> None:
    # A new grant: the clinician should see the patient's figures at once. A withdrawal needs
    # nothing: the list joins through open grants only.
    if created:
        patient_changed(instance.patient_id)


def _nights_written(sender, user_id, **kwargs) -> None:
    patient_changed(user_id)


def connect() -> None:
    for model in (Medicine, Assessment):
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"summary-save-{model.__name__}")
        post_delete.connect(
            _row_changed, sender=model, dispatch_uid=f"summary-delete-{model.__name__}"
        )
    post_save.connect(_row_changed, sender=Night, dispatch_uid="summary-save-Night")
    post_save.connect(_trial_changed, sender=Trial, dispatch_uid="summary-save-trial")
    post_delete.connect(_trial_changed, sender=Trial, dispatch_uid="summary-delete-trial")
    post_save.connect(_grant_saved, sender=Grant, dispatch_uid="summary-grant")
    nights_written.connect(_nights_written, dispatch_uid="summary-nights-written")
