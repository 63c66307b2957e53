"""The insights core does no I/O outside the chart cache (no Django: tests/test_pure_core.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "crampwise" / "insights" / "core"
PURE_MODULES = sorted(PACKAGE.rglob("*.py"))
IO_MODULES = {
    "os",
    "pathlib",
    "tempfile",
    "shutil",
    "io",
    "sqlite3",
    "socket",
    "urllib",
    "requests",
}


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_has_modules_to_check():
    """Guards the other tests against a wrong path that would make them pass vacuously."""
    assert any(p.name == "summary.py" for p in PURE_MODULES)


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: p.name)
def test_only_the_chart_cache_touches_files(path):
    """File and network modules appear only in charts.py, for the optional SVG cache."""
    if path.name == "charts.py":
        return  # the optional on-disk SVG cache
    assert not (_imported(path) & IO_MODULES)
    source = path.read_text(encoding="utf-8")
    assert "open(" not in source
