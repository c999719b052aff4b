"""Rows written together: the writes of a transaction that holds a row lock, sent in one message.

Inside `together()`, `insert()` and `update()` keep what they are given, and the end of the
block sends those statements in one message (on PostgreSQL; with Django's default client-side
binding a message may hold several statements). A new enrolment's row, its event, its audit
entries, its SMS and the code marked used thus cost one wait for the database instead of one
each (`courses.services.enrolment.enrolment_transaction` opens the block). A block that is the
end of its transaction (`together(commit=True)`, in the transaction's outermost atomic block)
sends the COMMIT in the same message: the row lock is let go as soon as the rows are written,
with no round trip more. Elsewhere (SQLite,
which locks the whole database for a writer and has no round trips to save, or outside a
block) they write at once, as `bulk_create()` and `save(update_fields=...)` do.

What a block writes is not in the database until the block ends: nothing inside it may read it
back. A row inserted together gets no id from the database (none is read back); a row that
others refer to comes with its id (`next_id`, drawn under the lock). Foreign keys are checked
at COMMIT on PostgreSQL, so the order of the rows does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLInsertCompiler

from courses.compiled import compiled_sql, per_connection


@dataclass(frozen=True)
class _Insert:
    rows: Sequence[models.Model]
    ignore_conflicts: bool


@dataclass(frozen=True)
class _Update:
    row: models.Model
    fields: tuple[str, ...]


# What the open block will write (None: no block is open).
_pending: ContextVar[list[_Insert | _Update] | None] = ContextVar(
    "rows_written_together", default=None
)


@contextmanager
def together(*, commit: bool = False) -> Iterator[None]:
    """Inside: `insert()` and `update()` keep their rows, sent in one message when the block
    ends without an error. A block inside another joins it. A no-op but on PostgreSQL.

    `commit`: nothing runs in the transaction after this block (it is the last thing inside
    the outermost `transaction.atomic()`, which then has nothing left to send): the message
    ends with the COMMIT. Inside a savepoint or a block nested in another (a test's, a
    caller's) the COMMIT is left to the outermost block, as always."""
    if connection.vendor != "postgresql" or _pending.get() is not None:
        yield
        return
    pending: list[_Insert | _Update] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _send(pending, commit=commit and _ends_the_transaction())


def _ends_the_transaction() -> bool:
    """Whether the open atomic block is the transaction's own (the outermost, no savepoint),
    still to be committed."""
    return (
        len(connection.atomic_blocks) == 1
        and connection.commit_on_exit
        and not connection.savepoint_ids
        and not connection.needs_rollback
    )


def insert(rows: Sequence[models.Model], *, ignore_conflicts: bool = False) -> None:
    """Insert `rows` (of one model): at the end of the open `together()` block, else now with
    `bulk_create()` (which sets their ids)."""
    if not rows:
        return
    pending = _pending.get()
    if pending is None:
        type(rows[0])._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)
        return
    pending.append(_Insert(rows, ignore_conflicts))


def update(row: models.Model, **values: Any) -> None:
    """Set `values` on `row` (one in the database) and save those fields: at the end of the
    open `together()` block, else now."""
    for name, value in values.items():
        setattr(row, name, value)
    pending = _pending.get()
    if pending is None:
        row.save(update_fields=list(values))
        return
    pending.append(_Update(row, tuple(values)))


def sent_ahead() -> list[tuple[str, Any]]:
    """The statements of what the open block keeps so far, taken out of it: for a caller who
    sends them at the head of a message of its own (the row lock's: `courses.services.locking`),
    so that what does not wait for a decision is written before the lock is had. Outside a
    block (or but on PostgreSQL) nothing is kept: []."""
    pending = _pending.get()
    if not pending:
        return []
    statements = _taken(pending)
    pending.clear()
    return statements


def message(*statements: tuple[str, Any]) -> tuple[str, list[Any]]:
    """`statements` (each SQL and its parameters) as the text and parameters of one message."""
    return (
        "; ".join(sql for sql, _params in statements),
        [param for _sql, params in statements for param in params],
    )


def next_id(model: type[models.Model]) -> tuple[str, list[str]]:
    """The statement that draws the next id of `model`'s table, as `next_id` (PostgreSQL)."""
    return "SELECT nextval(pg_get_serial_sequence(%s, %s)) AS next_id", [
        model._meta.db_table,
        model._meta.pk.column,
    ]


