"""Simple reads and one upsert that run on every request, with SQL built once, not once per call.

Why: on the hot paths (the session and user behind every page, the morning check-in) Django's
query building costs far more than the query. benchmarks/hot_paths.py on the 2-core machine: a
user by primary key took 0.55 ms with ``Model.objects.get`` and 0.08 ms prepared (0.15x); the
whole request is measured by benchmarks/http_diary.py. These helpers cover only
plain equality and comparison filters on one table, turn them into SQL once per (model, filter
shape, database), and hand back ordinary model instances built the way the ORM builds them:
values adapted by each field for the database, and every row converted back by the same
converters the ORM applies (so a SQLite date string comes back as a ``date``, JSON as a dict).

``upsert`` writes one model instance as ``bulk_create(update_conflicts=True)`` would, as a single
statement (atomic on its own, so no BEGIN/COMMIT round trips around it).

The statements run on the DB-API connection Django already holds, in the driver's own parameter
style, skipping Django's cursor wrapper (a user by key: 0.076 ms on the driver's cursor, 0.134 ms
through Django's, on the 2-core machine: benchmarks/hot_paths.py). They stay inside any open
transaction and raise Django's database errors. Whenever Django would watch a query (DEBUG's query log,
``assertNumQueries``, an execute wrapper) or the connection is not open yet, they go through
Django's cursor instead, so nothing becomes invisible to the tools that count queries.

Anything richer than that belongs in the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)

_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def fetch(
    model: type[M], *, order_by: tuple[str, ...] = (), only: tuple[str, ...] = (), **lookups: Any
) -> list[M]:
    """``model.objects.filter(**lookups).order_by(*order_by).only(*only)`` as a list.

    No order unless one is given. With ``only``, the other fields are deferred, as with the ORM.
    """
    alias = router.db_for_read(model)
    plan = _select_plan(model, tuple(lookups), tuple(order_by), tuple(only), alias)
    connection = connections[alias]
    rows = _run(connection, plan.sql, plan.params(lookups, connection), fetch=True)
    return [model.from_db(alias, plan.attnames, plan.convert(row, connection)) for row in rows]


def fetch_values(model: type[models.Model], fields: tuple[str, ...], *, order_by: tuple[str, ...] = (),
                 **lookups: Any) -> list[tuple]:
    """``model.objects.filter(**lookups).order_by(*order_by).values_list(*fields)`` as a list of tuples.

    For the hot paths that need a column or two, not model instances.
    """
    alias = router.db_for_read(model)
    plan = _select_plan(model, tuple(lookups), tuple(order_by), tuple(fields), alias, values=True)
    connection = connections[alias]
    rows = _run(connection, plan.sql, plan.params(lookups, connection), fetch=True)
    return [tuple(plan.convert(row, connection)) for row in rows]


def fetch_one(model: type[M], **lookups: Any) -> M | None:
    """The one row matching ``lookups`` (e.g. by primary key), or None."""
    rows = fetch(model, **lookups)
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(f"{len(rows)} {model.__name__} rows match {sorted(lookups)}")
    return rows[0] if rows else None


def fetch_one_with_related(
    model: type[M], related: type[models.Model], related_field: str, **lookups: Any
) -> tuple[M | None, models.Model | None]:
    """The one ``model`` row matching ``lookups`` and the ``related`` row whose one-to-one
    ``related_field`` points to it (None if it has none), in one statement (a LEFT JOIN).

    What ``select_related`` does for a reverse one-to-one.
    """
    alias = router.db_for_read(model)
    plan = _joined_plan(model, related, related_field, tuple(lookups), alias)
    connection = connections[alias]
    rows = _run(connection, plan.sql, plan.params(lookups, connection), fetch=True)
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(f"{len(rows)} {model.__name__} rows match {sorted(lookups)}")
    if not rows:
        return None, None
    main, other = plan.readers
    return main.build(rows[0], connection), other.build(rows[0], connection)


class RowReader:
    """One model's columns in a SELECT written by hand (with joins), and the instance built from them.

    ``columns`` lists every concrete field, qualified by the table, to be placed in the statement
    from position ``start``; ``build`` converts those values as the ORM would and returns the
    instance, or None when a LEFT JOIN found no row (a NULL key).
    """

    def __init__(self, model: type[models.Model], alias: str, start: int = 0):
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.model, self.alias = model, alias
        self.columns = ", ".join(f"{quote(table)}.{quote(f.column)}" for f in fields)
        self.start, self.end = start, start + len(fields)
        self.attnames = [f.attname for f in fields]
        self.pk_position = fields.index(model._meta.pk)
        self.converters = _converters(fields, table, connection)

    def build(self, row: tuple, connection) -> models.Model | None:
        values = row[self.start:self.end]
        if values[self.pk_position] is None:
            return None
        return self.model.from_db(self.alias, self.attnames, _convert(values, self.converters, connection))


def count(model: type[models.Model], **lookups: Any) -> int:
    """``model.objects.filter(**lookups).count()``."""
    alias = router.db_for_read(model)
    plan = _count_plan(model, tuple(lookups), alias)
    connection = connections[alias]
    return int(_run(connection, plan.sql, plan.params(lookups, connection), fetch=True)[0][0])


def upsert(obj: models.Model, *, unique_fields: tuple[str, ...], update_fields: tuple[str, ...]) -> None:
    """Insert ``obj``, or, when a row with the same ``unique_fields`` exists, update its ``update_fields``.

    Every concrete field but an automatic primary key is written, prepared by the field itself
    (defaults, ``auto_now``, JSON), exactly as ``bulk_create`` prepares it.
    """
    model = type(obj)
    alias = router.db_for_write(model)
    connection = connections[alias]
    plan = _upsert_plan(model, tuple(unique_fields), tuple(update_fields), alias)
    params = [adapt(field.pre_save(obj, add=True), connection) for field, adapt in plan.columns]
    _run(connection, plan.sql, params, fetch=False)


def upsert_values(model: type[models.Model], values: dict[str, Any], *, unique_fields: tuple[str, ...],
                  update_fields: tuple[str, ...]) -> None:
    """``upsert`` of a row given as ``{field name: value}``, without building a model instance.

    Fields left out get their default; ``auto_now`` fields get the time, as with ``upsert``. For
    the morning check-in's write: the instance and the field-by-field preparation cost twice the
    statement itself (benchmarks/hot_paths.py).
    """
    alias = router.db_for_write(model)
    connection = connections[alias]
    plan = _upsert_plan(model, tuple(unique_fields), tuple(update_fields), alias)
    unknown = values.keys() - plan.names
    if unknown:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    params = []
    for field, adapt in plan.columns:
        if field.name in plan.stamped:
            value = field.pre_save(_Stamp(), add=True)  # auto_now / auto_now_add: the field's own clock
        elif field.name in values:
            value = values[field.name]
            if isinstance(value, models.Model):
                value = value.pk  # a related object stands for its key, as when assigned to the field
        else:
            value = field.get_default()
        params.append(adapt(value, connection))
    _run(connection, plan.sql, params, fetch=False)


class _Stamp:
    """Somewhere for ``pre_save`` of an ``auto_now`` field to put the time it sets."""


def select_rows(alias: str, sql: str, params: list[Any]) -> list[tuple]:
    """The rows of one SELECT written by hand with ``%s`` placeholders, run as the reads above are.

    For a hot path whose several small reads go as one statement (diary/checkin_reads.py); the
    caller adapts its parameters and converts the columns itself.
    """
    return _run(connections[alias], sql, params, fetch=True)


def _run(connection, sql: str, params: list[Any], *, fetch: bool) -> list[tuple] | None:
    """Execute one statement written with ``%s`` placeholders; the rows if ``fetch``."""
    raw = connection.connection
    if raw is None or connection.queries_logged or connection.execute_wrappers or connection.needs_rollback:
        # Django's cursor: it connects, logs, runs wrappers and refuses a broken transaction.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else None
    with connection.wrap_database_errors:
        # SQLite: the driver's plain cursor (Django's converts "%s" with a regex on every call);
        # elsewhere Django's own cursor, unwrapped (it sets the connection's time zone loader).
        cursor = raw.cursor() if connection.vendor == "sqlite" else connection.create_cursor()
        try:
            cursor.execute(_native_sql(sql, connection.vendor), params)
            return cursor.fetchall() if fetch else None
        finally:
            cursor.close()


@lru_cache(maxsize=256)
def _native_sql(sql: str, vendor: str) -> str:
    """The statement in the driver's parameter style (sqlite3 takes ``?``; psycopg takes ``%s``)."""
    if vendor == "sqlite":
        # As Django's SQLite cursor converts it; these statements hold no literal "%".
        return sql.replace("%s", "?")
    return sql


