"""The insights summary: the same numbers as the dashboard and `crampwise insights --json`."""

from __future__ import annotations

from typing import Any

from ninja import Router

from crampwise.api.errors import responses
from crampwise.insights.loading import insights_for

router = Router(tags=["insights"])


@router.get(
    "/insights/summary",
    response={200: dict[str, Any], **responses(401, 429)},
    operation_id="getInsightsSummary",
    summary="Cramps per week, trend and what goes with better nights",
)
def insights_summary(request):
    """The summary part of the insights, as of the latest night that is over (see docs/api.md)."""
    return insights_for(request.user)["summary"]
