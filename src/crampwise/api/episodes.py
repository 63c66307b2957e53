"""Episodes: cramps logged during the night, each with an id made by the client.

The client's id makes a retried POST harmless: the same id is answered with the stored episode,
never a second cramp (an app offline at 3 a.m. retries until it gets an answer).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, StrictInt

from crampwise.api.errors import ApiProblem, not_found, problem, responses
from crampwise.api.fields import Instant
from crampwise.api.nights import NightRange, check_range
from crampwise.api.paging import PageMeta, PageParams, page
from crampwise.diary import services
from crampwise.diary.core.nights import night_of
from crampwise.diary.core.records import MUSCLES, RELIEFS, SIDES
from crampwise.diary.models import Episode

router = Router(tags=["episodes"])

# The values live in one tuple each (diary/core/records.py); mypy cannot read a Literal of a tuple.
Muscle = Literal[MUSCLES]  # type: ignore[valid-type]
Side = Literal[SIDES]  # type: ignore[valid-type]
Relief = Literal[RELIEFS]  # type: ignore[valid-type]

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
# A phone's clock may run a little ahead of the server's.
CLOCK_SLACK = timedelta(minutes=5)
LONGEST_CRAMP = timedelta(hours=24)


class EpisodeDetails(Schema):
    model_config = ConfigDict(extra="forbid")

    ended_at: Instant | None = Field(
        None, description="When it ended (ISO 8601 with offset); null while it goes on."
    )
    muscle: Muscle | None = Field(None, description="Which muscle.")
    side: Side | None = Field(None, description="Which leg.")
    pain: StrictInt | None = Field(
        None, ge=0, le=10, description="Pain, 0 none to 10 worst imaginable."
    )
    reliefs: list[Relief] = Field(
        default_factory=list,
        max_length=20,
        description="What was tried; a repeated entry counts once.",
    )


class EpisodeIn(EpisodeDetails):
    id: uuid.UUID = Field(
        description="Made by the client (a random UUID) before the first try, and kept for every retry."
    )
    started_at: Instant = Field(
        description="When the cramp started: ISO 8601 with offset, for example 2026-11-26T03:12:00+00:00."
    )


class EpisodeChange(EpisodeDetails):
    """Only the fields sent are changed; null clears one."""


class EpisodeOut(Schema):
    id: uuid.UUID
    night: date = Field(
        description="The night it belongs to (the date of that evening, by the person's day boundary)."
    )
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    muscle: Muscle | None
    side: Side | None
    pain: int | None
    reliefs: list[Relief]
    created_at: datetime


class EpisodePage(PageMeta):
    items: list[EpisodeOut]


def utc(instant: datetime | None) -> datetime | None:
    # Answered in UTC whatever offset the client sent, so a retry reads exactly like the first answer.
    return None if instant is None else instant.astimezone(UTC)


def episode_out(episode: Episode) -> dict:
    return {
        "id": episode.id,
        "night": episode.night,
        "started_at": utc(episode.started_at),
        "ended_at": utc(episode.ended_at),
        "duration_seconds": episode.duration_seconds,
        # Only known values are answered, so that the answer always matches the documented schema.
        "muscle": episode.muscle if episode.muscle in MUSCLES else None,
        "side": episode.side if episode.side in SIDES else None,
        "pain": episode.pain,
        "reliefs": [r for r in episode.reliefs if r in RELIEFS],
        "created_at": episode.created_at,
    }


def check_times(user, started_at: datetime, ended_at: datetime | None, fresh_start: bool) -> None:
    # Bounds first: outside them a time zone conversion could overflow datetime's range.
    latest = timezone.now() + CLOCK_SLACK
    problems: list[tuple[str | None, str]] = []
    if fresh_start and (started_at.year < 1900 or started_at > latest):
        problems.append(("started_at", _("The start must be between 1900 and now.")))
    elif fresh_start and (outside := _outside_the_diary(user, started_at)):
        # The night it belongs to follows the diary's one rule (from the birth year, if known).
        problems.append(("started_at", outside))
    elif ended_at is not None:
        if ended_at.year < 1900 or ended_at > latest:
            problems.append(("ended_at", _("The end cannot be in the future.")))
        elif ended_at < started_at:
            problems.append(("ended_at", _("The end comes before the start.")))
        elif ended_at - started_at > LONGEST_CRAMP:
            problems.append(
                ("ended_at", _("A cramp lasting more than a day is not a cramp to log here."))
            )
    if problems:
        raise ApiProblem(422, problems)


def _outside_the_diary(user, started_at: datetime) -> str | None:
    profile = user.profile
    night = night_of(started_at, profile.zone, profile.day_boundary)
    return services.night_window(user).problem(night)


def apply_details(episode: Episode, details: dict) -> None:
    for name in ("ended_at", "pain"):
        if name in details:
            setattr(episode, name, details[name])
    for name in ("muscle", "side"):
        if name in details:
            setattr(episode, name, details[name] or "")
    if "reliefs" in details:
        episode.reliefs = list(dict.fromkeys(details["reliefs"] or []))


def own_episode(request, episode_id: uuid.UUID) -> Episode:
    episode = Episode.objects.filter(pk=episode_id, user=request.user).first()
    if episode is None:
        raise not_found()
    return episode


@router.post(
    "/episodes",
    response={200: EpisodeOut, 201: EpisodeOut, **responses(400, 401, 403, 409, 422, 429)},
    operation_id="logEpisode",
    summary="Log a cramp (a retry with the same id is answered, not repeated)",
)
def log_episode(request, payload: EpisodeIn):
    """201 with the new episode; 200 with the stored one when this id was logged before."""
    check_times(request.user, payload.started_at, payload.ended_at, fresh_start=True)
    with transaction.atomic():
        try:
            episode, created = services.log_episode(
                request.user, episode_id=payload.id, started_at=payload.started_at
            )
        except PermissionError:
            # Somebody else's id. Say only that it is taken; the client makes a new one.
            raise problem(
                409, _("This id is already in use. Make a new UUID for this cramp."), "id"
            ) from None
        if not created:
            return Status(200, episode_out(episode))
        apply_details(episode, payload.model_dump(exclude={"id", "started_at"}))
        episode.save()
    return Status(201, episode_out(episode))


@router.get(
    "/episodes",
    response={200: EpisodePage, **responses(401, 422, 429)},
    operation_id="listEpisodes",
    summary="List logged cramps, by the nights they belong to",
)
def list_episodes(request, where: Query[NightRange], paging: Query[PageParams]):
    check_range(where)
    rows = Episode.objects.filter(user=request.user).order_by("started_at", "id")
    if where.from_:
        rows = rows.filter(night__gte=where.from_)
    if where.to:
        rows = rows.filter(night__lte=where.to)
    items, meta = page(rows, paging)
    return {"items": [episode_out(e) for e in items], **meta}


@router.get(
    "/episodes/{episode_id}",
    response={200: EpisodeOut, **responses(401, 404, 422, 429)},
    operation_id="getEpisode",
    summary="Get one logged cramp",
)
def get_episode(request, episode_id: uuid.UUID):
    return episode_out(own_episode(request, episode_id))


@router.patch(
    "/episodes/{episode_id}",
    response={200: EpisodeOut, **responses(400, 401, 403, 404, 422, 429)},
    operation_id="changeEpisode",
    summary="Add details to a logged cramp, or mark it over",
)
def change_episode(request, episode_id: uuid.UUID, payload: EpisodeChange):
    episode = own_episode(request, episode_id)
    details = payload.model_dump(exclude_unset=True)
    check_times(request.user, episode.started_at, details.get("ended_at"), fresh_start=False)
    apply_details(episode, details)
    episode.save()
    return episode_out(episode)


@router.delete(
    "/episodes/{episode_id}",
    response={204: None, **responses(401, 403, 404, 422, 429)},
    operation_id="deleteEpisode",
    summary="Delete a cramp logged by mistake",
)
def delete_episode(request, episode_id: uuid.UUID):
    services.delete_episode(own_episode(request, episode_id))
    return Status(204, None)
