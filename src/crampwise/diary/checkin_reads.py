"""What the morning check-in's POST must know before it saves, read in one statement.

The person's medicines (to check the ones ticked), their own factors (to read those answers), the
cramps logged during the night (the count may not go below them) and whether any trial has begun by
that night (only then is there an adherence question). Asked one by one these were four statements,
each costing more in Python than in the database; here they are one UNION ALL, in the SQL both
SQLite and PostgreSQL speak, each part in the order the ORM would give (tests/diary/test_checkin_reads.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connections, models, router

from crampwise import prepared_sql
from crampwise.trials.models import Trial

from .models import CustomFactor, Episode, Medicine

_MEDICINE, _FACTOR, _LOGGED, _TRIALS = range(4)


@dataclass(frozen=True)
class CheckinReads:
    medicines: list[str]  # names, in the order of the medicines page
    custom_factors: tuple[tuple[str, str, str], ...]  # (name, kind, label), in the order they were added
    logged: int  # cramps logged during the night
    trials_begun: int  # the person's trials whose first night is on or before this night


def checkin_reads(user, night: date) -> CheckinReads:
    alias = router.db_for_read(Medicine)
    connection = connections[alias]
    night_param = connection.ops.adapt_datefield_value(night)
    rows = prepared_sql.select_rows(alias, _sql(alias), [user.pk, user.pk, user.pk, night_param, user.pk, night_param])
    medicines, factors, counts = [], [], {}
    # Sorted here by (part, position): a handful of rows, cheaper than the database's sort of a union.
    for part, number, name, kind, label in sorted(rows, key=_part_and_position):
        if part == _MEDICINE:
            medicines.append(name)
        elif part == _FACTOR:
            factors.append((name, kind, label))
        else:
            counts[part] = int(number)
    return CheckinReads(medicines, tuple(factors), counts.get(_LOGGED, 0), counts.get(_TRIALS, 0))


def _part_and_position(row: tuple) -> tuple[int, int]:
    return row[0], row[1]


@lru_cache(maxsize=8)
def _sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name

    def table(model: type[models.Model]) -> str:
        return quote(model._meta.db_table)

    def column(model: type[models.Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def ordering(model: type[models.Model]) -> str:
        # The model's own ordering, by the database, as the ORM would order it (NULLs included).
        return prepared_sql.order_by_sql(model, model._meta.ordering, alias)

    return (
        f"SELECT {_MEDICINE}, ROW_NUMBER() OVER (ORDER BY {ordering(Medicine)}), {column(Medicine, 'name')}, "
        f"NULL, NULL FROM {table(Medicine)} WHERE {column(Medicine, 'user')} = %s "
        f"UNION ALL SELECT {_FACTOR}, ROW_NUMBER() OVER (ORDER BY {ordering(CustomFactor)}), "
        f"{column(CustomFactor, 'name')}, {column(CustomFactor, 'kind')}, {column(CustomFactor, 'label')} "
        f"FROM {table(CustomFactor)} WHERE {column(CustomFactor, 'user')} = %s "
        f"UNION ALL SELECT {_LOGGED}, COUNT(*), NULL, NULL, NULL FROM {table(Episode)} "
        f"WHERE {column(Episode, 'user')} = %s AND {column(Episode, 'night')} = %s "
        f"UNION ALL SELECT {_TRIALS}, COUNT(*), NULL, NULL, NULL FROM {table(Trial)} "
        f"WHERE {column(Trial, 'owner')} = %s AND {column(Trial, 'start')} <= %s"
    )
