"""docs/guidance.md documents every id the code and data use, and its example still holds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crampwise.core.knowledge import load_knowledge
from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.inputs import SEXES, SYMPTOMS
from crampwise.guidance.core.schema import FLAG_IDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "guidance.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def json_blocks(text: str) -> list[str]:
    return re.findall(r"```json\n(.*?)\n```", text, re.DOTALL)


def test_every_flag_id_is_documented(doc):
    """Each flag id appears in the document."""
    assert [i for i in FLAG_IDS if f"`{i}`" not in doc] == []


def test_every_symptom_sex_and_condition_is_documented(doc):
    """The input's allowed values are all written down."""
    values = [*SYMPTOMS, *SEXES, *load_knowledge().conditions]
    assert [v for v in values if f"`{v}`" not in doc] == []


def test_every_remedy_and_medicine_class_is_documented(doc):
    """The remedy ids the trial wizard uses and the medicine classes appear in the tables."""
    kb = load_knowledge()
    ids = [*kb.remedies, *kb.classes]
    assert [i for i in ids if f"`{i}`" not in doc] == []


def test_the_documented_example_still_gives_the_documented_flags(doc):
    """Running the example input yields the flag ids and plan items shown in the example output."""
    example_in, example_out = (json.loads(block) for block in json_blocks(doc)[:2])
    result = assess(example_in)
    assert [f["id"] for f in result["flags"]] == [f["id"] for f in example_out["flags"]]
    for part in ("steps", "ask_doctor", "trials"):
        assert [i["id"] for i in result["plan"][part]] == [
            i["id"] for i in example_out["plan"][part]
        ]
    assert result["unrecognised_medicines"] == example_out["unrecognised_medicines"]
