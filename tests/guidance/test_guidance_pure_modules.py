"""The guidance and knowledge modules are pure: no Django imports, small and typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import crampwise.guidance
import crampwise.knowledge

# Django adapters the lead adds beside the pure modules are allowed to import Django.
DJANGO_SIDE = {
    "models.py",
    "views.py",
    "urls.py",
    "apps.py",
    "admin.py",
    "forms.py",
    "api.py",
    "migrations",
    "templatetags",
}


def pure_modules() -> list[Path]:
    files = []
    for package in (crampwise.guidance, crampwise.knowledge):
        folder = Path(package.__file__).parent
        for path in sorted(folder.rglob("*.py")):
            if not DJANGO_SIDE & set(path.relative_to(folder).parts):
                files.append(path)
    return files


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_module_does_not_import_django(path):
    """Neither ``import django`` nor ``from django... import`` appears anywhere in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(alias.name.split(".")[0] == "django" for alias in node.names), path
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "django", path


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_module_uses_postponed_annotations(path):
    """Every module starts with ``from __future__ import annotations``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    futures = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    assert (
        any(alias.name == "annotations" for n in futures for alias in n.names) or not tree.body[1:]
    ), path


def test_user_facing_strings_go_through_gettext():
    """Modules that build patient text import the project's gettext marker."""
    for name in ("assessment.py", "inputs.py", "messages.py", "plan.py", "cli.py"):
        source = (Path(crampwise.guidance.__file__).parent / name).read_text(encoding="utf-8")
        assert "from crampwise.i18n import gettext as _" in source, name
