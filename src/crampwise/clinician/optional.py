"""The parts of other features the report uses when they are there. Pure; no Django.

Insights, guidance, trials and interop are built alongside this feature. The report must work, and
say "not available yet", while one of them is missing, yet a real bug inside one must still fail
loudly. So only "that module does not exist (yet)" or "it has no such function (yet)" count as
missing; any other error propagates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def optional_attr(module_name: str, attr: str) -> Any | None:
    """``module_name.attr``, or None when the module or the name is not there (yet)."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Missing: the module itself or one of its parent packages. Anything else is a real bug.
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, attr, None)


def summarize_function() -> Callable[..., dict] | None:
    """``insights.summarize(nights, episodes, medicines, factor_specs, today)``."""
    return optional_attr("crampwise.insights", "summarize") or optional_attr(
        "crampwise.insights.summary", "summarize"
    )


def medicine_matcher() -> Callable[[str], Any] | None:
    """``guidance.medicines.match_medicine(text) -> MedicineMatch``."""
    return optional_attr("crampwise.guidance.medicines", "match_medicine")


def medicine_links(names: list[str]) -> dict[str, dict] | None:
    """For each typed medicine name, its strongest link to cramps (or None); None without a matcher.

    Uses the guidance feature's matcher and evidence base: the class it belongs to and how strong
    the evidence that it brings on cramps is.
    """
    match = medicine_matcher()
    strongest = optional_attr("crampwise.guidance.medicines", "strongest_link")
    loader = optional_attr("crampwise.knowledge", "load_knowledge")
    if match is None or strongest is None or loader is None:
        return None
    kb = loader()
    links: dict[str, dict] = {}
    for name in dict.fromkeys(names):
        result = match(name)
        ingredient = strongest(result, kb)
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


def build_bundle_function() -> Callable[..., dict] | None:
    return optional_attr("crampwise.interop", "build_bundle")


def patient_data_class() -> type | None:
    return optional_attr("crampwise.interop", "PatientData")


def chart_function() -> Callable[..., str] | None:
    """The insights feature's weekly chart as SVG, when it offers one."""
    for attr in ("weekly_chart_svg", "trend_chart_svg", "weekly_svg"):
        found = optional_attr("crampwise.insights.charts", attr)
        if found is not None:
            return found
    return None


def medicine_changes(nights: list, medicines: list, today: Any) -> list[dict] | None:
    """Cramps in the 4 weeks before and after each medicine start and stop, over the whole diary."""
    section = optional_attr("crampwise.insights.medicines", "medicines_section")
    table_class = optional_attr("crampwise.insights.night_table", "NightTable")
    if section is None or table_class is None:
        return None
    return section(table_class.from_records(nights, today), medicines, today)
