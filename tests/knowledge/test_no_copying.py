"""No patient text is copied from the seed factsheet or the research notes (8-word shingles)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crampwise.core.knowledge import load_knowledge
from crampwise.core.knowledge.texts import iter_patient_texts
from crampwise.guidance.core import messages

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FACTSHEET = SHARED / "seed" / "nocturnal-leg-cramps-factsheet.txt"
DOSSIER = SHARED / "research" / "clinical-evidence.md"
SHINGLE = 8


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def shingles(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def our_texts() -> list[tuple[str, str]]:
    texts = list(iter_patient_texts(load_knowledge()))
    texts += [(f"guidance/{t.key}", t.template) for t in messages.all_texts()]
    return texts


def test_the_shingle_check_finds_a_copied_sentence():
    """The guard itself works: a copied run of eight words is caught."""
    source = shingles("one two three four five six seven eight nine")
    assert shingles("zero one two three four five six seven eight") & source


@pytest.mark.parametrize("path", [FACTSHEET, DOSSIER], ids=["factsheet", "research notes"])
def test_no_patient_text_shares_eight_words_in_a_row_with_the_source(path):
    """Every patient-facing string is written fresh, not lifted from the source text."""
    if not path.exists():
        pytest.skip(f"{path} is not present")
    source = shingles(path.read_text(encoding="utf-8"))
    copied = [(where, text) for where, text in our_texts() if shingles(text) & source]
    assert copied == []
