"""Web pages of the API app (included by crampwise/urls.py)."""

from __future__ import annotations

from django.urls import path

from crampwise.api import views

urlpatterns = [
    path("settings/tokens/", views.tokens, name="api_tokens"),
    path("settings/tokens/<uuid:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
