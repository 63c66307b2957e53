"""Write a generated demo diary into the database, in batches, reporting progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crampwise.diary.core.demo import DemoNight, demo_medicines, generate
from crampwise.diary.core.nights import night_of
from crampwise.diary.models import Episode, Medicine, Night

# The generator's yes/no factors (stored as true/false, the others as numbers).
YES_NO_FACTORS = ("stretched", "supportive_shoes")


def load_demo(
    username: str,
    password: str,
    nights: int,
    seed: int,
    time_zone: str,
    progress: Callable[[int], object] = lambda n: None,
):
    User = get_user_model()
    zone = ZoneInfo(time_zone)
    with transaction.atomic():
        account, created = User.objects.get_or_create(username=username)
        if created:
            account.set_password(password)
            account.save()
        profile = account.profile
        profile.time_zone = time_zone
        profile.birth_year = profile.birth_year or 1953
        profile.save()
        # Refill means replace: the demo diary is made anew, never mixed with an older one.
        Night.objects.filter(user=account).delete()
        Episode.objects.filter(user=account).delete()
        Medicine.objects.filter(user=account).delete()
        end = night_of(timezone.now(), zone, profile.day_boundary) - timedelta(days=1)
        Medicine.objects.bulk_create(
            [
                Medicine(
                    user=account,
                    name=m.name,
                    dose=m.dose,
                    started=m.started,
                    stopped=m.stopped,
                    purpose=m.purpose,
                )
                for m in demo_medicines(end - timedelta(days=nights - 1), end)
            ]
        )
        batch_nights, batch_episodes, done = [], [], 0
        now = timezone.now()
        for item in generate(nights, end, seed, zone):
            r = item.record
            batch_nights.append(demo_night(account, item, now))
            batch_episodes += [
                Episode(user=account, night=r.night, **e | {"reliefs": list(e["reliefs"])})
                for e in item.episodes
            ]
            if len(batch_nights) >= 200:
                done += _flush(batch_nights, batch_episodes, progress)
        done += _flush(batch_nights, batch_episodes, progress)
        # Nights the generator left out (gaps) still advance the bar.
        progress(max(0, nights - done))
    return account, created


def demo_night(user, item: DemoNight, checked_in_at: datetime) -> Night:
    """A generated night as the diary stores it (the demo and the demo clinic write the same)."""
    r = item.record
    return Night(
        user=user,
        night=r.night,
        reported_cramps=r.cramps,
        episode_count=len(item.episodes),
        worst_pain=r.worst_pain,
        minutes_awake=r.minutes_awake,
        sleep_quality=r.sleep_quality,
        soreness=r.soreness,
        factors={
            k: bool(v) if k in YES_NO_FACTORS else (int(v) if float(v).is_integer() else v)
            for k, v in r.factors.items()
            if v is not None
        },
        medicines_taken=list(r.medicines_taken),
        checked_in_at=checked_in_at,
    )


def _flush(nights: list, episodes: list, progress) -> int:
    Night.objects.bulk_create(nights)
    Episode.objects.bulk_create(episodes)
    n = len(nights)
    nights.clear()
    episodes.clear()
    progress(n)
    return n
