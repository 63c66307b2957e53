"""Medicines: every medicine the person takes, addressed by UUID and always scoped to its owner."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from crampwise.api.errors import ApiProblem, not_found, problem, responses
from crampwise.api.fields import IsoDate, MedicineName, text_rules
from crampwise.api.paging import PageMeta, PageParams, page
from crampwise.diary import services
from crampwise.diary.core import limits
from crampwise.diary.core.records import MEDICINE_PURPOSES, MedicineRecord
from crampwise.diary.models import Medicine

router = Router(tags=["medicines"])

Purpose = Literal[MEDICINE_PURPOSES]  # type: ignore[valid-type]  # the values live in one tuple
Dose = Annotated[str, *text_rules(limits.DOSE_MAX)]
MedicineNote = Annotated[str, *text_rules(limits.MEDICINE_NOTE_MAX)]


class MedicineIn(Schema):
    """A medicine. PUT replaces every field: a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    name: MedicineName = Field(
        description="As on the box; it is the name used in a night's `medicines_taken`."
    )
    dose: Dose = Field("", description="As written on the box, for example “40 mg once a day”.")
    started: IsoDate | None = Field(None, description="When it was started (YYYY-MM-DD).")
    stopped: IsoDate | None = Field(
        None, description="When it was stopped (YYYY-MM-DD); null while still taken."
    )
    purpose: Purpose = Field(
        "other",
        description="cramps_preventive (taken every day against cramps), cramps_at_time "
        "(taken when a cramp happens) or other.",
    )
    note: MedicineNote = ""


class MedicineOut(Schema):
    id: uuid.UUID
    name: str
    dose: str
    started: date | None
    stopped: date | None
    purpose: Purpose
    note: str


class MedicinePage(PageMeta):
    items: list[MedicineOut]


def medicine_out(m: Medicine) -> dict:
    return {
        "id": m.id,
        "name": m.name,
        "dose": m.dose,
        "started": m.started,
        "stopped": m.stopped,
        "purpose": m.purpose if m.purpose in MEDICINE_PURPOSES else "other",
        "note": m.note,
    }


def check_dates(request, payload: MedicineIn) -> None:
    """The diary's rule for a medicine's dates (its name and dose the schema has checked)."""
    record = MedicineRecord(payload.name, payload.dose, payload.started, payload.stopped)
    problems = limits.medicine_record_problems(record, services.date_window(request.user))
    if problems:
        raise ApiProblem(422, [(field, message) for field, message in problems])


def own_medicine(request, medicine_id: uuid.UUID) -> Medicine:
    medicine = Medicine.objects.filter(pk=medicine_id, user=request.user).first()
    if medicine is None:
        raise not_found()
    return medicine


@router.get(
    "/medicines",
    response={200: MedicinePage, **responses(401, 422, 429)},
    operation_id="listMedicines",
    summary="List your medicines",
)
def list_medicines(request, paging: Query[PageParams]):
    items, meta = page(
        Medicine.objects.filter(user=request.user).order_by("-started", "name", "id"), paging
    )
    return {"items": [medicine_out(m) for m in items], **meta}


@router.post(
    "/medicines",
    response={201: MedicineOut, **responses(400, 401, 403, 422, 429)},
    operation_id="createMedicine",
    summary="Add a medicine",
)
def create_medicine(request, payload: MedicineIn):
    check_dates(request, payload)
    too_many = limits.too_many_medicines(Medicine.objects.filter(user=request.user).count())
    if too_many:
        raise problem(422, too_many, None)
    medicine = Medicine.objects.create(user=request.user, **payload.model_dump())
    return Status(201, medicine_out(medicine))


@router.get(
    "/medicines/{medicine_id}",
    response={200: MedicineOut, **responses(401, 404, 422, 429)},
    operation_id="getMedicine",
    summary="Get one medicine",
)
def get_medicine(request, medicine_id: uuid.UUID):
    return medicine_out(own_medicine(request, medicine_id))


@router.put(
    "/medicines/{medicine_id}",
    response={200: MedicineOut, **responses(400, 401, 403, 404, 422, 429)},
    operation_id="replaceMedicine",
    summary="Change a medicine",
)
def replace_medicine(request, medicine_id: uuid.UUID, payload: MedicineIn):
    medicine = own_medicine(request, medicine_id)
    check_dates(request, payload)
    for name, value in payload.model_dump().items():
        setattr(medicine, name, value)
    medicine.save()
    return medicine_out(medicine)


@router.delete(
    "/medicines/{medicine_id}",
    response={204: None, **responses(401, 403, 404, 422, 429)},
    operation_id="deleteMedicine",
    summary="Remove a medicine",
)
def delete_medicine(request, medicine_id: uuid.UUID):
    own_medicine(request, medicine_id).delete()
    return Status(204, None)
