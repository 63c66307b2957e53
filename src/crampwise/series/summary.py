"""What the series page, its exports and the API show: each consenting patient's row and the
pooled answer. Computed once per change of data.

Each patient's row (their nights, own result and likelihood) comes from ``series.rows``, stored in
the database and computed again only when their data changed; the pooling over the rows' stored
likelihoods is all the page computes. While a blinded series' key is sealed, every figure is by
pack letter ("pack A over pack B"), so nothing shown (or exported) can tell which pack is real;
after unblinding the same figures are by arm ("real over dummy").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from crampwise.series import pooled, rows
from crampwise.series.core.packs import pack_for
from crampwise.series.models import Enrolment, Protocol
from crampwise.trials.core.design import build_schedule
from crampwise.trials.models import Trial
from crampwise.trials.services.catalogue import remedy_words

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PatientRow:
    code: str
    enrolment_id: str
    status: str
    dates: str  # "3 Mar 2025 – 25 May 2025", in the reader's language
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
    return rows.open_enrolments(Enrolment.objects.filter(protocol=protocol).order_by("code"))


def series_summary(protocol: Protocol) -> SeriesSummary:
    """The page's figures, from the cache while nothing has changed.

    Two levels: the whole summary in the cache, keyed by every patient's key and the reader's
    language (it holds words); and each patient's row (their own analysis, the slow part) in the
    database, so a new night from one patient re-analyses that patient only, in any process.
    """
    enrolments = active_enrolments(protocol)
    keys = rows.patient_keys(protocol, enrolments)
    key = "series-summary:" + rows.digest([
        str(protocol.pk), str(protocol.unblinded_at), get_language() or "",
        *(keys[e.pk] for e in enrolments),
    ])  # fmt: skip
    found = cache.get(key)
    if found is None:
        found = replace(compute(protocol, enrolments, keys), key=key)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _row(e: Enrolment, data: dict[str, Any]) -> PatientRow:
    start, end = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
    return PatientRow(
        code=e.code, enrolment_id=str(e.pk), status=str(Trial.Status(data["status"]).label),
        dates=f"{date_format(start, 'j M Y')} – {date_format(end, 'j M Y')}",
        scheduled=data["scheduled"], recorded=data["recorded"], missing=data["missing"],
        washout=data["washout"], followed=data["followed"], answered=data["answered"],
        result=data["result"],
    )  # fmt: skip


def compute(
    protocol: Protocol, enrolments: list[Enrolment], keys: dict[Any, str] | None = None
) -> SeriesSummary:
    """Each patient's row (stored, or computed now when their data changed), then the pooling."""
    keys = keys if keys is not None else rows.patient_keys(protocol, enrolments)
    stored = rows.current_rows(protocol, enrolments, keys)
    patient_rows = [_row(e, stored[e.pk]) for e in enrolments]
    likelihoods = [rows.likelihood_of(stored[e.pk]) for e in enrolments]
    labels = labels_for(protocol)
    result = (
        pooled.pool(
            [one for one in likelihoods if one is not None],
            protocol.threshold,
            left_out=[
                e.code for e, one in zip(enrolments, likelihoods, strict=True) if one is None
            ],
        )
        if enrolments
        else None
    )
    # While the key is sealed, the pooled words (which say "the remedy") would mislead.
    words = (
        tuple(pooled.summary_words(result, remedy_words(protocol.remedy_id).noun))
        if result is not None and not protocol.key_sealed
        else ()
    )
    rates = []
    for arm, label in enumerate(labels):
        nights = sum(stored[e.pk]["arms"][arm][0] for e in enrolments)
        cramps = sum(stored[e.pk]["arms"][arm][1] for e in enrolments)
        rates.append({"label": label, "nights": nights, "cramps": cramps,
                      "per_week": 7 * cramps / nights if nights else None})  # fmt: skip
    return SeriesSummary(
        protocol_id=str(protocol.pk), sealed=protocol.key_sealed, labels=labels,
        rows=tuple(patient_rows), pooled=result, words=words, rates=tuple(rates),
    )  # fmt: skip


def night_rows(protocol: Protocol) -> list[dict[str, Any]]:
    """One row per patient-night for the CSV: code, night, arm or pack, cramps, confirmed."""
    enrolments = active_enrolments(protocol)
    records = rows.records_of(enrolments)
    out = []
    for e in enrolments:
        over = rows.counted_until(e)
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
