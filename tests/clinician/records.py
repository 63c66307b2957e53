"""Plain diary records for the pure report tests: the demo generator's year, as records."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from crampwise.diary.core.demo import demo_medicines, generate
from crampwise.diary.core.records import EpisodeRecord, MedicineRecord, NightRecord

END = date(2026, 11, 20)
ZONE = ZoneInfo("Europe/London")


@cache
def demo_year(
    seed: int = 1, nights: int = 365
) -> tuple[tuple[NightRecord, ...], tuple[EpisodeRecord, ...], tuple[MedicineRecord, ...]]:
    items = list(generate(nights, END, seed, ZONE))
    episodes = tuple(
        EpisodeRecord(
            night=item.record.night,
            started_at=e["started_at"],
            local_hour=e["started_at"].astimezone(ZONE).hour,
            duration_seconds=int((e["ended_at"] - e["started_at"]).total_seconds()),
            muscle=e["muscle"],
            side=e["side"],
            pain=e["pain"],
            reliefs=tuple(e["reliefs"]),
        )
        for item in items
        for e in item.episodes
    )
    return (
        tuple(i.record for i in items),
        episodes,
        tuple(demo_medicines(END - timedelta(days=nights - 1))),
    )
