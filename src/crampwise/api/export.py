"""The person's diary as the nightly CSV (docs/csv.md), the same file as the web app's export."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router

from crampwise.api.errors import responses
from crampwise.diary import services

router = Router(tags=["export"])

CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "The nightly CSV, one row a night (docs/csv.md).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/export/nights.csv",
    response=responses(401, 429),
    openapi_extra=CSV_RESPONSE,
    operation_id="exportNightsCsv",
    summary="Download the nightly CSV",
)
def export_nights_csv(request):
    response = HttpResponse(
        services.export_csv(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="crampwise-nights-{timezone.localdate().isoformat()}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