class _UpsertPlan:
    def __init__(self, sql: str, fields: list[models.Field]):
        self.sql = sql
        self.columns = [(field, _save_adapter(field)) for field in fields]
        self.names = {field.name for field in fields}
        self.stamped = {f.name for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}


@lru_cache(maxsize=32)
def _upsert_plan(
    model: type[models.Model], unique: tuple[str, ...], update: tuple[str, ...], alias: str
) -> _UpsertPlan:
    quote = connections[alias].ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    conflict = ", ".join(quote(model._meta.get_field(n).column) for n in unique)
    updates = ", ".join(
        f"{quote(c)} = EXCLUDED.{quote(c)}" for c in (model._meta.get_field(n).column for n in update)
    )
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    return _UpsertPlan(sql, fields)


_INTEGER_TYPES = {
    "IntegerField", "SmallIntegerField", "BigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
}


def _save_adapter(field: models.Field) -> Callable[[Any, Any], Any]:
    """``field.get_db_prep_save(value, connection)``, the usual values sent straight to the database's adapter."""
    return _adapter(field, field.get_db_prep_save, none_is_null=True)


def _lookup_adapter(field: models.Field) -> Callable[[Any, Any], Any]:
    """``field.get_db_prep_value(value, connection, prepared=False)``: a filter's value, the same short way."""
    def slow(value, connection):
        return field.get_db_prep_value(value, connection, prepared=False)
    return _adapter(field, slow, none_is_null=False)


