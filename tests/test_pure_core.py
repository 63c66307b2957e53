"""The functional core stays free of Django (DESIGN principle 6)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import crampwise

SRC = Path(crampwise.__file__).parent
# Packages whose modules are pure unless named as a Django adapter; api/ is Django through and through.
PURE_PACKAGES = ("diary", "insights", "trials", "guidance", "knowledge", "interop", "clinician", "accounts")
# Modules that talk to Django by design: models, views, forms, settings and other adapters.
ADAPTER_NAMES = {
    "models", "views", "forms", "urls", "web_urls", "admin", "apps", "signals", "services", "context",
    "adapter", "backends", "cli", "demo_loader", "api", "loading", "tasks", "middleware", "access",
    "audit", "backup", "templatetags", "management", "migrations", "checks",
    "tokens", "templates", "fhir_commands", "pwa", "data_export", "sessions", "message_storage",
    "checkin_reads",
}


def pure_modules() -> list[str]:
    names = ["crampwise.i18n"]
    for info in pkgutil.walk_packages([str(SRC)], prefix="crampwise."):
        parts = info.name.split(".")
        if len(parts) < 2 or parts[1] not in PURE_PACKAGES:
            continue
        if any(p in ADAPTER_NAMES or p.startswith("views_") for p in parts[2:]):
            continue
        names.append(info.name)
    return names


def test_pure_modules_do_not_import_django():
    """Importing any pure module leaves Django unloaded."""
    modules = pure_modules()
    assert "crampwise.diary.records" in modules and "crampwise.diary.csvformat" in modules
    code = (
        "import sys, importlib\n"
        f"mods = {modules!r}\n"
        "bad = []\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "    if any(k == 'django' or k.startswith('django.') for k in sys.modules):\n"
        "        bad.append(m); break\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"these pure modules pull in Django: {out.stdout}"
