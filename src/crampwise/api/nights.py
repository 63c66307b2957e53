"""Nights: one record a night, its fields named as the nightly CSV's columns (docs/csv.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema

from crampwise.api.errors import ApiProblem, not_found, problem, responses
from crampwise.api.fields import (
    MedicineName,
    NightDate,
    OptionalNightDate,
    text_rules,
    whole_number_rules,
)
from crampwise.api.paging import PageMeta, PageParams, page
from crampwise.diary import services
from crampwise.diary.core import limits
from crampwise.diary.core.records import FactorSpec
from crampwise.diary.models import Episode, Night

router = Router(tags=["nights"])

MAX_FACTOR_VALUE = limits.CUSTOM_FACTOR_MAX  # built-in factors have lower bounds: limits.FACTOR_MAX

FactorValue = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"type": "number", "minimum": 0, "maximum": MAX_FACTOR_VALUE},
                {"type": "null"},
            ],
            "description": "true/false for a yes/no factor, a number for a number factor, null for not recorded.",
        }
    ),
]
Note = Annotated[str, *text_rules(limits.NOTE_MAX, multiline=True)]


class NightIn(Schema):
    """A night's answers. PUT replaces them all: a field left out is stored as not recorded."""

    model_config = ConfigDict(extra="forbid")

    cramps: Annotated[int | None, *whole_number_rules("cramps")] = Field(
        None,
        ge=limits.NIGHT_NUMBERS["cramps"][0],
        le=limits.NIGHT_NUMBERS["cramps"][1],
        description="Cramps that night; 0 is a cramp-free night, null not recorded.",
    )
    worst_pain: Annotated[int | None, *whole_number_rules("worst_pain")] = Field(
        None,
        ge=limits.NIGHT_NUMBERS["worst_pain"][0],
        le=limits.NIGHT_NUMBERS["worst_pain"][1],
        description="Worst pain, 0 none to 10 worst imaginable.",
    )
    minutes_awake: Annotated[int | None, *whole_number_rules("minutes_awake")] = Field(
        None,
        ge=limits.NIGHT_NUMBERS["minutes_awake"][0],
        le=limits.NIGHT_NUMBERS["minutes_awake"][1],
        description="Minutes awake because of cramps.",
    )
    sleep_quality: Annotated[int | None, *whole_number_rules("sleep_quality")] = Field(
        None,
        ge=limits.NIGHT_NUMBERS["sleep_quality"][0],
        le=limits.NIGHT_NUMBERS["sleep_quality"][1],
        description="1 very poor to 5 very good.",
    )
    soreness: Annotated[int | None, *whole_number_rules("soreness")] = Field(
        None,
        ge=limits.NIGHT_NUMBERS["soreness"][0],
        le=limits.NIGHT_NUMBERS["soreness"][1],
        description="Leg soreness on waking: 0 none to 3 severe.",
    )
    factors: dict[str, FactorValue] = Field(
        default_factory=dict,
        max_length=200,
        description="Factor values of the day that ends in this night, keyed by CSV column name (built-in or your own).",
    )
    medicines_taken: list[MedicineName] = Field(
        default_factory=list,
        max_length=limits.MAX_MEDICINES_PER_NIGHT,
        description="Names of medicines taken that day.",
    )
    note: Note = Field("", description="A free note.")


class NightOut(Schema):
    night: date = Field(description="The night, named by the date of its evening.")
    cramps: int | None = Field(
        description="The night's count: the larger of the morning answer and the cramps logged that night."
    )
    reported_cramps: int | None = Field(description="The morning answer as given.")
    episodes_logged: int = Field(description="Cramps logged during that night (see /episodes).")
    worst_pain: int | None
    minutes_awake: int | None
    sleep_quality: int | None
    soreness: int | None
    factors: dict[str, bool | int | float] = Field(
        description="Recorded factor values by CSV column name; an absent factor is not recorded."
    )
    medicines_taken: list[str]
    note: str
    checked_in_at: datetime | None = Field(
        description="When the answers were last saved; null if only cramps were logged."
    )
    updated_at: datetime


class NightPage(PageMeta):
    items: list[NightOut]


class NightRange(Schema):
    from_: OptionalNightDate = Field(
        None, alias="from", description="First night (YYYY-MM-DD), inclusive."
    )
    to: OptionalNightDate = Field(None, description="Last night (YYYY-MM-DD), inclusive.")


