"""The series part of the REST API v1 (docs/api.md): the owner's protocols and pooled answers,
and joining a series by its code (a patient)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crampwise.api.errors import problem, responses
from crampwise.clinician.access import is_clinician
from crampwise.series import audit, presentation, services
from crampwise.series.models import Enrolment, Protocol
from crampwise.series.summary import series_summary

router = Router(tags=["series"])


class ProtocolOut(Schema):
    id: uuid.UUID
    title: str
    version: int
    parent: uuid.UUID | None
    remedy: str
    period_nights: int
    washout_nights: int
    run_in_nights: int
    pairs: int
    block_periods: int = Field(
        description="Periods per randomization block: 2 (pairs), 4 or 6 (blocks, half of them "
        "with the remedy, in a random balanced order)."
    )
    threshold: float
    blinded: bool
    unblinded: bool
    finished: bool
    join_code: str
    patients: int
    created_at: datetime


class IndividualOut(Schema):
    patient: str
    median: float
    ci95: list[float]
    unpooled_median: float
    unpooled_ci95: list[float]


class PooledOut(Schema):
    patients: int
    compares: list[str]
    sealed: bool
    threshold: float
    enough_data: bool
    words: list[str]
    rate_ratio_median: float | None = None
    rate_ratio_ci95: list[float] | None = None
    p_reduction: float | None = None
    p_meaningful: float | None = None
    tau_median: float | None = None
    tau_ci95: list[float] | None = None
    predictive_ci: list[float] | None = None
    individuals: list[IndividualOut] | None = None


class JoinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=20, description="The series' join code, as the owner gave it.")
    consent: bool = Field(
        description="true: the patient agrees to share this trial with the series' owner."
    )
    prescriber_agreed: bool = Field(
        False, description="true: the patient's own doctor agreed (needed for a medicine change)."
    )


class EnrolmentOut(Schema):
    id: uuid.UUID
    series: str
    code: str
    trial: uuid.UUID
    consented_at: datetime


def _protocol_out(p: Protocol) -> dict:
    return {
        "id": p.pk, "title": p.title, "version": p.version, "parent": p.parent_id,
        "remedy": p.remedy_id, "period_nights": p.period_nights,
        "washout_nights": p.washout_nights, "run_in_nights": p.run_in_nights, "pairs": p.pairs,
        "block_periods": p.block_periods, "threshold": p.threshold, "blinded": p.blinded,
        "unblinded": p.unblinded_at is not None, "finished": p.finished,
        "join_code": p.join_code, "patients": getattr(p, "patients", 0), "created_at": p.created_at,
    }  # fmt: skip


@router.get(
    "/series/protocols",
    response={200: list[ProtocolOut], **responses(401, 429)},
    operation_id="listSeriesProtocols",
    summary="The signed-in clinician's protocols (empty for anyone else)",
)
def list_protocols(request):
    if not is_clinician(request.user):
        return []
    rows = Protocol.objects.filter(owner=request.user).annotate(
        patients=Count("enrolments", filter=Q(enrolments__withdrawn_at__isnull=True))
    )
    return [_protocol_out(p) for p in rows.order_by("title", "version")]


@router.get(
    "/series/protocols/{protocol_id}/pooled",
    response={200: PooledOut, **responses(401, 404, 422, 429)},
    operation_id="getSeriesPooled",
    summary="A series' pooled answer (its owner only)",
)
def pooled_answer(request, protocol_id: uuid.UUID):
    protocol = None
    if is_clinician(request.user):
        protocol = Protocol.objects.filter(pk=protocol_id, owner=request.user).first()
    if protocol is None:
        raise problem(404, _("There is no such series among yours."))
    out = presentation.pooled_dict(series_summary(protocol), protocol)
    audit.record_view(protocol, request, "page")
    return out


@router.post(
    "/series/join",
    response={201: EnrolmentOut, **responses(400, 401, 403, 404, 422, 429)},
    operation_id="joinSeries",
    summary="Join a series by its code: consent, and a personal trial that starts tonight",
)
def join_series(request, payload: JoinIn):
    if not payload.consent:
        raise problem(400, _("Joining needs your consent to share the trial."), "consent")
    protocol = services.protocol_for_code(payload.code)
    if protocol is None:
        raise problem(404, _("No open series has this code."), "code")
    try:
        enrolment = services.enrol(
            request.user, protocol, prescriber_agreed=payload.prescriber_agreed
        )
    except services.SeriesError as error:
        raise problem(400, str(error), "code") from None
    return Status(201, {
        "id": enrolment.pk, "series": protocol.title, "code": enrolment.code,
        "trial": enrolment.trial_id, "consented_at": enrolment.consented_at,
    })  # fmt: skip


@router.post(
    "/series/enrolments/{enrolment_id}/withdraw",
    response={204: None, **responses(401, 403, 404, 422, 429)},
    operation_id="withdrawFromSeries",
    summary="Stop sharing your trial with a series (your trial stays yours)",
)
def withdraw_from_series(request, enrolment_id: uuid.UUID):
    enrolment = Enrolment.objects.filter(pk=enrolment_id, patient=request.user).first()
    if enrolment is None:
        raise problem(404, _("You are in no such series."))
    services.withdraw(enrolment)
    return Status(204, None)
