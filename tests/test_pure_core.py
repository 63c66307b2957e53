"""The functional core stays free of Django (DESIGN principle 6)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import crampwise

SRC = Path(crampwise.__file__).parent
# Modules that talk to Django by design: models, views, forms, settings and other adapters.
ADAPTER_NAMES = {
    "models", "views", "forms", "urls", "admin", "apps", "signals", "services", "context", "adapter",
    "settings", "env", "wsgi", "cli", "server", "demo_loader", "api", "loading", "tasks", "middleware",
    "access", "audit", "decorators", "pdf_view", "exports", "backup", "templatetags", "management",
    "migrations", "tests", "checks",
}


def pure_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(SRC)], prefix="crampwise."):
        parts = info.name.split(".")
        if any(p in ADAPTER_NAMES or p.startswith("django_") for p in parts[1:]):
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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"these pure modules pull in Django: {out.stdout}"
