"""Shared answers for the assessment tests."""

from __future__ import annotations

import copy

import pytest

from crampwise.guidance.core.inputs import SYMPTOMS

BASE = {
    "age": 45,
    "sex": "male",
    "pregnant": False,
    "conditions": [],
    "medications": [],
    "symptoms": dict.fromkeys(SYMPTOMS, False),
}


@pytest.fixture
def answers():
    """A 45-year-old man with no symptoms, conditions or medicines: nothing should be flagged."""

    def make(*, symptoms=(), **changes):
        data = copy.deepcopy(BASE)
        data.update(changes)
        for name in symptoms:
            data["symptoms"][name] = True
        return data

    return make