def added_or_found(
    row: models.Model, found: Callable[..., QuerySet[Any]], **values: Any
) -> models.Model | None:
    """`row` inserted, or, when a row conflicting with it is there already, the row
    `found(**values)` finds (a queryset of `row`'s model), in one statement on PostgreSQL
    (INSERT ... ON CONFLICT DO NOTHING RETURNING, with the row as the statement's snapshot sees
    it; the read compiled once, `courses.compiled`). None when neither: the conflicting row was
    committed by a transaction the statement had to wait for (its snapshot cannot see it), then
    ask again. Elsewhere two statements: the INSERT, then the read."""
    model = type(row)
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([row], ignore_conflicts=True)
        return found(**values).first()
    ((insert, insert_params),) = _insert_sql([row], ignore_conflicts=True)
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    read, read_params = compiled_sql(found, **values)  # its columns: the same, in this order
    with connection.cursor() as cursor:
        cursor.execute(
            # Compiled by Django, every value a parameter.
            f"WITH added AS ({insert} RETURNING {columns}) "  # noqa: S608
            f"SELECT * FROM added UNION ALL ({read})",
            [*insert_params, *read_params],
        )
        values = cursor.fetchone()
    if values is None:
        return None
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def _send(pending: list[_Insert | _Update], *, commit: bool) -> None:
    statements = _taken(pending)
    if not statements:
        return
    if commit:
        # The server commits; psycopg, then idle, has nothing to send for Django's commit().
        statements.append(("COMMIT", []))
    with connection.cursor() as cursor:
        cursor.execute(*message(*statements))


def _taken(pending: list[_Insert | _Update]) -> list[tuple[str, Any]]:
    """The statements of `pending`, its rows marked as in the database (they are sent now)."""
    statements = [sql for write in pending for sql in _sql(write)]
    for write in pending:
        for row in write.rows if isinstance(write, _Insert) else ():
            row._state.adding = False
            row._state.db = connection.alias
    return statements


def _sql(write: _Insert | _Update) -> list[tuple[str, Any]]:
    if isinstance(write, _Update):
        return [_update_sql(write.row, write.fields)]
    return _insert_sql(write.rows, write.ignore_conflicts)


def _update_sql(row: models.Model, names: tuple[str, ...]) -> tuple[str, Any]:
    """The UPDATE of `names` of `row`, as `save(update_fields=names)` would make it."""
    query = cast(UpdateQuery, type(row)._base_manager.filter(pk=row.pk).query.chain(UpdateQuery))
    query.add_update_values({name: getattr(row, name) for name in names})
    sql, params = query.get_compiler(connection=connection).as_sql()
    return sql, params


def _insert_sql(rows: Sequence[models.Model], ignore_conflicts: bool) -> list[tuple[str, Any]]:
    """The INSERT of each of `rows` as `bulk_create()` would make it, with no RETURNING: a row
    that comes with its id is inserted with it, the others get the table's default. The
    statement's text is made once per connection, table and kind (`_row_insert`); each row
    only has its values prepared, as Django prepares them."""
    statements = []
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        key = (type(row), row.pk is not None, ignore_conflicts)
        made: dict[Any, _RowInsert] = per_connection("row_inserts")
        insert = made.get(key)
        values = insert.values(row) if insert is not None else None
        if values is None:  # the first of its kind here, or a value Django writes as SQL
            insert, sql_and_values = _row_insert(*key, row)
            if insert is not None:
                made[key] = insert
            statements.append(sql_and_values)
            continue
        assert insert is not None  # noqa: S101 - values came from it
        statements.append((insert.sql, values))
    return statements


@dataclass(frozen=True)
class _RowInsert:
    """The INSERT of one row of a table, its values left as parameters."""

    sql: str
    fields: tuple[models.Field[Any, Any], ...]
    compiler: SQLInsertCompiler

    def values(self, row: models.Model) -> list[Any] | None:
        """`row`'s values as the compiler prepares them; None when one is an expression (to
        be written in the SQL itself)."""
        compiler = self.compiler
        values = [compiler.prepare_value(f, compiler.pre_save_val(f, row)) for f in self.fields]
        return None if any(hasattr(value, "as_sql") for value in values) else values


def _row_insert(
    model: type[models.Model], with_id: bool, ignore_conflicts: bool, row: models.Model
) -> tuple[_RowInsert | None, tuple[str, Any]]:
    """Django's INSERT of `row`, and the statement to keep for the next rows of its kind (None
    when its text holds more than one parameter for each column)."""
    opts = model._meta
    fields = tuple(
        f for f in opts.concrete_fields if not f.generated and (with_id or f is not opts.auto_field)
    )
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(list(fields), [row])
    compiler = cast(SQLInsertCompiler, query.get_compiler(connection=connection))
    ((sql, params),) = compiler.as_sql()
    plain = len(params) == len(fields) == sql.count("%s")
    return (_RowInsert(sql, fields, compiler) if plain else None), (sql, params)
