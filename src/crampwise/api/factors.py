"""Daily factors: the built-in ones and the person's own (the nightly CSV's factor columns)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, ConfigDict

from crampwise.api.errors import problem, responses
from crampwise.api.fields import checked
from crampwise.api.paging import PageMeta, PageParams, page
from crampwise.diary import services
from crampwise.diary.core import limits
from crampwise.diary.core.csvformat import FIXED_COLUMNS
from crampwise.diary.core.records import FactorSpec
from crampwise.diary.models import CustomFactor

router = Router(tags=["factors"])

Kind = Literal["yes_no", "count"]


# The diary's own rules, in the same words as the web form (built-in columns included).
Label = Annotated[
    str,
    BeforeValidator(lambda v: checked(limits.factor_label_problem(v), v)),
    Field(min_length=1, max_length=limits.FACTOR_LABEL_MAX),
]
Name = Annotated[
    str, BeforeValidator(lambda v: checked(limits.factor_name_problem(v, FIXED_COLUMNS), v))
]


class FactorOut(Schema):
    name: str = Field(description="The CSV column name, and the key in a night's `factors`.")
    kind: Kind = Field(description="yes_no (true/false) or count (a number of 0 or more).")
    label: str = Field(description="The question asked in the morning check-in.")
    builtin: bool


class FactorPage(PageMeta):
    items: list[FactorOut]


class FactorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(
        pattern=limits.FACTOR_NAME.pattern,
        description="Lower-case letters, digits and _, starting with a letter; at most 40.",
    )
    label: Label = Field(description="The question to ask each morning, such as “Late dinner?”.")
    kind: Kind = "yes_no"


def factor_out(spec: FactorSpec) -> dict:
    return {"name": spec.name, "kind": spec.kind, "label": spec.label, "builtin": spec.builtin}


@router.get(
    "/factors",
    response={200: FactorPage, **responses(401, 422, 429)},
    operation_id="listFactors",
    summary="List the factors of the diary: built-in first, then your own",
)
def list_factors(request, paging: Query[PageParams]):
    items, meta = page(services.factor_specs(request.user), paging)
    return {"items": [factor_out(s) for s in items], **meta}


@router.post(
    "/factors",
    response={201: FactorOut, **responses(400, 401, 403, 409, 422, 429)},
    operation_id="createFactor",
    summary="Add a factor of your own",
)
def create_factor(request, payload: FactorIn):
    taken = problem(
        409, _("You already have a factor called “%(name)s”.") % {"name": payload.name}, "name"
    )
    mine = CustomFactor.objects.filter(user=request.user)
    if mine.filter(name=payload.name).exists():
        raise taken
    too_many = limits.too_many_factors(mine.count())
    if too_many:
        raise problem(422, too_many, None)
    try:
        with transaction.atomic():
            factor = CustomFactor.objects.create(
                user=request.user, name=payload.name, label=payload.label, kind=payload.kind
            )
    except IntegrityError:  # the same name, created a moment ago by another request
        raise taken from None
    return Status(201, factor_out(FactorSpec(factor.name, factor.kind, factor.label)))
