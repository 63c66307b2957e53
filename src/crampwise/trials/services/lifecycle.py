"""Creating and stopping a trial: the only writes of a ``Trial``, with the same rules for every caller."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crampwise.diary.services import last_night
from crampwise.trials.core.design import TrialDesign, new_seed
from crampwise.trials.core.rules import can_be_blinded, own_label_problem
from crampwise.trials.models import Trial
from crampwise.trials.services.catalogue import (
    DEFAULT_HOPED_RATIO,
    DEFAULT_THRESHOLD,
    TrialError,
    offered_remedy,
)
from crampwise.trials.services.tonight import refresh_status

# ---- creating and stopping ---------------------------------------------------------------


def create_trial(
    user,
    *,
    remedy_id: str,
    kind: str,
    start: date,
    pairs: int,
    period_nights: int,
    washout_nights: int,
    run_in_nights: int = 0,
    block_periods: int = 2,
    label: str = "",
    threshold: float = DEFAULT_THRESHOLD,
    hoped_ratio: float = DEFAULT_HOPED_RATIO,
    baseline_per_week: float | None = None,
    blinded: bool = False,
    prescriber_agreed: bool = False,
    seed: int | None = None,
) -> Trial:
    """Store a new trial; the same rules as the wizard, so no other caller can skip them."""
    try:
        remedy = offered_remedy(remedy_id)
    except LookupError:
        raise TrialError(_("This remedy cannot be a home trial.")) from None
    if remedy is None:
        label = label.strip()
        if not label:
            raise TrialError(_("Give your remedy a name."))
        problem = own_label_problem(label)
        if problem:
            raise TrialError(problem)
        if kind not in (Trial.Kind.BEHAVIOUR, Trial.Kind.SUPPLEMENT):
            raise TrialError(_("An own remedy is something you do or something you take."))
    else:
        kind = remedy.trial_kind or kind
        label = ""
        if remedy.needs_prescriber_agreement and not prescriber_agreed:
            raise TrialError(_("This trial needs your doctor's agreement first."))
    if blinded and not can_be_blinded(kind):
        raise TrialError(_("Only a trial of capsules can be hidden from you."))
    if not 0 < threshold <= 1:
        raise TrialError(_("The threshold must be a cut between 0% and 100%."))
    seed = new_seed() if seed is None else seed
    # Building the design checks the shape (washout shorter than a period, at least one pair,
    # whole blocks).
    TrialDesign(start=start, seed=seed, pairs=pairs, period_nights=period_nights,
                washout_nights=washout_nights, run_in_nights=run_in_nights,
                block_periods=block_periods)  # fmt: skip
    try:
        with transaction.atomic():
            return Trial.objects.create(
                owner=user, remedy_id=remedy_id, remedy_label=label, kind=kind, seed=seed,
                start=start, period_nights=period_nights, washout_nights=washout_nights,
                run_in_nights=run_in_nights, pairs=pairs, block_periods=block_periods,
                threshold=threshold, hoped_ratio=hoped_ratio,
                baseline_per_week=baseline_per_week, blinded=blinded,
                prescriber_agreed=bool(remedy is not None and remedy.needs_prescriber_agreement
                                       and prescriber_agreed),
            )  # fmt: skip
    except IntegrityError:
        raise TrialError(
            _("You already have a trial running. Stop it before you start another.")
        ) from None


def active_trial(user) -> Trial | None:
    trial = Trial.objects.filter(owner=user, status=Trial.Status.ACTIVE).first()
    if trial is not None:
        refresh_status(trial)
        if not trial.is_active:
            return None
    return trial


def stop_trial(trial: Trial, *, reason: str, note: str = "", now: datetime | None = None) -> Trial:
    """Stop a running trial. Nights from tonight on are plain diary nights again."""
    now = now or timezone.now()
    trial.status = Trial.Status.STOPPED
    trial.stopped_at = now
    trial.stop_reason = reason
    trial.stop_note = note.strip()
    trial.last_trial_night = min(last_night(trial.owner, now), trial.design().end)
    trial.save(
        update_fields=["status", "stopped_at", "stop_reason", "stop_note", "last_trial_night"]
    )
    return trial
