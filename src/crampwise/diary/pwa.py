"""The installable, offline-capable app: service worker, manifest and the offline page."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@cache
def _service_worker() -> bytes:
    return (settings.PACKAGE_DIR / "static" / "sw.js").read_bytes()


@require_GET
def service_worker(request):
    # Served from the site root (not /static/) so that its scope can be the whole site.
    response = HttpResponse(_service_worker(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version must be picked up at once
    return response


@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": "crampwise",
            "short_name": "crampwise",
            "description": _("A night diary for leg cramps."),
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#000000",
            "theme_color": "#7a1f0f",
            "icons": [
                {
                    "src": "/static/icon.svg",
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "any",
                },
                *(
                    {"src": f"/static/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
                    for n in (192, 512)
                ),
            ],
        },
        content_type="application/manifest+json",
    )


@require_GET
def offline(request):
    return render(request, "offline.html")
