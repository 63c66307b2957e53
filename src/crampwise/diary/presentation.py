"""How the history calendar and a night's page put stored answers into words and colour steps."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.diary.models import CustomFactor, Night

# The night page names each built-in factor as a statement, never as its CSV column.
FACTOR_WORDS = {
    "stretched": gettext_lazy("Stretched before bed"),
    "fluid_glasses": gettext_lazy("Glasses of fluid"),
    "alcohol_units": gettext_lazy("Alcohol units"),
    "exercise_minutes": gettext_lazy("Minutes of exercise"),
    "hours_on_feet": gettext_lazy("Hours on your feet"),
    "supportive_shoes": gettext_lazy("Wore supportive shoes"),
}

# The calendar's colour steps: 1, 2, 3 and "4 or more" cramps each have their own shade.
CRAMP_LEVELS = 4


def day_state(count: int | None, status: str) -> tuple[str, int]:
    """A recorded day's cell state and colour level (0: no colour step).

    ``status`` is ``night_status`` of the stored night: a night with cramps logged but no
    morning answer has its own state, so it is not mistaken for a confirmed one.
    """
    if status == "missing" or count is None:
        return "missing", 0
    level = min(count, CRAMP_LEVELS)
    if status == "not_confirmed":
        return "unconfirmed", level
    return ("free", 0) if count == 0 else ("cramps", level)


def factor_rows(user, stored: Night) -> list[tuple[str, str]]:
    """A night's factors as (what it is, in words; the answer), in the order they were saved."""
    labels: dict[str, object] = dict(FACTOR_WORDS)
    labels.update(CustomFactor.objects.filter(user=user).values_list("name", "label"))
    rows = []
    for name, value in stored.factors.items():
        if value is True:
            answer = _("yes")
        elif value is False:
            answer = _("no")
        else:
            answer = formats.number_format(value)
        # A factor deleted since keeps its answers; its column name is made readable.
        label = labels.get(name) or name.replace("_", " ").capitalize()
        rows.append((str(label), answer))
    return rows
