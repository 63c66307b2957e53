"""What the series page, its exports and the API show: each consenting patient's nights, own
result, adherence and missing nights, and the pooled answer. Computed once per change of data.

All the nights of all enrolled patients are read in one query and joined to each patient's
schedule by the trials core (``nights_from_diary``, ``analyze``), the same functions the
single-trial page uses. While a blinded series' key is sealed, every figure is by pack letter
("pack A over pack B"), so nothing shown (or exported) can tell which pack is real; after
unblinding the same figures are by arm ("real over dummy").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crampwise.diary.core.records import NightRecord, reconcile_cramps
from crampwise.diary.models import Night
from crampwise.diary.services import last_night
from crampwise.series import pooled
from crampwise.series.core.packs import pack_for, real_pack
from crampwise.series.models import Enrolment, Protocol
from crampwise.trials.core.analysis import NotEnoughNights, analyze, baseline_from_run_in
from crampwise.trials.core.design import build_schedule
from crampwise.trials.core.observations import TrialNight, nights_from_diary, tally
from crampwise.trials.models import Adherence
from crampwise.trials.services.catalogue import BASELINE_WEEKS, remedy_words
from crampwise.trials.services.tonight import refresh_status

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PatientRow:
    code: str
    enrolment_id: str
    status: str
    dates: str  # "3 Mar 2025 – 25 May 2025", made once when the row is computed
    scheduled: int  # trial nights so far (run-in not counted)
    recorded: int
    missing: int
    washout: int
    followed: int  # mornings that said the plan was followed
    answered: int  # mornings that answered the question at all
    result: dict[str, Any] | None  # own result (rate ratio of the first label over the second)


@dataclass(frozen=True)
class SeriesSummary:
    protocol_id: str
    sealed: bool  # figures are by pack letter; the key is not open
    labels: tuple[str, str]  # what "treated" and "control" mean on this page
    rows: tuple[PatientRow, ...]
    pooled: Any | None  # pooled.PooledResult, None with no patient
    words: tuple[str, ...]
    rates: tuple[dict[str, Any], ...]  # cramps a week on each label, over all patients
    key: str = ""  # the cache key: the page caches its rendered figures under it too


def labels_for(protocol: Protocol) -> tuple[str, str]:
    """What the two arms are called in sentences ("a rate ratio of pack A over pack B")."""
    if protocol.key_sealed:
        return (_("pack A"), _("pack B"))
    if protocol.blinded:
        return (_("real capsules"), _("dummy capsules"))
    return (_("remedy nights"), _("nights without"))


def active_enrolments(protocol: Protocol) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(protocol=protocol, withdrawn_at__isnull=True)
        .select_related("trial", "patient__profile")
        .order_by("code")
    )


def _hash(parts: list[str]) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def patient_keys(protocol: Protocol, enrolments: list[Enrolment]) -> dict[Any, str]:
    """A key per enrolment that changes with anything its row rests on: any answer or adherence
    answer, the trial's status and dates, a new night over, the threshold and the labels."""
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
    flip = _flipped(protocol)
    return {
        e.pk: _hash([
            str(e.pk), e.code, e.trial.status, str(e.trial.start), str(e.trial.last_trial_night),
            str(last_night(e.patient)), str(nights.get(e.patient_id)),
            str(answers.get(e.trial_id)), str(protocol.threshold), str(flip),
        ])
        for e in enrolments
    }  # fmt: skip


def series_summary(protocol: Protocol) -> SeriesSummary:
    """The page's figures, from the cache while nothing has changed.

    Two levels: the whole summary, keyed by every patient's key; and each patient's row (their
    own analysis, the slow part), so a new night from one patient re-analyses that patient only.
    """
    enrolments = active_enrolments(protocol)
    for e in enrolments:
        refresh_status(e.trial)
    keys = patient_keys(protocol, enrolments)
    key = "series-summary:" + _hash(
        [str(protocol.pk), str(protocol.unblinded_at), *(keys[e.pk] for e in enrolments)]
    )
    found = cache.get(key)
    if found is None:
        found = replace(compute(protocol, enrolments, keys), key=key)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _records(enrolments: list[Enrolment]) -> dict[int, list[NightRecord]]:
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


def _flipped(protocol: Protocol) -> bool:
    """Whether "treated" must mean "pack A" although pack B is real (a sealed key)."""
    return protocol.key_sealed and real_pack(protocol.key_seed) == "B"


def _relabel(nights: list[TrialNight], flip: bool) -> list[TrialNight]:
    return [replace(n, treated=not n.treated) for n in nights] if flip else nights


def _own_result(nights: list[TrialNight], threshold: float, baseline: float | None):
    try:
        analysis = analyze(nights, threshold=threshold, baseline_per_night=baseline)
    except NotEnoughNights:
        return None
    out: dict[str, Any] = {"enough_data": analysis.enough_data}
    if analysis.enough_data:
        rr = analysis.rate_ratio
        out.update(median=rr.median, ci95=tuple(rr.ci95), p_reduction=rr.p_reduction,
                   p_meaningful=rr.p_meaningful)  # fmt: skip
    return out


