"""The series part of the REST API v1 (docs/api.md)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["series"])
