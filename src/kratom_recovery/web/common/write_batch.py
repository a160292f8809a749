"""Row writes collected in a block and sent together when it ends.

A check-in ends with writes that nothing after them reads back: the stored safety
evaluation, the caseload triage and the current-state row (and, before the evaluation, an
updated check-in with its re-answered responses). On PostgreSQL each statement costs a
round trip, which on a busy machine outweighs the work itself. Inside `collected()` the
`update` and `upsert` calls are queued and sent when the block ends: on PostgreSQL as one
statement, the first ones as data-modifying WITH clauses of the last; on SQLite, which has
no round trip to save, one after the other. Both databases defer alike, so a test on either
sees the same order of effects.

The contract: inside the block, nothing reads a queued row back from the database (it
would read it as it was). A second write to a queued row sends the queue first, since one
PostgreSQL statement must not change a row twice; writes to the same row thus land in the
order they were made. Outside a transaction there is no batch: each write is sent at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import AutoField, Field, Model, Q
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery, UpdateQuery

Statement = tuple[str, Sequence[Any]]
# SQL by connection and statement shape (common/write_batch._statement).
_SQL: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[Hashable, str]] = (
    weakref.WeakKeyDictionary())


@dataclass
class _Queue:
    using: str
    statements: list[Statement] = field(default_factory=list)
    rows: set[tuple[str, tuple[Any, ...]]] = field(default_factory=set)


_queue: ContextVar[_Queue | None] = ContextVar("write_batch", default=None)


@contextmanager
def collected(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Queue the writes made below and send them when the block ends.

    A block inside another joins it (the outer one sends). An exception drops what is
    queued and marks the transaction for rollback, so a half-sent write never commits."""
    outer = _queue.get()
    if outer is not None:
        if outer.using != using:
            raise ValueError(f"a batch for {outer.using!r} is already open")
        yield
        return
    if not connections[using].in_atomic_block:
        yield  # no transaction: every write is sent at once
        return
    queue = _Queue(using)
    token = _queue.set(queue)
    try:
        yield
    except BaseException:
        transaction.set_rollback(True, using=using)
        raise
    finally:
        _queue.reset(token)
    _send(queue)


def update(obj: Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write every stored field of `obj` to its row, as `obj.save(force_update=True)` does
    (the row must exist; no signals are sent)."""
    model = type(obj)
    connection = connections[using]
    fields = _updated_fields(model)
    raw = [f.pre_save(obj, False) for f in fields]
    values = [f.get_db_prep_save(value, connection) for f, value in zip(fields, raw, strict=True)]
    pk = model._meta.pk
    assert pk is not None
    params = [value for value in values if value is not None]
    params.append(pk.get_db_prep_value(obj.pk, connection))

    def compile_update() -> Statement:
        query = UpdateQuery(model)
        query.add_update_fields(list(zip(fields, [None] * len(fields), raw, strict=True)))
        query.add_q(Q(pk=obj.pk))
        compiler = query.get_compiler(using=using)
        compiler.pre_sql_setup()
        sql, sql_params = compiler.as_sql()
        return str(sql), list(sql_params)

    shape = ("update", model, tuple(value is None for value in values))
    _write(model, ((obj.pk,),), _statement(connection, shape, raw, params, compile_update),
           using)


def upsert(objs: Sequence[Model], unique: Sequence[str], fields: Sequence[str],
           using: str = DEFAULT_DB_ALIAS) -> None:
    """INSERT `objs`, or where a row with the same `unique` columns exists, set its
    `fields` (`bulk_create(update_conflicts=True)` without reading anything back).
    Either every object has its primary key or none has."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[using]
    with_pk = [obj.pk is not None for obj in objs]
    if any(with_pk) != all(with_pk):
        raise ValueError("either every object has its primary key or none has")
    columns = _inserted_fields(model, with_pk[0])
    unique_fields = [_column(model, name) for name in unique]
    raw = [f.pre_save(obj, True) for obj in objs for f in columns]
    params = [f.get_db_prep_save(value, connection)
              for f, value in zip(columns * len(objs), raw, strict=True)]

    def compile_upsert() -> Statement:
        query = InsertQuery(model, on_conflict=OnConflict.UPDATE,
                            update_fields=[_column(model, name) for name in fields],
                            unique_fields=unique_fields)
        query.insert_values(columns, list(objs))
        ((sql, sql_params),) = query.get_compiler(using=using).as_sql()
        return str(sql), list(sql_params)

    # Several rows on PostgreSQL are sent as column arrays (UNNEST): compiled each time.
    shape = (("upsert", model, with_pk[0], len(objs), tuple(unique), tuple(fields))
             if len(objs) == 1 or connection.vendor != "postgresql" else None)
    rows = tuple(tuple(getattr(obj, f.attname) for f in unique_fields) for obj in objs)
    _write(model, rows, _statement(connection, shape, raw, params, compile_upsert), using)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


@cache
def _updated_fields(model: type[Model]) -> list[Field[Any, Any]]:
    return [f for f in model._meta.local_concrete_fields if not f.primary_key and not f.generated]


@cache
def _inserted_fields(model: type[Model], with_pk: bool) -> list[Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.generated
            and not (f.primary_key and isinstance(f, AutoField) and not with_pk)]


def _statement(connection: BaseDatabaseWrapper, shape: Hashable | None, raw: list[Any],
               params: list[Any], compile_with_django: Callable[[], Statement]) -> Statement:
    """The SQL of `shape` with `params`: compiled by Django the first time on a connection
    and kept when Django's parameters for it are `params`, so later writes of that shape
    skip building a query. Expressions, and a shape whose parameters differ, are compiled
    each time."""
    if shape is None or any(hasattr(value, "resolve_expression") for value in raw):
        return compile_with_django()
    known = _SQL.setdefault(connection, {})
    sql = known.get(shape)
    if sql is not None:
        return sql, params
    sql, django_params = compile_with_django()
    if len(django_params) == len(params) and all(
            map(_same_param, django_params, params)):
        known[shape] = sql
    return sql, django_params


def _same_param(ours: Any, theirs: Any) -> bool:
    # psycopg's JSON wrappers compare by identity: compare what they wrap.
    return type(ours) is type(theirs) and getattr(ours, "obj", ours) == getattr(theirs, "obj",
                                                                               theirs)


def _column(model: type[Model], name: str) -> Field[Any, Any]:
    column = model._meta.get_field(name)
    if not isinstance(column, Field) or not column.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a stored field")
    return column


def _write(model: type[Model], rows: Iterable[tuple[Any, ...]], statement: Statement,
           using: str) -> None:
    queue = _queue.get()
    if queue is None or queue.using != using:
        _execute([statement], using)
        return
    keys = {(model._meta.db_table, row) for row in rows}
    if keys & queue.rows:
        _send(queue)
    queue.statements.append(statement)
    queue.rows |= keys


def _send(queue: _Queue) -> None:
    statements, queue.statements = queue.statements, []
    queue.rows = set()
    _execute(statements, queue.using)


def _execute(statements: list[Statement], using: str) -> None:
    if not statements:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            cursor.execute(*_as_one(statements))
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def _as_one(statements: list[Statement]) -> Statement:
    """One PostgreSQL statement: `WITH w0 AS (first), w1 AS (second) last`. Each clause runs
    to completion whether or not anything reads it, all on the same snapshot."""
    *first, (last, last_params) = statements
    clauses = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(first))
    return (f"WITH {clauses} {last}",
            [*chain.from_iterable(params for _, params in first), *last_params])
