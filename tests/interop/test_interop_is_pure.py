"""The FHIR core reads only the diary's plain records and opens no files but its schema."""

from __future__ import annotations

import ast
from pathlib import Path

import crampwise.interop

INTEROP = Path(crampwise.interop.__file__).parent / "core"
# The plain records and rules of the diary are the only other crampwise modules it may use.
ALLOWED_CRAMPWISE = {
    "crampwise.diary.core.records",
    "crampwise.diary.core.factors",
    "crampwise.diary.core.nights",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def interop_sources() -> list[Path]:
    sources = sorted(INTEROP.rglob("*.py"))
    assert sources, "no interop modules found"
    return sources


def test_interop_uses_only_the_diary_records_from_crampwise():
    """Interop reads other apps only through the plain diary records, never their models."""
    for path in interop_sources():
        others = {
            m for m in imported_modules(path) if m.startswith("crampwise.")
        } - ALLOWED_CRAMPWISE
        others = {
            m for m in others if not m.startswith(("crampwise.interop.core", "crampwise.core.i18n"))
        }
        assert not others, f"{path.name} imports {sorted(others)}"


def test_interop_opens_no_files_except_the_vendored_schema():
    """Only the validator reads a file, and only its own packaged schema."""
    for path in interop_sources():
        text = path.read_text(encoding="utf-8")
        if path.name == "validate.py":
            assert "data/fhir.schema.json" in text
            continue
        assert "open(" not in text and "read_text(" not in text, path.name
