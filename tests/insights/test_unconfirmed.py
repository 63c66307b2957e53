"""Nights known only from the night log: shown as not confirmed, never counted in a rate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from crampwise.diary.core.records import NightRecord, night_status, unconfirmed_nights
from crampwise.insights import summarize
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.simulate import MedicineChange, simulate_diary, skip_mornings

TODAY = date(2025, 5, 31)


def _night(days_ago: int, cramps: int | None, confirmed: bool = True) -> NightRecord:
    return NightRecord(TODAY - timedelta(days=days_ago), cramps, confirmed=confirmed)


def test_a_night_with_only_logged_cramps_is_listed_but_not_counted():
    """Two cramp-free answered nights and one logged-only night: the rate is 0, one night waits."""
    nights = [_night(2, 0), _night(1, 0), _night(0, 3, confirmed=False)]
    s = summarize(nights, [], [], [], TODAY)["summary"]
    assert s["nights_recorded"] == 2
    assert s["cramps_total"] == 0 and s["cramps_per_week"] == 0
    assert s["nights_not_confirmed"] == 1
    assert s["cramps_logged_not_confirmed"] == 3
    assert s["not_confirmed_nights"] == [TODAY.isoformat()]
    assert "no morning answer yet" in s["sentence"]


def test_a_confirmed_night_counts_and_is_not_listed():
    """The same night with its morning answer counts, and nothing is waiting."""
    nights = [_night(2, 0), _night(1, 0), _night(0, 3)]
    s = summarize(nights, [], [], [], TODAY)["summary"]
    assert s["nights_recorded"] == 3 and s["cramps_total"] == 3
    assert s["nights_not_confirmed"] == 0 and s["not_confirmed_nights"] == []
    assert "morning answer" not in s["sentence"]


def test_a_later_answer_confirms_the_night():
    """A morning answer sent after the night's log replaces it (last record wins)."""
    table = NightTable.from_records([_night(0, 2, confirmed=False), _night(0, 4)], TODAY)
    assert table.size == 1 and table.cramps.tolist() == [4.0] and table.unconfirmed == ()


def test_unconfirmed_nights_after_today_are_ignored():
    """A night log for a future night is neither counted nor listed."""
    table = NightTable.from_records([_night(-1, 2, confirmed=False)], TODAY)
    assert table.size == 0 and table.unconfirmed == ()


def test_night_status_separates_answered_logged_and_missing_nights():
    """Only a morning answer confirms; a log alone does not; nothing at all is missing."""
    assert night_status(0, 0) == "confirmed"
    assert night_status(2, 3) == "confirmed"
    assert night_status(None, 1) == "not_confirmed"
    assert night_status(None, 0) == "missing"


def test_unconfirmed_nights_lists_logged_nights_without_an_answer_oldest_first():
    """The helper for the diary screens: stored rows in, the nights to confirm out."""
    rows = [
        (date(2025, 5, 3), None, 2),
        (date(2025, 5, 1), None, 1),
        (date(2025, 5, 2), 0, 0),
        (date(2025, 5, 4), 1, 1),
        (date(2025, 5, 5), None, 0),
    ]
    assert unconfirmed_nights(rows) == [date(2025, 5, 1), date(2025, 5, 3)]
    assert unconfirmed_nights([]) == []


def test_a_record_without_the_flag_stays_confirmed():
    """Imported and older records (no ``confirmed`` given) count as before."""
    record = NightRecord(TODAY, 2)
    assert record.confirmed and record.counts_towards_rates
    assert not NightRecord(TODAY, None).counts_towards_rates
    assert not replace(record, confirmed=False).counts_towards_rates


def _skipped_mornings_study(diaries: int, skip: float) -> dict[str, float]:
    """Mean relative bias of the rate (new rule and old rule) and the interval's coverage."""
    new, old, covered = [], [], []
    truth = 4.0  # the simulated diaries are scaled to this many cramps a week
    for seed in range(diaries):
        d = skip_mornings(simulate_diary(seed, nights=182, factors=()), skip, 10**6 + seed)
        now = summarize(d.nights, [], [], [], d.today)["summary"]
        # The old rule: a night known only from its log counted as recorded.
        before = summarize([replace(n, confirmed=True) for n in d.nights], [], [], [], d.today)
        new.append(now["cramps_per_week"] / truth - 1)
        old.append(before["summary"]["cramps_per_week"] / truth - 1)
        low, high = now["cramps_per_week_ci95"]
        covered.append(low <= truth <= high)
    return {
        "new": float(np.mean(new)),
        "old": float(np.mean(old)),
        "coverage": float(np.mean(covered)),
    }


def test_skipping_mornings_at_random_does_not_bias_the_rate():
    """400 half-year diaries, 40% of mornings skipped: mean bias within ±3%, interval covers ~95%.

    The same diaries under the old rule (logged-only nights counted) come out far too high, which
    is the bias this rule removes.
    """
    result = _skipped_mornings_study(400, 0.4)
    print(
        f"skip 40%: bias now {result['new']:+.2%}, old rule {result['old']:+.2%}, "
        f"coverage {result['coverage']:.1%}"
    )
    assert abs(result["new"]) <= 0.03
    assert result["old"] >= 0.10
    assert 0.92 <= result["coverage"] <= 0.98


def test_without_skipped_mornings_both_rules_agree():
    """No morning skipped: nothing is unconfirmed, and the rate is every recorded night's mean."""
    d = simulate_diary(3, nights=120, factors=())
    assert skip_mornings(d, 0.0, 1).nights == d.nights
    summary = summarize(d.nights, [], [], [], d.today)["summary"]
    counts = [n.cramps for n in d.nights if n.cramps is not None]
    assert summary["nights_not_confirmed"] == 0 and summary["nights_recorded"] == len(counts)
    assert summary["cramps_per_week"] == pytest.approx(7 * sum(counts) / len(counts), abs=0.01)


def test_a_medicine_change_is_judged_on_confirmed_nights_only():
    """Logged-only nights do not enter the before/after windows either."""
    d = simulate_diary(5, nights=150, factors=(), medicine=MedicineChange("Pill", 75, 1.0))
    skipped = skip_mornings(d, 0.4, 7)
    out = summarize(skipped.nights, [], skipped.medicines, [], skipped.today)
    confirmed = NightTable.from_records(skipped.nights, skipped.today)
    event = out["medicines"][0]["events"][0]
    start = date.fromisoformat(event["date"])
    before = confirmed.window(start - timedelta(days=28), start - timedelta(days=1)).sum()
    assert event["before"]["nights"] == before
    assert out["summary"]["nights_not_confirmed"] > 0


@pytest.mark.parametrize("skip", [0.2, 0.6])
def test_other_skip_rates_stay_unbiased(skip):
    """Skipping 20% or 60% of mornings at random leaves the rate within ±3% on average too."""
    result = _skipped_mornings_study(200, skip)
    print(f"skip {skip:.0%}: bias now {result['new']:+.2%}, old rule {result['old']:+.2%}")
    assert abs(result["new"]) <= 0.03
    assert result["old"] > 0.05
