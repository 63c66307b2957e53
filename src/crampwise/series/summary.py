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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from crampwise.diary.core.records import NightRecord
from crampwise.diary.models import Night
from crampwise.diary.services import last_night
from crampwise.series import pooled
from crampwise.series.core.packs import pack_for, real_pack
from crampwise.series.models import Enrolment, Protocol
from crampwise.trials.core.analysis import NotEnoughNights, analyze, baseline_from_run_in
from crampwise.trials.core.design import build_schedule
from crampwise.trials.core.observations import TrialNight, nights_from_diary, tally
from crampwise.trials.models import Adherence
from crampwise.trials.services.catalogue import BASELINE_WEEKS
from crampwise.trials.services.tonight import refresh_status

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PatientRow:
    code: str
    enrolment_id: str
    status: str
    start: date
    end: date
    scheduled: int  # trial nights so far (run-in not counted)
    recorded: int
    missing: int
    washout: int
    followed: int  # mornings that said the plan was followed
    answered: int  # mornings that answered the question at all
    result: dict[str, Any] | None  # own result (rate ratio of the first label over the second)
    nights: tuple[TrialNight, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class SeriesSummary:
    protocol_id: str
    sealed: bool  # figures are by pack letter; the key is not open
    labels: tuple[str, str]  # what "treated" and "control" mean on this page
    rows: tuple[PatientRow, ...]
    pooled: Any | None  # pooled.PooledResult, None with no patient
    words: tuple[str, ...]
    rates: tuple[dict[str, Any], ...]  # cramps a week on each label, over all patients
    over: dict[str, date] = field(default_factory=dict)


def labels_for(protocol: Protocol) -> tuple[str, str]:
    if protocol.key_sealed:
        return (_("Pack A"), _("Pack B"))
    if protocol.blinded:
        return (_("Real capsules"), _("Dummy capsules"))
    return (_("With the remedy"), _("Without it"))


def active_enrolments(protocol: Protocol) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(protocol=protocol, withdrawn_at__isnull=True)
        .select_related("trial", "patient__profile")
        .order_by("code")
    )


def _cache_key(protocol: Protocol, enrolments: list[Enrolment]) -> str:
    """Changes with any answer, adherence, enrolment, status, unblinding or new night over."""
    patients = [e.patient_id for e in enrolments]
    nights = Night.objects.filter(user_id__in=patients).aggregate(
        latest=Max("updated_at"), count=Count("id")
    )
    answers = Adherence.objects.filter(trial__enrolment__in=enrolments).aggregate(
        latest=Max("recorded_at"), count=Count("id")
    )
    parts = [
        str(protocol.pk), str(protocol.unblinded_at), str(protocol.threshold),
        *(f"{e.pk}:{e.trial.status}:{e.trial.last_trial_night}:{last_night(e.patient)}"
          for e in enrolments),
        str(nights["latest"]), str(nights["count"]), str(answers["latest"]), str(answers["count"]),
    ]  # fmt: skip
    return "series-summary:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def series_summary(protocol: Protocol) -> SeriesSummary:
    """The page's figures, from the cache while nothing has changed."""
    enrolments = active_enrolments(protocol)
    for e in enrolments:
        refresh_status(e.trial)
    key = _cache_key(protocol, enrolments)
    found = cache.get(key)
    if found is None:
        found = compute(protocol, enrolments)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _records(enrolments: list[Enrolment]) -> dict[int, list[NightRecord]]:
    if not enrolments:
        return {}
    first = min(e.trial.start for e in enrolments) - timedelta(weeks=BASELINE_WEEKS)
    by_user: dict[int, list[NightRecord]] = defaultdict(list)
    rows = Night.objects.filter(
        user_id__in=[e.patient_id for e in enrolments], night__gte=first
    ).order_by("night")
    for night in rows:
        by_user[night.user_id].append(night.to_record())
    return by_user


def _relabel(nights: list[TrialNight], flip: bool) -> list[TrialNight]:
    """Nights with "treated" meaning "pack A" when the real pack is B (a sealed key)."""
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


def compute(protocol: Protocol, enrolments: list[Enrolment]) -> SeriesSummary:
    records = _records(enrolments)
    sealed = protocol.key_sealed
    flip = sealed and real_pack(protocol.key_seed) == "B"
    adherence: dict[Any, list[bool]] = defaultdict(list)
    for trial_id, followed in Adherence.objects.filter(
        trial_id__in=[e.trial_id for e in enrolments]
    ).values_list("trial_id", "followed"):
        adherence[trial_id].append(followed)
    rows, overs = [], {}
    for e in enrolments:
        trial = e.trial
        over = min(last_night(e.patient), trial.end)
        overs[e.code] = over
        mine = [r for r in records.get(e.patient_id, []) if r.night <= over]
        nights, run_in = nights_from_diary(build_schedule(trial.design()), mine, until=over)
        before = [r for r in mine if r.night < trial.start]
        baseline = baseline_from_run_in(run_in if trial.run_in_nights else before)
        nights = _relabel(nights, flip)
        counts = tally(nights)
        answers = adherence[trial.pk]
        rows.append(PatientRow(
            code=e.code, enrolment_id=str(e.pk), status=trial.get_status_display(),
            start=trial.start, end=trial.end, scheduled=counts.scheduled,
            recorded=counts.used, missing=counts.missing, washout=counts.washout,
            followed=sum(answers), answered=len(answers),
            result=_own_result(nights, protocol.threshold, baseline), nights=tuple(nights),
        ))  # fmt: skip
    labels = labels_for(protocol)
    result = pooled.pool([(r.code, r.nights) for r in rows], protocol.threshold) if rows else None
    words = tuple(pooled.summary_words(result)) if result is not None else ()
    rates = []
    for treated, label in ((True, labels[0]), (False, labels[1])):
        used = [n for r in rows for n in r.nights if n.used and n.treated is treated]
        cramps = sum(n.cramps or 0 for n in used)
        rates.append({"label": label, "nights": len(used), "cramps": cramps,
                      "per_week": 7 * cramps / len(used) if used else None})  # fmt: skip
    return SeriesSummary(
        protocol_id=str(protocol.pk), sealed=sealed, labels=labels, rows=tuple(rows),
        pooled=result, words=words, rates=tuple(rates), over=overs,
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
