"""Keep each shared patient's worklist figures current, so the clinician's list never builds reports.

Every write of a patient's diary, symptom checks or trials ends in ``patient_changed(user_id)``
(through the signals in ``clinician/signals.py``). It asks for one refresh after the transaction
commits: a CSV import of a year of nights, or a check-in that also answers a trial question, is
one refresh, and a write that rolls back is none. Only patients who share their report with a
clinician are refreshed; for everyone else a write costs a dictionary update. Other apps that keep
figures of a patient (a trial series' stored rows) join the same refresh with ``also_refresh``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crampwise.clinician.core import worklist
from crampwise.clinician.models import Grant, PatientSummary
from crampwise.diary import services as diary
from crampwise.diary.core.records import NightRecord, reconcile_cramps
from crampwise.diary.models import Medicine, Night
from crampwise.guidance.models import Assessment

logger = logging.getLogger(__name__)

# Per thread, like Django's own connections: which refreshes were asked for and which were done.
_local = threading.local()
# More refreshes run after the worklist's, each given the patient's id (registered at start-up).
_also: list[Callable[[object], object]] = []


def also_refresh(refresh_patient: Callable[[object], object]) -> None:
    """Run this after each committed change of a patient's data too (once per function)."""
    if refresh_patient not in _also:
        _also.append(refresh_patient)


def _state() -> tuple[dict, dict]:
    if not hasattr(_local, "asked"):
        _local.asked, _local.done, _local.busy = {}, {}, False
    return _local.asked, _local.done


@contextmanager
def paused() -> Iterator[None]:
    """Ask for no refreshes inside: for bulk writers that refresh every patient themselves."""
    _state()
    before = _local.busy
    _local.busy = True
    try:
        yield
    finally:
        _local.busy = before


def patient_changed(user_id) -> None:
    """Refresh this patient's figures once the current transaction commits (at once without one)."""
    asked, _done = _state()
    if _local.busy:
        return  # a write made by a refresh itself (a trial marked finished): already counted
    asked[user_id] = asked.get(user_id, 0) + 1
    number = asked[user_id]
    transaction.on_commit(lambda: _after_commit(user_id, number))


def _after_commit(user_id, number: int) -> None:
    # Callbacks run in the order they were asked for. The first of a committed transaction reads
    # everything it wrote, so it marks every earlier request as done; the rest have nothing to do.
    # A request whose transaction rolled back never runs, and never blocks a later one.
    asked, done = _state()
    if number > done.get(user_id, 0):
        done[user_id] = asked[user_id]
        for refresh in (refresh_if_shared, *_also):
            try:
                with paused():  # its own writes (a trial marked finished) ask for nothing more
                    refresh(user_id)
            except Exception:
                # The patient's write is committed: a refresh that cannot even be stored (the
                # database went away) must not turn their answer into an error page.
                logger.exception(
                    "%s: the figures of patient %s were not refreshed", refresh.__module__, user_id
                )
    if number == asked.get(user_id):
        asked.pop(user_id, None)
        done.pop(user_id, None)


def refresh_if_shared(user_id) -> PatientSummary | None:
    """Recompute the figures when the patient shares with a clinician."""
    if not Grant.objects.filter(patient_id=user_id, revoked_at__isnull=True).exists():
        return None
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    return refresh(user) if user is not None else None


def refresh(user) -> PatientSummary:
    """Compute and store one patient's figures; a broken record is stored as failed and logged."""
    with paused():
        try:
            figures = compute(user)
        except Exception:
            # The internal id only: no name, no health data in the log.
            logger.exception("The worklist figures of patient %s could not be computed", user.pk)
            return _store(user, None)
    return _store(user, figures)


def refresh_many(users: Iterable) -> int:
    count = 0
    for user in users:
        refresh(user)
        count += 1
    return count


def compute(user) -> worklist.Figures:
    """The figures of the patient's Insights page as of their last night, and the reasons' facts."""
    today = diary.last_night(user)
    medicines = [
        worklist.Medicine(name, started)
        for name, started in Medicine.objects.filter(user=user).values_list("name", "started")
    ]
    latest = (
        Assessment.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("result", flat=True)
        .first()
    )
    pending, trial_end = trial_state(user)
    return worklist.figures(
        count_records(user, today),
        today,
        medicines=medicines,
        assessment_flags=(latest or {}).get("flags", []),
        trial_look_pending=pending,
        trial_end=trial_end,
    )


def count_records(user, today) -> list[NightRecord]:
    """The nights up to ``today`` as records holding what rates read: the count and its source.

    Rates and the trend read only these two fields, built by the same rule as ``Night.to_record``
    (``reconcile_cramps``; confirmed when there is a morning answer). Reading three columns
    instead of whole rows is about ten times faster for a year of nights.
    """
    rows = Night.objects.filter(user=user, night__lte=today).values_list(
        "night", "reported_cramps", "episode_count"
    )
    return [
        NightRecord(
            night=night,
            cramps=reconcile_cramps(reported, logged),
            confirmed=reported is not None,
        )
        for night, reported, logged in rows.order_by("night")
    ]


def trial_state(user) -> tuple[bool, date | None]:
    """(a planned look of the running trial says stop, the newest trial's last night)."""
    from crampwise.trials.models import Trial
    from crampwise.trials.services.evaluation import evaluate
    from crampwise.trials.services.tonight import refresh_status

    trial = Trial.objects.filter(owner=user).order_by("-created").first()
    if trial is None:
        return False, None
    trial = refresh_status(trial)  # a trial whose last night is over is finished
    pending = trial.is_active and evaluate(trial).pending_look() is not None
    return pending, trial.end


def _store(user, figures: worklist.Figures | None) -> PatientSummary:
    now = timezone.now()
    if figures is None:
        row = PatientSummary(user=user, as_of=timezone.localdate(now), failed=True, computed_at=now)
    else:
        row = PatientSummary(
            user=user,
            trend_rank=worklist.TREND_RANK.get(figures.trend, 0),
            failed=False,
            computed_at=now,
            **asdict(figures),
        )
    fields = [f.name for f in PatientSummary._meta.concrete_fields if f.name != "user"]
    # One statement, so two refreshes of the same patient at once leave one row.
    PatientSummary.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["user"], update_fields=fields
    )
    return row


def ensure_for(clinician, limit: int) -> int:
    """Compute figures missing for the clinician's patients (data from before the worklist)."""
    missing = list(
        Grant.objects.filter(
            clinician=clinician,
            revoked_at__isnull=True,
            patient__is_active=True,
            patient__clinic_summary__isnull=True,
        ).values_list("patient_id", flat=True)[:limit]
    )
    if not missing:
        return 0
    users = get_user_model().objects.select_related("profile").filter(pk__in=missing)
    return refresh_many(users)


# "The last 4 weeks" moves on by itself while a patient writes nothing: figures older than this
# are recomputed by the worker, a batch a minute (``refresh_stale``).
STALE_AFTER = timedelta(hours=24)


def refresh_stale(limit: int = 200) -> int:
    """Recompute the oldest figures computed more than a day ago, at most ``limit`` of them."""
    cutoff = timezone.now() - STALE_AFTER
    stale = list(
        PatientSummary.objects.filter(
            computed_at__lt=cutoff,
            user__is_active=True,
            user_id__in=Grant.objects.filter(revoked_at__isnull=True).values("patient_id"),
        )
        .order_by("computed_at")
        .values_list("user_id", flat=True)[:limit]
    )
    if not stale:
        return 0
    return refresh_many(get_user_model().objects.select_related("profile").filter(pk__in=stale))