def patient_nights(
    protocol: Protocol, enrolment: Enrolment, records: list[NightRecord]
) -> tuple[list[TrialNight], float | None]:
    """The patient's trial nights so far (labelled as the page compares them) and the baseline."""
    trial = enrolment.trial
    over = min(last_night(enrolment.patient), trial.end)
    mine = [r for r in records if r.night <= over]
    nights, run_in = nights_from_diary(build_schedule(trial.design()), mine, until=over)
    before = [r for r in mine if r.night < trial.start]
    baseline = baseline_from_run_in(run_in if trial.run_in_nights else before)
    return _relabel(nights, _flipped(protocol)), baseline


def _row(protocol: Protocol, e: Enrolment, nights, baseline, answers: list[bool]) -> PatientRow:
    counts = tally(nights)
    trial = e.trial
    return PatientRow(
        code=e.code, enrolment_id=str(e.pk), status=str(trial.get_status_display()),
        dates=f"{date_format(trial.start, 'j M Y')} – {date_format(trial.end, 'j M Y')}",
        scheduled=counts.scheduled, recorded=counts.used, missing=counts.missing,
        washout=counts.washout, followed=sum(answers), answered=len(answers),
        result=_own_result(nights, protocol.threshold, baseline),
    )  # fmt: skip


def _packed(nights: list[TrialNight]) -> tuple[tuple[Any, ...], ...]:
    """Nights as plain tuples: the cache reads these back far faster than dataclasses."""
    return tuple((n.night, n.treated, n.period, n.washout, n.cramps, n.worst_pain) for n in nights)


def _unpacked(packed: tuple[tuple[Any, ...], ...]) -> list[TrialNight]:
    return [TrialNight(*fields) for fields in packed]


def compute(
    protocol: Protocol, enrolments: list[Enrolment], keys: dict[Any, str] | None = None
) -> SeriesSummary:
    """Each patient's row and nights (from the cache when their key is unchanged), then the pooling."""
    keys = keys if keys is not None else patient_keys(protocol, enrolments)
    row_keys = {e.pk: "series-patient:" + keys[e.pk] for e in enrolments}
    cached = cache.get_many(list(row_keys.values()))
    stale = [e for e in enrolments if row_keys[e.pk] not in cached]
    records = _records(stale)
    adherence: dict[Any, list[bool]] = defaultdict(list)
    for trial_id, followed in Adherence.objects.filter(
        trial_id__in=[e.trial_id for e in stale]
    ).values_list("trial_id", "followed"):
        adherence[trial_id].append(followed)
    fresh = {}
    for e in stale:
        nights, baseline = patient_nights(protocol, e, records.get(e.patient_id, []))
        row = _row(protocol, e, nights, baseline, adherence[e.trial_id])
        fresh[row_keys[e.pk]] = (row, _packed(nights), baseline)
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    rows, pooling_input = [], []
    for e in enrolments:
        row, packed, baseline = fresh.get(row_keys[e.pk]) or cached[row_keys[e.pk]]
        rows.append(row)
        pooling_input.append((e.code, _unpacked(packed), baseline))
    labels = labels_for(protocol)
    result = pooled.pool(pooling_input, protocol.threshold) if rows else None
    # While the key is sealed, the pooled words (which say "the remedy") would mislead.
    words = (
        tuple(pooled.summary_words(result, remedy_words(protocol.remedy_id).noun))
        if result is not None and not protocol.key_sealed
        else ()
    )
    rates = []
    for treated, label in ((True, labels[0]), (False, labels[1])):
        used = [
            n for _, nights, _ in pooling_input for n in nights if n.used and n.treated is treated
        ]
        cramps = sum(n.cramps or 0 for n in used)
        rates.append({"label": label, "nights": len(used), "cramps": cramps,
                      "per_week": 7 * cramps / len(used) if used else None})  # fmt: skip
    return SeriesSummary(
        protocol_id=str(protocol.pk), sealed=protocol.key_sealed, labels=labels, rows=tuple(rows),
        pooled=result, words=words, rates=tuple(rates),
    )  # fmt: skip


def night_rows(protocol: Protocol) -> list[dict[str, Any]]:
    """One row per patient-night for the CSV: code, night, arm or pack, cramps, confirmed."""
    enrolments = active_enrolments(protocol)
    records = _records(enrolments)
    out = []
    for e in enrolments:
        over = min(last_night(e.patient), e.trial.end)
        by_night = {r.night: r for r in records.get(e.patient_id, [])}
        for scheduled in build_schedule(e.trial.design()):
            if scheduled.night > over:
                break
            record = by_night.get(scheduled.night)
            pack = pack_for(scheduled.arm, protocol.key_seed) if protocol.blinded else None
            if protocol.key_sealed:
                arm = ""  # the arm would open the key
            else:
                arm = scheduled.arm.value
            out.append({
                "patient": e.code, "night": scheduled.night.isoformat(), "arm": arm,
                "pack": pack or "", "washout": "yes" if scheduled.washout else "no",
                "cramps": "" if record is None or record.cramps is None else record.cramps,
                "confirmed": "" if record is None else ("yes" if record.confirmed else "no"),
            })  # fmt: skip
    return out
