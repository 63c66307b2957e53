"""The installable app: a service worker for the whole site, a manifest, an offline page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crampwise

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_with_site_scope(client):
    """/sw.js may control every page and is never cached stale."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b"crampwise-outbox" in response.content


def test_the_manifest_uses_only_our_own_assets(client):
    """Start URL, scope and icons are on this site."""
    data = client.get("/manifest.webmanifest").json()
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert all(icon["src"].startswith("/static/") for icon in data["icons"])


def test_the_offline_page_explains_what_still_works(client):
    """The fallback page says entries are kept on the phone."""
    assert "kept on this phone" in client.get("/offline/").content.decode()


def test_the_service_worker_keeps_every_script_the_pages_load(client):
    """Offline, each page's own scripts are there: every script a page names is in the worker's
    list, and every file in that list exists (a missing one would stop the worker installing)."""
    static = Path(crampwise.__file__).parent / "static"
    worker = client.get("/sw.js").content.decode()
    kept = set(re.findall(r'"/static/([\w.-]+)"', worker))
    assert kept and all((static / name).exists() for name in kept)
    templates = Path(crampwise.__file__).parent
    named = {
        m
        for path in templates.rglob("*.html")
        for m in re.findall(r"{% static '([\w.-]+\.js)' %}", path.read_text(encoding="utf-8"))
    }
    assert named - {"sw.js"} <= kept, named - kept
