"""Queries compiled once: the SQL of a queryset whose shape never changes, made by Django the
first time and run again with other values (as a prepared statement would be), for the reads on
the way of every enrolment. Django compiles a query's SQL anew at each run, and a read that
joins five tables with every column (the code's request with its course, centre and venues)
costs more to compile than to run. On PostgreSQL; elsewhere the queryset is run as it is.

`compiled(build, **values)`: `build(**values)` is a queryset (filters, joins, ordering, slicing,
locking), `build` a function of the module that uses it. The first call in a connection builds
it with stand-ins (values of the same type no query holds: a random number, a random text, a
random moment in the year 1) and keeps the SQL, where each stand-in went among its parameters,
and Django's compiler to turn the rows into model instances (with their `select_related`
objects), as iterating the queryset would. A value Django changes on its way into the SQL (a
pattern of `contains`, a list) cannot be found: that query is refused (ValueError) the first
time, never run with the wrong values.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, tuple[int, ...]]  # each value's places among the parameters
    compiler: SQLCompiler


def compiled(build: Callable[..., QuerySet[M]], **values: Any) -> list[M]:
    """The model instances `build(**values)` gives, its SQL made once per connection on
    PostgreSQL (elsewhere the queryset is run as it is: SQLite's driver wants moments as text,
    and the reads it serves are not where a burst of enrolments goes)."""
    if connection.vendor != "postgresql":
        return list(build(**values))
    statement = _statement(build, values)
    # Prepared once per connection as well, when allowed: then neither parsed nor planned again.
    with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
        cursor.execute(statement.sql, _bound(statement, values))
        rows = cursor.fetchall()
    return cast(list[M], _instances(statement.compiler, rows))


def compiled_sql(build: Callable[..., QuerySet[Any]], **values: Any) -> tuple[str, list[Any]]:
    """The SQL of `build(**values)` and its parameters, made once per connection, for a
    statement of the caller's that holds it (PostgreSQL)."""
    statement = _statement(build, values)
    return statement.sql, _bound(statement, values)


def per_connection(name: str) -> dict[Any, Any]:
    """A dict kept on this thread's connection (Django's `connection` is a proxy to it), for
    what is made once per connection: statements' texts."""
    kept: dict[Any, Any] | None = getattr(connection, name, None)
    if kept is None:
        kept = {}
        setattr(connection, name, kept)
    return kept


def _statement(build: Callable[..., QuerySet[Any]], values: dict[str, Any]) -> _Statement:
    statements: dict[Callable[..., Any], _Statement] = per_connection("compiled_statements")
    statement = statements.get(build)
    if statement is None:
        statement = statements[build] = _compile(build, values)
    return statement


def _bound(statement: _Statement, values: dict[str, Any]) -> list[Any]:
    params = list(statement.params)
    for name, places in statement.slots.items():
        for place in places:
            params[place] = values[name]
    return params


def _compile(build: Callable[..., QuerySet[Any]], values: dict[str, Any]) -> _Statement:
    stand_ins = {name: _stand_in(value) for name, value in values.items()}
    queryset = build(**stand_ins)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    slots: dict[str, tuple[int, ...]] = {}
    for name, stand_in in stand_ins.items():
        places = tuple(
            i
            for i, param in enumerate(params)
            if type(param) is type(stand_in) and param == stand_in
        )
        if not places:
            raise ValueError(f"{name!r} is changed on its way into the SQL: not compiled")
        slots[name] = places
    return _Statement(sql, tuple(params), slots, compiler)


def _stand_in(value: Any) -> Any:
    """A value of `value`'s type that no query holds by chance."""
    if isinstance(value, bool) or value is None:
        raise TypeError("a flag or None changes the query's shape: give it to build() itself")
    if isinstance(value, int):
        return secrets.randbits(62) + 1
    if isinstance(value, str):
        return f"compiled-{secrets.token_hex(12)}"
    if isinstance(value, datetime):
        return datetime(1, 1, 1, tzinfo=UTC) + timedelta(microseconds=secrets.randbits(48))
    raise TypeError(f"no stand-in for {type(value).__name__}")


def _instances(compiler: SQLCompiler, rows: list[Any]) -> list[Model]:
    """The rows as iterating the queryset gives them (`django.db.models.query.ModelIterable`)."""
    select, klass_info = compiler.select, compiler.klass_info
    assert klass_info is not None  # noqa: S101 - a query of model instances
    db = compiler.using
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    related = get_related_populators(klass_info, select, db)
    found = []
    annotations = compiler.annotation_col_map or {}
    for row in compiler.results_iter([rows]):
        instance = model.from_db(db, names, row[start:end])
        for populator in related:
            populator.populate(row, instance)
        for name, place in annotations.items():
            setattr(instance, name, row[place])
        found.append(instance)
    return found