def night_out(row: Night, specs: list[FactorSpec]) -> dict:
    # Like the CSV export, only the person's current factors are shown: a factor they removed
    # keeps its old answers in the database but is no longer part of the diary.
    kinds = {s.name: s.kind for s in specs}
    factors: dict[str, bool | int | float] = {}
    for name, value in row.factors.items():
        kind = kinds.get(name)
        if kind is None or value is None or isinstance(value, str):
            continue
        factors[name] = bool(value) if kind == "yes_no" else value
    return {
        "night": row.night,
        "cramps": row.cramps,
        "reported_cramps": row.reported_cramps,
        "episodes_logged": row.episode_count,
        "worst_pain": row.worst_pain,
        "minutes_awake": row.minutes_awake,
        "sleep_quality": row.sleep_quality,
        "soreness": row.soreness,
        "factors": factors,
        "medicines_taken": list(row.medicines_taken),
        "note": row.note,
        "checked_in_at": row.checked_in_at,
        "updated_at": row.updated_at,
    }


def check_range(where: NightRange) -> None:
    if where.from_ and where.to and where.from_ > where.to:
        raise problem(422, _("The last night comes before the first one."), "to")


def clean_factors(
    values: dict[str, Any], specs: list[FactorSpec]
) -> tuple[dict, list[tuple[str, str]]]:
    """Factor answers as stored in Night.factors, and a problem for each wrong one."""
    kinds = {s.name: s.kind for s in specs}
    clean: dict[str, bool | int | float] = {}
    problems: list[tuple[str, str]] = []
    for name, value in values.items():
        field = f"factors.{name}"
        kind = kinds.get(name)
        if kind is None:
            problems.append(
                (
                    field,
                    _(
                        "“%(name)s” is not one of your factors. Add it first with POST /api/v1/factors."
                    )
                    % {"name": name[:60]},
                )
            )
        elif value is None:
            continue
        elif kind == "yes_no":
            if isinstance(value, bool):
                clean[name] = value
            else:
                problems.append((field, limits.yes_no_message()))
        # The rule also turns away NaN and infinities (JSON parsers accept them).
        elif problem := limits.factor_number_problem(name, value):
            problems.append((field, problem))
        else:
            clean[name] = int(value) if float(value).is_integer() else float(value)
    return clean, problems


@router.get(
    "/nights",
    response={200: NightPage, **responses(401, 422, 429)},
    operation_id="listNights",
    summary="List recorded nights, oldest first",
)
def list_nights(request, where: Query[NightRange], paging: Query[PageParams]):
    """Nights with an answer or a logged cramp. A night that is not listed is missing, never zero."""
    check_range(where)
    rows = Night.objects.filter(user=request.user).order_by("night")
    if where.from_:
        rows = rows.filter(night__gte=where.from_)
    if where.to:
        rows = rows.filter(night__lte=where.to)
    items, meta = page(rows, paging)
    specs = services.factor_specs(request.user)
    return {"items": [night_out(n, specs) for n in items], **meta}


@router.get(
    "/nights/{night}",
    response={200: NightOut, **responses(401, 404, 422, 429)},
    operation_id="getNight",
    summary="Get one night",
)
def get_night(request, night: NightDate):
    row = Night.objects.filter(user=request.user, night=night).first()
    if row is None:
        raise not_found()
    return night_out(row, services.factor_specs(request.user))


@router.put(
    "/nights/{night}",
    response={200: NightOut, **responses(400, 401, 403, 422, 429)},
    operation_id="putNight",
    summary="Record or replace one night's answers (idempotent)",
)
def put_night(request, night: NightDate, payload: NightIn):
    user = request.user
    problems: list[tuple[str | None, str]] = []
    date_problem = services.night_window(user).problem(night)
    if date_problem:
        problems.append(("night", date_problem))
    specs = services.factor_specs(user)
    factors, factor_problems = clean_factors(payload.factors, specs)
    problems += factor_problems
    logged = Episode.objects.filter(user=user, night=night).count()
    if payload.cramps is not None and payload.cramps < logged:
        problems.append(
            (
                "cramps",
                _(
                    "%(n)s cramps were logged during this night, so the count cannot be lower. "
                    "Delete a cramp logged by mistake with DELETE /api/v1/episodes/{id}."
                )
                % {"n": logged},
            )
        )
    if problems:
        raise ApiProblem(422, problems)
    services.save_night(
        user,
        night,
        episode_count=logged,
        reported_cramps=payload.cramps,
        worst_pain=payload.worst_pain,
        minutes_awake=payload.minutes_awake,
        sleep_quality=payload.sleep_quality,
        soreness=payload.soreness,
        factors=factors,
        medicines_taken=list(payload.medicines_taken),
        note=payload.note,
    )
    return night_out(Night.objects.get(user=user, night=night), specs)


@router.delete(
    "/nights/{night}",
    response={204: None, **responses(401, 403, 422, 429)},
    operation_id="deleteNight",
    summary="Forget one night and the cramps logged in it",
)
def delete_night(request, night: NightDate):
    """Afterwards the night is missing, not zero. Deleting a night that is not there is not an error."""
    services.delete_night(request.user, night)
    return Status(204, None)
