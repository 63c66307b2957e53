"""Writes to the diary, each in one transaction, and reads of it as plain records."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from crampwise.diary.core import limits
from crampwise.diary.core.csvformat import ParsedCsv, parse_csv, write_csv
from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.nights import night_of
from crampwise.diary.core.records import EpisodeRecord, FactorSpec, MedicineRecord, NightRecord
from crampwise.diary.models import CustomFactor, Episode, Medicine, Night
from crampwise.diary.signals import nights_written


def current_night(user, now: datetime | None = None) -> date:
    """The night that is going on now, or that just ended, in the person's own time."""
    profile = user.profile
    return night_of(now or timezone.now(), profile.zone, profile.day_boundary)


def last_night(user, now: datetime | None = None) -> date:
    """The latest night that is over: the one a morning check-in is about (in the evening, last night)."""
    profile = user.profile
    # A night is over once the person's wake time (or the day boundary, if earlier) has come: at
    # 3 a.m. tonight is still going on, so it is neither asked about nor counted as not recorded.
    over_at = min(profile.wake_time, profile.day_boundary)
    return night_of(now or timezone.now(), profile.zone, over_at) - timedelta(days=1)


def night_window(user, now: datetime | None = None) -> limits.DateWindow:
    """The nights this person's diary can hold: from 1900 (or their birth year) to tonight."""
    return limits.date_window(current_night(user, now), user.profile.birth_year)


def date_window(user, now: datetime | None = None) -> limits.DateWindow:
    """The dates a medicine may carry: from 1900 (or the birth year) to the person's today."""
    today = (now or timezone.now()).astimezone(user.profile.zone).date()
    return limits.date_window(today, user.profile.birth_year)


def factor_specs(user) -> list[FactorSpec]:
    """Built-in factors first, then the person's own, in the CSV's column order."""
    return [*BUILTIN_FACTORS, *custom_factor_specs(user)]


def custom_factor_specs(user) -> list[FactorSpec]:
    return [FactorSpec(f.name, f.kind, f.label) for f in CustomFactor.objects.filter(user=user)]


def sync_episode_count(user, night: date) -> None:
    count = Episode.objects.filter(user=user, night=night).count()
    # updated_at by hand: a queryset update skips auto_now, and readers key cached figures on it.
    updated = Night.objects.filter(user=user, night=night).update(
        episode_count=count, updated_at=timezone.now()
    )
    if not updated and count:
        Night.objects.create(user=user, night=night, episode_count=count)
    nights_written.send(sender=Night, user_id=user.pk)


@transaction.atomic
def log_episode(
    user, *, episode_id: uuid.UUID | None = None, started_at: datetime | None = None
) -> tuple[Episode, bool]:
    """Record "cramp now". A repeat of the same id returns the stored episode (created=False)."""
    episode_id = episode_id or uuid.uuid4()
    existing = Episode.objects.filter(pk=episode_id).first()
    if existing is not None:
        if existing.user_id != user.pk:
            # Somebody else's id: never reveal or touch it; a fresh id is the safe answer.
            raise PermissionError("episode id belongs to another account")
        return existing, False
    started_at = started_at or timezone.now()
    profile = user.profile
    night = night_of(started_at, profile.zone, profile.day_boundary)
    try:
        with transaction.atomic():
            episode = Episode.objects.create(
                id=episode_id, user=user, night=night, started_at=started_at
            )
    except IntegrityError:
        # Two retries raced; the other one stored it.
        return Episode.objects.get(pk=episode_id, user=user), False
    sync_episode_count(user, night)
    return episode, True


@transaction.atomic
def delete_episode(episode: Episode) -> None:
    user, night = episode.user, episode.night
    episode.delete()
    sync_episode_count(user, night)


NIGHT_ANSWER_FIELDS = (
    "reported_cramps",
    "worst_pain",
    "minutes_awake",
    "sleep_quality",
    "soreness",
    "factors",
    "medicines_taken",
    "note",
)


def save_night(user, night: date, *, episode_count: int | None = None, **fields) -> None:
    """Create or replace one night's answers in one statement (an upsert), in a transaction.

    Used by the morning check-in, night edits and the API; callers validate the values first.
    Retrying the same save gives the same row. The episode count is never overwritten here: it
    belongs to the night log (see ``sync_episode_count``).
    """
    unknown = set(fields) - set(NIGHT_ANSWER_FIELDS)
    if unknown:
        raise TypeError(f"not night answers: {sorted(unknown)}")
    if episode_count is None:
        episode_count = Episode.objects.filter(user=user, night=night).count()
    # One INSERT ... ON CONFLICT UPDATE: a retry, or two saves at once, leave one row.
    with transaction.atomic():
        Night.objects.bulk_create(
            [
                Night(
                    user=user,
                    night=night,
                    episode_count=episode_count,
                    checked_in_at=timezone.now(),
                    **fields,
                )
            ],
            update_conflicts=True,
            unique_fields=["user", "night"],
            update_fields=[*fields, "checked_in_at", "updated_at"],
        )
        nights_written.send(sender=Night, user_id=user.pk)


