"""Each enrolled patient's row of a series: computed from their nights once, stored for every process.

A row holds what the series page, its exports and the API read about one patient: the nights
scheduled, recorded, missing and washed out so far, the morning adherence answers, their own
result (``trials.core.analysis.analyze``, the function of their own trial page), their cramps and
nights on each arm, and their likelihood of the log rate ratio for the pooling
(``trials.core.pooling.patient_likelihoods``). The per-patient work is nearly all of the cost of a
series page, so rows live in the database (``PatientResult``), not in one process's memory: a
server that has just started pools stored rows.

A row is current while its ``key`` equals the patient's data key (``patient_keys``), which changes
with anything the row rests on. Rows are computed again after each committed change of an enrolled
patient's data (``refresh_patient``, hooked to ``clinician.summaries``' after-commit refresh), by
the worker for rows a new night made stale (``refresh_stale``), and by the page for any still
stale when it is read.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from crampwise.clinician import summaries
from crampwise.diary.core.records import NightRecord, reconcile_cramps
from crampwise.diary.models import Night
from crampwise.diary.services import last_night
from crampwise.series.core.packs import real_pack
from crampwise.series.models import Enrolment, PatientResult, Protocol
from crampwise.trials.core.analysis import NotEnoughNights, analyze, baseline_from_run_in
from crampwise.trials.core.design import build_schedule
from crampwise.trials.core.observations import TrialNight, nights_from_diary, tally
from crampwise.trials.core.pooling import (
    BETA_LIMIT,
    LIKELIHOOD_BETA_POINTS,
    PatientLikelihood,
    PatientTrialData,
    patient_likelihoods,
)
from crampwise.trials.models import Adherence
from crampwise.trials.services.catalogue import BASELINE_WEEKS
from crampwise.trials.services.tonight import refresh_status

logger = logging.getLogger(__name__)

# Part of every key: a change in what a row holds or how it is computed (bump ROW_FORMAT), or in
# the likelihood's grid, makes every stored row stale, so no row of an older shape is ever read.
ROW_FORMAT = f"3:{LIKELIHOOD_BETA_POINTS}:{BETA_LIMIT}"
STALE_BATCH = 1000  # rows the worker recomputes in one pass (every tenth minute)


def digest(parts: list[str]) -> str:
    """A key made of these parts (the rows' keys, and the summary's key made of theirs)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def flipped(protocol: Protocol) -> bool:
    """Whether "treated" must mean "pack A" although pack B is real (a sealed key)."""
    return protocol.key_sealed and real_pack(protocol.key_seed) == "B"


def counted_until(enrolment: Enrolment) -> date:
    """The last night that counts for the patient's row: last night, or the trial's last night."""
    return min(last_night(enrolment.patient), enrolment.trial.end)


def patient_keys(protocol: Protocol, enrolments: list[Enrolment]) -> dict[Any, str]:
    """A key per enrolment that changes with anything its row rests on: any answer or adherence
    answer, the trial's status and dates, a new night over, the threshold and the labels."""
    if not enrolments:
        return {}
    nights = {
        row["user_id"]: (row["latest"], row["count"])
        for row in Night.objects.filter(user_id__in=[e.patient_id for e in enrolments])
        .values("user_id").annotate(latest=Max("updated_at"), count=Count("id"))
    }  # fmt: skip
    answers = {
        row["trial_id"]: (row["latest"], row["count"])
        for row in Adherence.objects.filter(trial_id__in=[e.trial_id for e in enrolments])
        .values("trial_id").annotate(latest=Max("recorded_at"), count=Count("id"))
    }  # fmt: skip
    flip = flipped(protocol)
    return {
        e.pk: digest([
            ROW_FORMAT, str(e.pk), e.code, e.trial.status, str(e.trial.start),
            str(e.trial.last_trial_night), str(counted_until(e)), str(nights.get(e.patient_id)),
            str(answers.get(e.trial_id)), str(protocol.threshold), str(flip),
        ])
        for e in enrolments
    }  # fmt: skip


