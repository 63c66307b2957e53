"""Assessment, learn pages and the relief guide (web side of crampwise.guidance)."""

from __future__ import annotations

urlpatterns: list = []
