"""The site's URLs plus the token pages, until crampwise/urls.py includes crampwise.api.web_urls."""

from __future__ import annotations

from django.urls import include, path

from crampwise.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("", include("crampwise.api.web_urls")), *site_urlpatterns]
