"""The insights summary, when the insights feature offers one (``crampwise.insights.summarize``)."""

from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router

from crampwise.diary import services

from .errors import problem, responses

router = Router(tags=["insights"])


def find_summarize() -> Callable | None:
    # Looked up at each call, not at import: the insights feature is built beside this one, and
    # the API answers 501 until it offers summarize().
    try:
        module = importlib.import_module("crampwise.insights")
    except ImportError:
        return None
    return getattr(module, "summarize", None)


def json_safe(value: Any) -> Any:
    """Plain JSON values from what a pure module returns (dataclasses, numpy numbers, dates)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@router.get("/insights/summary", response={200: dict[str, Any], **responses(401, 429, 501)},
            operation_id="getInsightsSummary", summary="Cramps per week, trend and what goes with better nights")
def insights_summary(request):
    """The summary part of the insights (see docs/api.md); 501 while this server has none."""
    summarize = find_summarize()
    if summarize is None:
        raise problem(501, _("Insights are not available on this server yet."))
    user = request.user
    today = services.last_night(user)  # as the dashboard: as of the latest night that is over
    result = summarize(
        services.load_nights(user, None, today), services.load_episodes(user, None, today),
        services.load_medicines(user), services.factor_specs(user), today,
    )
    summary = result["summary"] if isinstance(result, Mapping) else result.summary
    safe = json_safe(summary)
    return safe if isinstance(safe, dict) else {"summary": safe}
