"""Personal trials in the web app: wizard, schedule, looks and results."""

from __future__ import annotations

urlpatterns: list = []
