"""Fixtures shared by the trial tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def syllables_without_downloads(monkeypatch):
    """Count syllables with textstat's bundled Pyphen rules instead of NLTK's CMU dictionary.

    textstat downloads the CMU dictionary on first use, and there is no network in tests.
    """
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    _count_syllables.count_syllables.cache_clear()
    yield
    _count_syllables.count_syllables.cache_clear()
