"""The functional core stays free of Django (DESIGN principle 6), found by the layout alone.

Every Django-free module lives in a package named ``core``: a feature's own (``trials/core/``,
beside its models, views and forms) or the project's shared one (``crampwise/core/``: translation
markers and the evidence base). No list of modules to keep up to date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import crampwise

SRC = Path(crampwise.__file__).parent


def _dotted(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def pure_modules() -> list[str]:
    return sorted(_dotted(p) for p in SRC.rglob("*.py") if "core" in p.relative_to(SRC).parts[:-1])


def test_the_layout_names_the_core_of_every_feature():
    """Guards the check below against a layout change that would make it pass vacuously."""
    modules = pure_modules()
    for expected in (
        "crampwise.core.i18n", "crampwise.diary.core.records", "crampwise.insights.core.summary",
        "crampwise.trials.core.analysis", "crampwise.guidance.core.assessment",
        "crampwise.clinician.core.report_content", "crampwise.interop.core.bundle_export",
        "crampwise.core.knowledge.loader",
    ):  # fmt: skip
        assert expected in modules
    assert not any(m.endswith((".models", ".views", ".forms")) for m in modules)


def test_pure_modules_do_not_import_django():
    """Importing every core module, in a fresh process, leaves Django unloaded."""
    code = (
        "import sys, importlib\n"
        f"mods = {pure_modules()!r}\n"
        "bad = []\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "    if any(k == 'django' or k.startswith('django.') for k in sys.modules):\n"
        "        bad.append(m); break\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"these core modules pull in Django: {out.stdout}"