def records_of(enrolments: list[Enrolment]) -> dict[int, list[NightRecord]]:
    """Every enrolled patient's nights from 8 weeks before their trial, in one query.

    Only the columns the trial analysis reads: building whole ``Night`` rows (with their factors'
    JSON) for thousands of nights costs more than everything else on the page.
    """
    if not enrolments:
        return {}
    first = min(e.trial.start for e in enrolments) - timedelta(weeks=BASELINE_WEEKS)
    by_user: dict[int, list[NightRecord]] = defaultdict(list)
    rows = (
        Night.objects.filter(user_id__in=[e.patient_id for e in enrolments], night__gte=first)
        .order_by("night")
        .values_list("user_id", "night", "reported_cramps", "episode_count", "worst_pain")
    )
    for user_id, night, reported, episodes, worst_pain in rows:
        by_user[user_id].append(NightRecord(
            night=night, cramps=reconcile_cramps(reported, episodes),
            confirmed=reported is not None, worst_pain=worst_pain,
        ))  # fmt: skip
    return by_user


def patient_nights(
    protocol: Protocol, enrolment: Enrolment, records: list[NightRecord]
) -> tuple[list[TrialNight], float | None]:
    """The patient's trial nights so far (labelled as the page compares them) and the baseline."""
    trial = enrolment.trial
    over = counted_until(enrolment)
    mine = [r for r in records if r.night <= over]
    nights, run_in = nights_from_diary(build_schedule(trial.design()), mine, until=over)
    # The same 8 weeks as the trial page: records may reach further back for other patients.
    first = trial.start - timedelta(weeks=BASELINE_WEEKS)
    before = [r for r in mine if first <= r.night < trial.start]
    baseline = baseline_from_run_in(run_in if trial.run_in_nights else before)
    if flipped(protocol):
        nights = [replace(n, treated=not n.treated) for n in nights]
    return nights, baseline


def own_result(
    nights: list[TrialNight], threshold: float, baseline: float | None
) -> dict[str, Any] | None:
    """The patient's own result, as their own trial page computes it; None before any analysis."""
    try:
        analysis = analyze(nights, threshold=threshold, baseline_per_night=baseline)
    except NotEnoughNights:
        return None
    out: dict[str, Any] = {"enough_data": analysis.enough_data}
    if analysis.enough_data:
        rr = analysis.rate_ratio
        out.update(median=rr.median, ci95=list(rr.ci95), p_reduction=rr.p_reduction,
                   p_meaningful=rr.p_meaningful)  # fmt: skip
    return out


def _arm_totals(nights: list[TrialNight], treated: bool) -> list[int]:
    used = [n for n in nights if n.used and n.treated is treated]
    return [len(used), sum(n.cramps or 0 for n in used)]


def compute(protocol: Protocol, enrolments: list[Enrolment]) -> dict[Any, dict[str, Any]]:
    """The rows of these enrolments, from their nights: two queries and one batched likelihood."""
    records = records_of(enrolments)
    # Counted by the database: one row a patient, not one a morning.
    adherence = {
        row["trial_id"]: (row["followed"], row["answered"])
        for row in Adherence.objects.filter(trial_id__in=[e.trial_id for e in enrolments])
        .values("trial_id")
        .annotate(followed=Count("id", filter=Q(followed=True)), answered=Count("id"))
    }
    rows: dict[Any, dict[str, Any]] = {}
    trials = []
    for e in enrolments:
        nights, baseline = patient_nights(protocol, e, records.get(e.patient_id, []))
        counts = tally(nights)
        followed, answered = adherence.get(e.trial_id, (0, 0))
        rows[e.pk] = {
            "status": e.trial.status, "start": e.trial.start.isoformat(),
            "end": e.trial.end.isoformat(), "scheduled": counts.scheduled,
            "recorded": counts.used, "missing": counts.missing, "washout": counts.washout,
            "followed": followed, "answered": answered,
            "result": own_result(nights, protocol.threshold, baseline),
            "arms": [_arm_totals(nights, True), _arm_totals(nights, False)],
            "likelihood": None,
        }  # fmt: skip
        trials.append(PatientTrialData.from_nights(e.code, nights, baseline))
    likelihoods, _left_out = patient_likelihoods(trials)
    by_code = {e.code: e.pk for e in enrolments}
    for one in likelihoods:
        rows[by_code[one.label]]["likelihood"] = one.to_dict()
    return rows