def _adapter(field: models.Field, slow: Callable[[Any, Any], Any], *, none_is_null: bool) -> Callable[[Any, Any], Any]:
    """``slow(value, connection)``, with the usual values sent straight to the database's own adapter.

    Django's way passes each value through three or four layers of field methods; for a plain int,
    str, date, aware datetime, dict or list those layers end in the one call made here. Any other
    value (None where the field says otherwise, expressions, strings for dates...) takes Django's
    way, so the result is always what Django would send (tests/test_prepared_sql.py compares them).
    ``slow`` is the field's own method (a foreign key handles "" and None before its target does).
    """
    target = field.target_field if field.is_relation else field
    internal = target.get_internal_type()

    if internal in _INTEGER_TYPES:
        def adapt(value, connection):
            if type(value) is int:
                return connection.ops.adapt_integerfield_value(value, internal)
            return slow(value, connection)
    elif internal in {"AutoField", "BigAutoField", "SmallAutoField"}:
        def adapt(value, connection):
            return connection.ops.validate_autopk_value(value) if type(value) is int else slow(value, connection)
    elif internal in {"CharField", "TextField"}:
        def adapt(value, connection):
            return value if type(value) is str else slow(value, connection)
    elif internal == "DateField":
        def adapt(value, connection):
            return connection.ops.adapt_datefield_value(value) if type(value) is date else slow(value, connection)
    elif internal == "DateTimeField":
        def adapt(value, connection):
            if type(value) is datetime and value.utcoffset() is not None and settings.USE_TZ:
                return connection.ops.adapt_datetimefield_value(value)
            return slow(value, connection)
    elif internal == "JSONField" and none_is_null:
        def adapt(value, connection):
            if value is None:
                return None  # SQL NULL, as JSONField.get_db_prep_save sends it
            if type(value) in (dict, list):
                return connection.ops.adapt_json_value(value, target.encoder)
            return slow(value, connection)
    else:
        adapt = slow
    return adapt


class _Plan:
    readers: tuple[RowReader, ...] = ()  # a joined plan's models, in the row's order

    def __init__(self, sql: str, where_fields: list[tuple[str, models.Field]], fields=(), converters=()):
        self.sql = sql
        self.where_adapters = [(key, _lookup_adapter(field)) for key, field in where_fields]
        self.attnames = [f.attname for f in fields]
        self.converters = converters  # (position, [converter, ...], column expression)

    def params(self, lookups: dict[str, Any], connection) -> list[Any]:
        out = []
        for key, adapt in self.where_adapters:
            value = lookups[key]
            if isinstance(value, models.Model):
                value = value.pk
            out.append(adapt(value, connection))
        return out

    def convert(self, row: tuple, connection) -> list[Any]:
        return _convert(row, self.converters, connection)


