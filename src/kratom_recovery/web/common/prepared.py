"""Queries compiled once per connection and run with new keys.

Django turns a QuerySet into SQL on every run. For the few reads on the check-in's path
that costs several times more than the database's own work (the current-state row's locked
read, with its joins and subqueries: about 2 ms of compiling, cloning and building for
0.1 ms of SQLite). `Prepared` compiles a query once per connection, with marker values
standing in for its keys, and each run puts the keys where the markers landed, runs the SQL
and builds the rows as Django's own iterables do (converters, `select_related` objects,
annotations; or `values_list` tuples).

Keys are integers or strings compared as they are (primary and foreign keys, a session
key): they reach the database unchanged, so a marker found in the compiled parameters is
exactly where a key goes. Anything else the query filters on is fixed when it is first
compiled, so it must not depend on the time or the request.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query import (  # type: ignore[attr-defined]
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError

R = TypeVar("R")

Key = int | str
# Values no real key takes (keys are positive; no key holds a NUL): where one lands in the
# compiled parameters, the key of that position goes at run time.
MARKERS: dict[type, tuple[Key, ...]] = {
    int: (-7_340_001, -7_340_002, -7_340_003, -7_340_004),
    str: ("\x00prepared-1", "\x00prepared-2", "\x00prepared-3", "\x00prepared-4"),
}
SQL_INTEGER = range(-(2**63), 2**63)


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (parameter position, key index)
    build: Callable[[tuple[Any, ...]], Any]
    converters: dict[int, tuple[list[Any], Any]]
    locks: bool


class Prepared(Generic[R]):
    """The rows `query(*keys)` gives, compiled once per connection (and so per thread).

    `query` takes one argument per entry of `keys` (int or str) and must put each into the
    query exactly as given (`filter(patient_id=key)`); it is called once per connection,
    with marker values. It returns model rows or `values_list` tuples (flat or not)."""

    def __init__(self, query: Callable[..., models.QuerySet[Any, R]],
                 keys: tuple[type[int] | type[str], ...] = (int,)) -> None:
        if not 1 <= len(keys) <= 4 or not all(kind in MARKERS for kind in keys):
            raise ValueError("keys: one to four of int and str")
        self.query = query
        self.keys = keys
        self.plans: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Plan] = (
            weakref.WeakKeyDictionary())

    def all(self, *keys: Key, using: str = "default") -> list[R]:
        """The rows for these keys, as `list(query(*keys))` would give them."""
        if len(keys) != len(self.keys) or not all(
                type(key) is kind for key, kind in zip(keys, self.keys, strict=False)):
            raise TypeError(f"expected keys of types {self.keys}, got {keys!r}")
        if any(isinstance(key, int) and key not in SQL_INTEGER for key in keys):
            return []  # no row has such a key (and SQLite cannot take it)
        connection = connections[using]
        plan = self.plans.get(connection) or self._plan(connection, using)
        if plan.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction.")
        params = list(plan.params)
        for position, index in plan.slots:
            params[position] = keys[index]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = [self._convert(row, plan, connection) for row in rows]
        return [plan.build(row) for row in rows]

    def first(self, *keys: Key, using: str = "default") -> R | None:
        rows = self.all(*keys, using=using)
        return rows[0] if rows else None

    @staticmethod
    def _convert(row: tuple[Any, ...], plan: _Plan,
                 connection: BaseDatabaseWrapper) -> tuple[Any, ...]:
        values = list(row)
        for position, (converters, expression) in plan.converters.items():
            value = values[position]
            for converter in converters:
                value = converter(value, expression, connection)
            values[position] = value
        return tuple(values)

    def _plan(self, connection: BaseDatabaseWrapper, using: str) -> _Plan:
        markers = [MARKERS[kind][index] for index, kind in enumerate(self.keys)]
        queryset = self.query(*markers)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple((position, markers.index(value)) for position, value in enumerate(params)
                      if type(value) in MARKERS and value in markers)
        if sorted({index for _, index in slots}) != list(range(len(markers))):
            raise ValueError("every key must reach the SQL as a parameter of its own")
        fields = [column[0] for column in compiler.select[:compiler.col_count]]
        plan = _Plan(sql=sql, params=tuple(params), slots=slots,
                     build=self._builder(queryset, compiler, using),
                     converters=compiler.get_converters(fields),
                     locks=queryset.query.select_for_update
                     and connection.features.has_select_for_update)
        self.plans[connection] = plan
        return plan

    @staticmethod
    def _builder(queryset: models.QuerySet[Any, Any], compiler: Any,
                 using: str) -> Callable[[tuple[Any, ...]], Any]:
        """A row as the queryset's own iterable would give it."""
        iterable = queryset._iterable_class
        if iterable is not ModelIterable:
            if queryset.query.extra_select or queryset.query.annotation_select:
                raise ValueError("values_list with annotations is not supported")
            if iterable is FlatValuesListIterable:
                return lambda row: row[0]
            if iterable is ValuesListIterable:
                return tuple
            raise ValueError(f"rows of {iterable.__name__} are not supported")
        select, klass_info = compiler.select, compiler.klass_info
        model: type[models.Model] = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        annotations = dict(compiler.annotation_col_map or {})

        def build(row: tuple[Any, ...]) -> models.Model:
            obj = model.from_db(using, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            return obj

        return build
