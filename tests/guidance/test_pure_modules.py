"""The guidance core and the evidence base: typed modules, patient text through gettext."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import crampwise.core.knowledge
import crampwise.guidance

GUIDANCE = Path(crampwise.guidance.__file__).parent


def pure_modules() -> list[Path]:
    """The guidance core and the evidence base (their freedom from Django: tests/test_pure_core.py)."""
    knowledge = Path(crampwise.core.knowledge.__file__).parent
    return sorted((GUIDANCE / "core").glob("*.py")) + sorted(knowledge.rglob("*.py"))


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
    for name in (
        "core/assessment.py",
        "core/inputs.py",
        "core/messages.py",
        "core/plan.py",
        "cli.py",
    ):
        source = (GUIDANCE / name).read_text(encoding="utf-8")
        assert "from crampwise.core.i18n import gettext as _" in source, name