@transaction.atomic
def delete_night(user, night: date) -> bool:
    """Forget a night: its answers and its episodes. Afterwards it is missing, not zero."""
    episodes, _ = Episode.objects.filter(user=user, night=night).delete()
    nights, _ = Night.objects.filter(user=user, night=night).delete()
    nights_written.send(sender=Night, user_id=user.pk)
    return bool(episodes or nights)


def load_nights(user, start: date | None = None, end: date | None = None) -> list[NightRecord]:
    qs = Night.objects.filter(user=user)
    if start:
        qs = qs.filter(night__gte=start)
    if end:
        qs = qs.filter(night__lte=end)
    return [n.to_record() for n in qs.order_by("night")]


def load_episodes(user, start: date | None = None, end: date | None = None) -> list[EpisodeRecord]:
    zone = user.profile.zone
    qs = Episode.objects.filter(user=user)
    if start:
        qs = qs.filter(night__gte=start)
    if end:
        qs = qs.filter(night__lte=end)
    return [e.to_record(zone) for e in qs.order_by("started_at")]


def load_medicines(user) -> list[MedicineRecord]:
    return [m.to_record() for m in Medicine.objects.filter(user=user)]


def export_csv(user) -> str:
    return write_csv(load_nights(user), custom_factor_specs(user))


def _factor_json(record: NightRecord, kinds: dict[str, str]) -> dict:
    out: dict = {}
    for name, value in record.factors.items():
        if value is None:
            continue
        if kinds.get(name) == "yes_no":
            out[name] = bool(value)
        else:
            out[name] = int(value) if float(value).is_integer() else float(value)
    return out


def import_csv(user, text: str) -> ParsedCsv:
    """Import a nightly CSV: every night or, when anything is wrong, nothing at all."""
    parsed = parse_csv(text, custom_factor_specs(user), night_window(user))
    if not parsed.ok:
        return parsed
    import_records(user, parsed.nights, parsed.custom_factors)
    return parsed


@transaction.atomic
def import_records(
    user, nights: Sequence[NightRecord], custom_factors: Sequence[FactorSpec]
) -> None:
    existing = {f.name for f in CustomFactor.objects.filter(user=user)}
    CustomFactor.objects.bulk_create(
        [
            CustomFactor(user=user, name=f.name, label=f.label or f.name, kind=f.kind)
            for f in custom_factors
            if f.name not in existing
        ]
    )
    kinds = {f.name: f.kind for f in [*BUILTIN_FACTORS, *custom_factors]}
    stored = {
        n.night: n for n in Night.objects.filter(user=user, night__in=[r.night for r in nights])
    }
    episode_counts = dict(
        Episode.objects.filter(user=user, night__in=[r.night for r in nights])
        .values_list("night")
        .annotate(n=Count("id"))
    )
    now = timezone.now()
    to_create: list[Night] = []
    to_update: list[Night] = []
    for record in nights:
        night = stored.get(record.night) or Night(user=user, night=record.night)
        logged = episode_counts.get(record.night, 0)
        if record.confirmed:
            night.reported_cramps = record.cramps
            night.episode_count = logged
        else:
            # Only a night log's count, from another device or account: kept as what was logged
            # (a lower bound), still waiting for its morning answer.
            night.reported_cramps = None
            night.episode_count = max(logged, record.cramps or 0)
        night.worst_pain = record.worst_pain
        night.minutes_awake = record.minutes_awake
        night.sleep_quality = record.sleep_quality
        night.soreness = record.soreness
        night.factors = _factor_json(record, kinds)
        night.medicines_taken = list(record.medicines_taken)
        night.note = record.note
        night.checked_in_at = night.checked_in_at or now
        night.updated_at = now
        (to_update if night.pk else to_create).append(night)
    Night.objects.bulk_create(to_create, batch_size=500)
    Night.objects.bulk_update(
        to_update,
        [
            "reported_cramps",
            "episode_count",
            "worst_pain",
            "minutes_awake",
            "sleep_quality",
            "soreness",
            "factors",
            "medicines_taken",
            "note",
            "checked_in_at",
            "updated_at",  # bulk_update skips auto_now; readers key cached figures on it
        ],
        batch_size=500,
    )
    nights_written.send(sender=Night, user_id=user.pk)
