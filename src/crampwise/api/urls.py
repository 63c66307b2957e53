"""The REST API v1 (django-ninja), mounted at /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="crampwise API", version="1", urls_namespace="api-v1")


@api.get("/ping", auth=None, summary="Check that the API answers")
def ping(request) -> dict:
    return {"status": "ok"}


urlpatterns = api.urls
