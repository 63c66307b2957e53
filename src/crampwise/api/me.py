"""The signed-in person: time zone, bedtime and wake time (the same rules as the profile page)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["me"])
