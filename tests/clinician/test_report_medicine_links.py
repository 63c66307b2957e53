"""The report names how a medicine is linked with cramps, for the newer kinds of link too."""

from __future__ import annotations

from datetime import date

from crampwise.clinician.core.feature_inputs import medicine_links
from crampwise.clinician.core.report_medicines import medicines_section
from crampwise.diary.core.records import MedicineRecord

END = date(2026, 11, 30)


def _link_line(name: str) -> str:
    meds = [MedicineRecord(name=name, started=date(2026, 1, 5))]
    section = medicines_section(meds, date(2026, 9, 1), END, [], medicine_links([name]), None)
    return section["current"][0]["link"]


def test_a_medicine_with_cramps_on_its_leaflet_is_reported_as_such():
    """Salbutamol's leaflet lists cramps: the doctor reads that, not a bare "listed"."""
    assert "product leaflet" in _link_line("salbutamol")


def test_a_newer_long_acting_inhaler_is_reported_as_the_same_type_not_as_studied():
    assert "not itself studied" in _link_line("Relvar Ellipta")


def test_a_well_studied_link_keeps_its_strength():
    line = _link_line("bendroflumethiazide")
    assert "evidence" in line and "leaflet" not in line
