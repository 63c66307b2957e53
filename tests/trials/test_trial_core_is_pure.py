"""The trial core must stay free of Django (DESIGN: functional core, framework shell)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import crampwise
import crampwise.trials

TRIALS_DIR = Path(crampwise.trials.__file__).parent
# The web side of trials lives beside the core and may import Django; nothing else may.
DJANGO_SIDE = {
    "models.py",
    "views.py",
    "urls.py",
    "apps.py",
    "admin.py",
    "forms.py",
    "services",
    "migrations",
    "templatetags",
    "templates",
}


def _core_files():
    return [
        p
        for p in TRIALS_DIR.rglob("*.py")
        if not DJANGO_SIDE & set(p.relative_to(TRIALS_DIR).parts)
    ]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_trial_module_imports_django():
    """No file in crampwise/trials imports django, at any depth of the code."""
    offenders = {
        path.name: sorted(m for m in _imported_modules(path) if m.split(".")[0] == "django")
        for path in _core_files()
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_importing_the_trial_core_does_not_load_django():
    """Importing every trial module leaves django out of sys.modules."""
    modules = [
        f"crampwise.trials.{p.stem}"
        for p in _core_files()
        if p.parent == TRIALS_DIR and p.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))\n"
    )
    # Run from a clean interpreter that finds this checkout's crampwise, installed or not.
    source_root = str(Path(crampwise.__file__).parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([source_root, os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
