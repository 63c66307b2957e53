"""Sharing, clinician access and the audit trail (filled in by the clinician feature)."""

from __future__ import annotations

urlpatterns: list = []
