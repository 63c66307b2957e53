"""Medicines: cramps before and after a start or stop."""

from __future__ import annotations

from datetime import date, timedelta

from crampwise.diary.core.records import MedicineRecord, NightRecord
from crampwise.insights.core.medicines import medicines_section
from crampwise.insights.core.night_table import NightTable
from crampwise.insights.core.simulate import MedicineChange, simulate_diary


def test_a_rise_after_starting_a_medicine_is_flagged():
    """Cramps going from 4 to 12 a week after a start are flagged in nearly every diary."""
    flagged = 0
    for seed in range(20):
        d = simulate_diary(
            seed, nights=120, cramps_per_week=8.0, dispersion=0, drift_sd=0.0, with_episodes=False,
            factors=(), medicine=MedicineChange("Diuretic", 60, 3.0),
        )  # fmt: skip
        [med] = medicines_section(NightTable.from_records(d.nights, d.today), d.medicines, d.today)
        flagged += med["rise_after_start"]
    assert flagged >= 18


def test_no_rise_is_flagged_when_nothing_changes():
    """A medicine with no effect is rarely flagged."""
    flagged = 0
    for seed in range(40):
        d = simulate_diary(
            seed, nights=120, drift_sd=0.0, with_episodes=False, factors=(),
            medicine=MedicineChange("Vitamin D", 60, 1.0),
        )  # fmt: skip
        [med] = medicines_section(NightTable.from_records(d.nights, d.today), d.medicines, d.today)
        flagged += med["rise_after_start"]
    assert flagged <= 4


def test_each_side_states_its_nights_and_the_message_sends_to_the_doctor():
    """Before/after windows give dates and nights; a rise message says to talk to the doctor."""
    start = date(2025, 1, 1)
    nights = [NightRecord(start + timedelta(days=i), 0 if i < 28 else 2) for i in range(56)]
    table = NightTable.from_records(nights, start + timedelta(days=56))
    [med] = medicines_section(
        table,
        [MedicineRecord("Pill", started=start + timedelta(days=28))],
        start + timedelta(days=56),
    )
    [event] = med["events"]
    assert event["before"] == {
        "from": "2025-01-01",
        "to": "2025-01-28",
        "nights": 28,
        "cramps": 0,
        "cramps_per_week": 0.0,
    }
    assert event["after"]["nights"] == 28 and event["after"]["cramps_per_week"] == 14.0
    assert event["change"] == "rise" and med["rise_after_start"] is True
    assert "doctor" in event["message"]


def test_medicines_without_dates_or_without_nights_are_handled():
    """No dates: left out. No nights before the start: not enough data."""
    start = date(2025, 1, 1)
    nights = [NightRecord(start + timedelta(days=i), 1) for i in range(30)]
    table = NightTable.from_records(nights, start + timedelta(days=30))
    meds = [MedicineRecord("Undated"), MedicineRecord("Early", started=start)]
    [early] = medicines_section(table, meds, start + timedelta(days=30))
    assert early["name"] == "Early"
    assert early["events"][0]["change"] == "not_enough_data"
    assert early["rise_after_start"] is False


def _around(before: int, after: int, kind: str) -> dict:
    """One medicine event with ``before`` cramps a night for 28 nights, then ``after``."""
    day = date(2025, 3, 1)
    nights = [NightRecord(day - timedelta(days=i), before) for i in range(1, 29)]
    nights += [NightRecord(day + timedelta(days=i), after) for i in range(28)]
    today = day + timedelta(days=28)
    med = (
        MedicineRecord("Pill", started=day)
        if kind == "started"
        else MedicineRecord("Pill", started=day - timedelta(days=60), stopped=day)
    )
    [section] = medicines_section(NightTable.from_records(nights, today), [med], today)
    return section["events"][-1]


def test_a_fall_gets_the_same_chance_caution_as_a_rise():
    """ "Went down after you started" is as cautious as "went up": chance, nights, the doctor."""
    for kind in ("started", "stopped"):
        rise, fall = _around(0, 2, kind), _around(2, 0, kind)
        assert (rise["change"], fall["change"]) == ("rise", "fall")
        for event in (rise, fall):
            assert "This may be chance or another cause." in event["message"]
            assert "over 28 recorded nights after and 28 before" in event["message"]
            assert "doctor" in event["message"]


def test_no_clear_change_does_not_claim_a_change():
    """Steady nights get no "went up/down" and say a small difference could be chance."""
    message = _around(1, 1, "started")["message"]
    assert "went" not in message and "could be chance" in message
