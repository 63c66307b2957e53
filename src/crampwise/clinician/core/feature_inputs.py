"""What the report takes from the other features' pure cores: medicine links and medicine changes.

Pure; no Django. The guidance feature recognises medicines and says how strongly each is linked to
cramps; the insights feature sets the cramps before and after each medicine start or stop against
each other. The report shows both as they give them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from crampwise.core.knowledge import load_knowledge
from crampwise.diary.core.records import MedicineRecord, NightRecord
from crampwise.guidance.core.medicines import match_medicine, strongest_link
from crampwise.insights.core.medicines import medicines_section
from crampwise.insights.core.night_table import NightTable


def medicine_links(names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """For each typed medicine name, its strongest link to cramps: class and strength of evidence."""
    kb = load_knowledge()
    links: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(names):
        result = match_medicine(name)
        ingredient = strongest_link(result, kb)
        if ingredient is None:
            links[name] = {"linked": False, "recognised": result.status != "not_recognised"}
            continue
        cls = kb.classes[ingredient.class_id]
        links[name] = {
            "linked": True,
            "recognised": True,
            "generic": ingredient.generic,
            "class_name": cls.name,
            "strength": cls.strength,
            "fuzzy": bool(result.fuzzy),
        }
    return links


def medicine_changes(
    nights: Sequence[NightRecord], medicines: Sequence[MedicineRecord], today: date
) -> list[dict[str, Any]]:
    """Cramps in the 4 weeks before and after each medicine start and stop, over the whole diary."""
    return medicines_section(NightTable.from_records(list(nights), today), list(medicines), today)