def _convert(row: tuple, converters: list[tuple], connection) -> list[Any]:
    """A row's values as the ORM hands them over: each column through its converters."""
    values = list(row)
    for position, column_converters, expression in converters:
        value = values[position]
        for converter in column_converters:
            value = converter(value, expression, connection)
        values[position] = value
    return values


def _where(model: type[models.Model], keys: tuple[str, ...], connection, qualifier: str = "") -> tuple[str, list]:
    quote = connection.ops.quote_name
    clauses, where_fields = [], []
    for key in keys:
        name, _sep, operator = key.partition("__")
        if operator and operator not in _OPERATORS:
            raise ValueError(f"prepared reads support {sorted(_OPERATORS)}, not {operator!r}")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if field.is_relation:
            # A foreign key compares its own column with the target's value (``user=`` -> user_id).
            target = field.target_field
        else:
            target = field
        clauses.append(f"{qualifier}{quote(field.column)} {_OPERATORS[operator or 'exact']} %s")
        where_fields.append((key, target))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", where_fields


@lru_cache(maxsize=128)
def _select_plan(
    model: type[models.Model],
    keys: tuple[str, ...],
    order_by: tuple[str, ...],
    only: tuple[str, ...],
    alias: str,
    values: bool = False,
) -> _Plan:
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    if values:
        # values_list(): exactly the named columns, in the order named.
        fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in only]
    elif only:
        # The primary key always comes along, as with QuerySet.only().
        wanted = {model._meta.get_field(name).attname for name in only} | {model._meta.pk.attname}
        fields = [f for f in fields if f.attname in wanted]
    columns = ", ".join(quote(f.column) for f in fields)
    where, where_fields = _where(model, keys, connection)
    if order_by:
        # The database orders, as with the ORM, so NULLs land where they would there.
        where += " ORDER BY " + order_by_sql(model, order_by, alias)
    converters = _converters(fields, table, connection)
    return _Plan(f"SELECT {columns} FROM {quote(table)}{where}", where_fields, fields, converters)


def order_by_sql(model: type[models.Model], order_by: tuple[str, ...] | list[str], alias: str) -> str:
    """``order_by`` names ("-started", "name") as SQL terms, for the database to order by."""
    quote = connections[alias].ops.quote_name
    return ", ".join(
        f"{quote(model._meta.get_field(name.lstrip('-')).column)}{' DESC' if name.startswith('-') else ''}"
        for name in order_by
    )


def _converters(fields: list[models.Field], table: str, connection) -> list[tuple]:
    """The ORM's converters for each column that has any, by position in the row."""
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, found, column))
    return converters


@lru_cache(maxsize=32)
def _joined_plan(model: type[models.Model], related: type[models.Model], related_field: str,
                 keys: tuple[str, ...], alias: str) -> _Plan:
    connection = connections[alias]
    quote = connection.ops.quote_name
    link = related._meta.get_field(related_field)
    if not link.one_to_one or link.related_model is not model:
        raise ValueError(f"{related.__name__}.{related_field} is not a one-to-one link to {model.__name__}")
    main = RowReader(model, alias)
    other = RowReader(related, alias, start=main.end)
    table, other_table = quote(model._meta.db_table), quote(related._meta.db_table)
    where, where_fields = _where(model, keys, connection, qualifier=f"{table}.")
    join = f" LEFT JOIN {other_table} ON {other_table}.{quote(link.column)} = {table}.{quote(link.target_field.column)}"
    plan = _Plan(f"SELECT {main.columns}, {other.columns} FROM {table}{join}{where}", where_fields)
    plan.readers = (main, other)
    return plan


@lru_cache(maxsize=128)
def _count_plan(model: type[models.Model], keys: tuple[str, ...], alias: str) -> _Plan:
    connection = connections[alias]
    where, where_fields = _where(model, keys, connection)
    return _Plan(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}{where}", where_fields)
