"""The built-in daily factors and how their values are written in the nightly CSV."""

from __future__ import annotations

from crampwise.diary.core.records import FactorSpec

# Order matters: it is the column order in the nightly CSV and in the check-in form.
BUILTIN_FACTORS: tuple[FactorSpec, ...] = (
    FactorSpec("stretched", "yes_no", "Stretched before bed", True),
    FactorSpec("fluid_glasses", "count", "Glasses of fluid", True),
    FactorSpec("alcohol_units", "count", "Alcohol units", True),
    FactorSpec("exercise_minutes", "count", "Exercise minutes", True),
    FactorSpec("hours_on_feet", "count", "Hours on feet", True),
    FactorSpec("supportive_shoes", "yes_no", "Wore supportive shoes", True),
)
BUILTIN_FACTOR_NAMES = tuple(f.name for f in BUILTIN_FACTORS)
