"""summarize: the whole JSON, its edge cases, and its wording."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.diary.core.factors import BUILTIN_FACTORS
from crampwise.diary.core.records import EpisodeRecord, NightRecord
from crampwise.insights import summarize
from crampwise.insights.core.simulate import MedicineChange, simulate_diary, skip_mornings

TOP_LEVEL = {
    "version",
    "today",
    "summary",
    "trend",
    "timing",
    "relief",
    "factors",
    "medicines",
    "methods",
}


def test_an_empty_diary_gives_a_complete_answer():
    """No nights at all still gives every section, with Nones and not-enough-data verdicts."""
    out = summarize([], [], [], BUILTIN_FACTORS, date(2025, 5, 1))
    assert set(out) == TOP_LEVEL
    assert out["summary"]["nights_recorded"] == 0
    assert out["trend"]["weeks"] == []
    assert {f["verdict"] for f in out["factors"]} == {"not_enough_data"}
    json.dumps(out, allow_nan=False)


def test_a_year_of_diary_is_plain_json():
    """The output of a full simulated year survives strict JSON (no NaN, no numpy types)."""
    d = simulate_diary(9, medicine=MedicineChange("Diuretic", 200, 2.0))
    out = summarize(d.nights, d.episodes, d.medicines, d.factor_specs, d.today)
    assert json.loads(json.dumps(out, allow_nan=False)) == out
    assert [f["name"] for f in out["factors"]] == [s.name for s in d.factor_specs]
    assert out["medicines"][0]["name"] == "Diuretic"
    assert out["timing"]["episodes"] == len(d.episodes)


def test_it_ignores_episodes_after_today():
    """A cramp logged for a future night is not counted."""
    today = date(2025, 5, 1)
    later = today + timedelta(days=2)
    ep = EpisodeRecord(later, datetime(2025, 5, 3, 23, tzinfo=UTC), 23, 60)
    out = summarize([NightRecord(today, 0)], [ep], [], [], today)
    assert out["timing"]["episodes"] == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 12)), min_size=0, max_size=120))
def test_recorded_nights_and_totals_always_add_up(counts):
    """For any diary, nights and cramps are counted from answered nights only."""
    start = date(2024, 1, 1)
    nights = [NightRecord(start + timedelta(days=i), c) for i, c in enumerate(counts)]
    s = summarize(nights, [], [], BUILTIN_FACTORS, start + timedelta(days=len(counts)))["summary"]
    answered = [c for c in counts if c is not None]
    assert s["nights_recorded"] == len(answered)
    assert s["cramps_total"] == sum(answered)
    assert s["nights_with_cramps"] + s["cramp_free_nights"] == len(answered)
    if answered:
        assert s["cramps_per_week"] == pytest.approx(7 * sum(answered) / len(answered), abs=0.006)
        low, high = s["cramps_per_week_ci95"]
        assert low <= s["cramps_per_week"] <= high


def _sentences(out):
    yield out["summary"]["sentence"]
    yield out["trend"]["change"]["sentence"]
    for f in out["factors"]:
        yield f["message"]
    for r in out["relief"]["reliefs"]:
        yield r["message"]
    for m in out["medicines"]:
        for e in m["events"]:
            yield e["message"]


@pytest.fixture
def offline_textstat(monkeypatch):
    """textstat looks words up in NLTK's CMU dictionary, which it downloads on first use; offline,
    fall back to its built-in hyphenation count instead of failing."""
    import nltk
    from textstat.backend.counts import _count_syllables

    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
        _count_syllables.count_syllables.cache_clear()


def test_user_sentences_read_at_grade_8_or_lower(offline_textstat):
    """Every sentence shown to users scores grade 8 or lower (Flesch-Kincaid)."""
    texts = set()
    for seed in (1, 2):
        d = simulate_diary(seed, medicine=MedicineChange("Diuretic", 200, 3.0))
        texts.update(
            _sentences(summarize(d.nights, d.episodes, d.medicines, d.factor_specs, d.today))
        )
    texts.update(_sentences(summarize([], [], [], BUILTIN_FACTORS, date(2025, 1, 1))))
    # Skipped mornings (the "not confirmed" sentence) and a medicine that cuts cramps (a fall).
    d = simulate_diary(
        3, cramps_per_week=8.0, drift_sd=0.0, medicine=MedicineChange("Pill", 200, 0.2)
    )
    d = skip_mornings(d, 0.2, 3)
    texts.update(_sentences(summarize(d.nights, d.episodes, d.medicines, d.factor_specs, d.today)))
    assert any("morning answer" in t for t in texts) and any("went down" in t for t in texts)
    for text in texts:
        assert textstat.flesch_kincaid_grade(text) <= 8, text