def likelihood_of(row: dict[str, Any]) -> PatientLikelihood | None:
    """What the pooling takes from a row; None when the patient has no used night on both arms."""
    stored = row.get("likelihood")
    return None if stored is None else PatientLikelihood.from_dict(stored)


def store(keys: dict[Any, str], rows: dict[Any, dict[str, Any]]) -> None:
    """Write rows in one statement; a row written meanwhile by another process is replaced.

    In the order of their keys, so two writers of overlapping rows lock them in the same order.
    """
    now = timezone.now()
    PatientResult.objects.bulk_create(
        [PatientResult(enrolment_id=pk, key=keys[pk], data=rows[pk], computed_at=now)
         for pk in sorted(rows, key=str)],
        update_conflicts=True, unique_fields=["enrolment"], update_fields=["key", "data", "computed_at"],
    )  # fmt: skip


def current_rows(
    protocol: Protocol, enrolments: list[Enrolment], keys: dict[Any, str]
) -> dict[Any, dict[str, Any]]:
    """Every enrolment's row: stored ones while current, the rest computed now and stored."""
    stored = {
        pk: data
        for pk, key, data in PatientResult.objects.filter(
            enrolment_id__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "key", "data")
        if key == keys.get(pk)
    }
    stale = [e for e in enrolments if e.pk not in stored]
    if stale:
        fresh = compute(protocol, stale)
        try:
            with transaction.atomic():
                store(keys, fresh)
        except DatabaseError:
            # Storing only saves the next reader work: the page shows what was just computed.
            logger.exception("series rows of protocol %s were not stored", protocol.pk)
        stored.update(fresh)
    return stored


def open_enrolments(enrolments) -> list[Enrolment]:
    """These enrolments without the withdrawn, each trial's status brought up to date (a trial
    whose last night is over is finished: part of the key)."""
    found = list(
        enrolments.filter(withdrawn_at__isnull=True).select_related(
            "protocol", "trial", "patient__profile"
        )
    )
    for e in found:
        e.trial.owner = e.patient  # the same person: no query per trial for its owner's clock
        refresh_status(e.trial)
    return found


def _refresh(enrolments: list[Enrolment], only_stale: bool) -> int:
    by_protocol: dict[Any, list[Enrolment]] = defaultdict(list)
    for e in enrolments:
        by_protocol[e.protocol_id].append(e)
    done = 0
    for group in by_protocol.values():
        protocol = group[0].protocol
        keys = patient_keys(protocol, group)
        if only_stale:
            current = set(
                PatientResult.objects.filter(enrolment__in=group).values_list("enrolment_id", "key")
            )
            group = [e for e in group if (e.pk, keys[e.pk]) not in current]
        if group:
            store(keys, compute(protocol, group))
            done += len(group)
    return done


def refresh_patient(user_id) -> int:
    """Recompute the rows of the patient's open enrolments (after their data changed)."""
    return _refresh(open_enrolments(Enrolment.objects.filter(patient_id=user_id)), only_stale=False)


def refresh_stale(limit: int = STALE_BATCH) -> int:
    """Recompute up to ``limit`` rows of unfinished series that a new night (or none) made stale.

    A row's key holds its last counted night, so each morning every running trial's row goes
    stale even with no new answer (a night without an answer is a missing night), and a trial
    whose last night is over becomes finished. The worker calls this each pass, so the owner's
    first look of the day pools stored rows.
    """
    # Its own writes (a trial marked finished) need no after-commit refresh: rows are made here.
    with summaries.paused():
        running = open_enrolments(Enrolment.objects.filter(protocol__finished_at__isnull=True))
    done = 0
    for start in range(0, len(running), limit):
        done += _refresh(running[start : start + limit], only_stale=True)
        if done >= limit:
            break
    return done
