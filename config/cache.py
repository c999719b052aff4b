"""The embedded default cache: Django's database cache, with counters that hold across processes.

Django's `DatabaseCache.incr()` is a `get()` then a `set()`: two processes counting at once can
both read 4 and both write 5, and the `set()` moves the key's expiry to the default timeout. Here
`add()` runs in one transaction that first locks the key's row (`SELECT ... FOR UPDATE`; SQLite
has no row locks, but its transactions here begin IMMEDIATE and so hold the database's write
lock), and `incr()` is a compare-and-swap that keeps the key's expiry, as Redis's `INCR` does.

Rate limits (`courses.limits.allow`) count with `incr_window()`: one statement, an
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (PostgreSQL and SQLite), that opens a window
(count 1, closing `period` seconds later) when the key has none or its window closed, and else
adds 1 and keeps the window's end. Such a count is stored as its decimal digits, which SQL can
add to; every other value is a pickle in base64, never all digits (it begins "gA"). `get()` and
`incr()` read both, and `incr()` writes back what it read: digits stay digits.
"""

from __future__ import annotations

import base64
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.utils import timezone

# Compare-and-swap rounds incr() tries (each lost round is another process's count) before it
# waits for the row's lock instead.
INCR_ATTEMPTS = 3

# Run in the statement itself (a CTE that the INSERT reads from): on PostgreSQL, outside a
# transaction, the count does not wait for the disk. A crash may forget a window's last counts,
# never double them.
UNFLUSHED = "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)) "

# The table's size is checked (a COUNT(*) of every row) at the first window a cache opens and then
# at one in SIZE_CHECK_EVERY, not at each as Django's set() does: in a burst of new visitors
# every first count opens a window, and with the table near its 10,000 keys the COUNT(*) alone
# took 0.5 ms (`tests/bench/test_throttle_bench.py`). Past MAX_ENTRIES the table is culled at the
# next check, so it holds at most SIZE_CHECK_EVERY - 1 more keys per cache (Django makes one per
# thread: one per gunicorn sync worker) in between. The cache's OPTIONS {"SIZE_CHECK_EVERY": n}
# sets it, a whole number from 1 (1: at every window, as before).
SIZE_CHECK_EVERY = 16

# A stored value that is a count (its digits: bigint holds 18 of them), as each database says it.
IS_COUNT = {
    "postgresql": "{value} ~ '^[0-9]{{1,18}}$'",
    "sqlite": "length({value}) BETWEEN 1 AND 18 AND {value} NOT GLOB '*[^0-9]*'",
}


def _is_count(stored: str) -> bool:
    return stored.isascii() and stored.isdigit()


def _decoded(stored: str) -> Any:
    """A stored value: a count's digits, or a pickle in base64."""
    if _is_count(stored):
        return int(stored)
    return pickle.loads(base64.b64decode(stored.encode()))  # noqa: S301 - our own pickles


def _aware(connection: Any, expires: Any) -> Any:
    """The `expires` column as read by a raw cursor, as an aware datetime."""
    expression = models.Expression(output_field=models.DateTimeField())
    converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
        connection
    )
    for converter in converters:
        expires = converter(expires, expression, connection)
    return expires


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table
        self._window_sqls: dict[tuple[str, bool], str] = {}
        every = params.get("OPTIONS", {}).get("SIZE_CHECK_EVERY", SIZE_CHECK_EVERY)
        if not isinstance(every, int) or isinstance(every, bool) or every < 1:
            raise ImproperlyConfigured(
                f"The cache's SIZE_CHECK_EVERY is a whole number from 1, not {every!r}."
            )
        self._size_check_every = every
        self._windows_unchecked = 0  # windows opened since the table's size was last checked

    def incr_window(self, key: Any, *, period: int, version: int | None = None) -> int:
        """Count one more event under `key` and return the count in its window, in one statement
        that every process's count holds against: the key's row is inserted with count 1 and an
        end `period` seconds from now, or, if it is there, gets 1 more while its window is open,
        else starts again at 1 with a new end (a row holding something other than a count, too).
        A count that opens a window also culls the table past MAX_ENTRIES, as `add()` does: the
        first one, then one in SIZE_CHECK_EVERY."""
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        at = adapt(now)
        # PostgreSQL: prepared once per connection (config.postgresql: prepared_cursor).
        with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
            cursor.execute(
                self._window_sql(connection),
                [made_key, adapt(now + timedelta(seconds=period)), at, at],
            )
            count = int(cursor.fetchone()[0])
            if count == 1 and self._size_to_check():
                table = connection.ops.quote_name(self.table)
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                rows = cursor.fetchone()[0]
                if rows > self._max_entries:
                    self._cull(db, cursor, now, rows)  # type: ignore[attr-defined]
        return count

    def _size_to_check(self) -> bool:
        """Whether the window just opened checks the table's size (see SIZE_CHECK_EVERY)."""
        due = self._windows_unchecked == 0
        self._windows_unchecked = (self._windows_unchecked + 1) % self._size_check_every
        return due

    def _window_sql(self, connection: Any) -> str:
        unflushed = connection.vendor == "postgresql" and not connection.in_atomic_block
        sql = self._window_sqls.get((connection.alias, unflushed))
        if sql is None:
            sql = self._window_sqls[connection.alias, unflushed] = self._build_window_sql(
                connection, unflushed=unflushed
            )
        return sql

    def _build_window_sql(self, connection: Any, *, unflushed: bool) -> str:
        qn = connection.ops.quote_name
        table, value, cache_key, expires = (
            qn(self.table),
            qn("value"),
            qn("cache_key"),
            qn("expires"),
        )
        is_count = IS_COUNT[connection.vendor].format(value=f"{table}.{value}")
        open_count = f"{table}.{expires} > %s AND {is_count}"
        row = "SELECT %s, '1', %s FROM unflushed" if unflushed else "VALUES (%s, '1', %s)"
        # The table and column names are ours, quoted by the backend.
        return (
            f"{UNFLUSHED if unflushed else ''}"
            f"INSERT INTO {table} ({cache_key}, {value}, {expires}) {row} "
            f"ON CONFLICT ({cache_key}) DO UPDATE SET "
            f"{value} = CASE WHEN {open_count} "
            f"THEN CAST(CAST({table}.{value} AS BIGINT) + 1 AS TEXT) ELSE '1' END, "
            f"{expires} = CASE WHEN {open_count} THEN {table}.{expires} "
            f"ELSE excluded.{expires} END "
            f"RETURNING {value}"
        )

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        """Django's, reading counts as well as pickles."""
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('cache_key')}, {qn('value')}, {qn('expires')} "  # noqa: S608
                f"FROM {qn(self.table)} WHERE {qn('cache_key')} IN "
                f"({', '.join(['%s'] * len(key_map))})",
                list(key_map),
            )
            rows = cursor.fetchall()
        result, expired = {}, []
        now = timezone.now()
        for made_key, stored, expires in rows:
            if _aware(connection, expires) < now:
                expired.append(made_key)
            else:
                result[key_map[made_key]] = _decoded(connection.ops.process_clob(stored))
        self._base_delete_many(expired)  # type: ignore[attr-defined]  # Django's (not in the stubs)
        return result

    @contextmanager
    def _row_locked(self, key: str) -> Iterator[Any]:
        """A transaction holding the lock on `key`'s row (if there is one yet), and a cursor."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('value')}, {qn('expires')} FROM {qn(self.table)} "  # noqa: S608
                f"WHERE {qn('cache_key')} = %s{lock}",
                [key],
            )
            yield connection, cursor

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        with self._row_locked(self.make_and_validate_key(key, version=version)):
            return super().add(key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Count by compare-and-swap, with no transaction of its own: read the value, then write
        value + delta only where the row still holds what was read and has not expired; another
        process's count in between makes the write match nothing, and it is tried again (after a
        few rounds lost, under the row's lock). Two statements; on PostgreSQL, outside a
        transaction, the write does not wait for the disk (as `incr_window()`)."""
        made_key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        qn = connection.ops.quote_name
        table, value, cache_key, expires = (
            qn(self.table),
            qn("value"),
            qn("cache_key"),
            qn("expires"),
        )
        unflushed = connection.vendor == "postgresql" and not connection.in_atomic_block
        # The table and column names are ours, quoted by the backend.
        update = (
            f"{UNFLUSHED if unflushed else ''}UPDATE {table} SET {value} = %s"  # noqa: S608
            f"{' FROM unflushed' if unflushed else ''} "
            f"WHERE {cache_key} = %s AND {value} = %s AND {expires} > %s"
        )
        with connection.cursor() as cursor:
            for _attempt in range(INCR_ATTEMPTS):
                now = timezone.now()
                cursor.execute(
                    f"SELECT {value}, {expires} FROM {table} WHERE {cache_key} = %s",  # noqa: S608
                    [made_key],
                )
                row = cursor.fetchone()
                if row is None or self._expiry(connection, row[1]) < now:
                    raise ValueError(f"Key '{key}' not found")
                stored = connection.ops.process_clob(row[0])
                new_value = _decoded(stored) + delta
                cursor.execute(
                    update,
                    [
                        self._encoded_like(stored, new_value),
                        made_key,
                        stored,
                        connection.ops.adapt_datetimefield_value(now),
                    ],
                )
                if cursor.rowcount == 1:
                    return new_value
        return self._incr_locked(made_key, key, delta)  # contended: wait for the row's lock

    def _incr_locked(self, made_key: str, key: Any, delta: int) -> Any:
        """incr() in a transaction holding the row's lock: one waits, nobody loses a count."""
        with self._row_locked(made_key) as (connection, cursor):
            row = cursor.fetchone()
            if row is None or self._expiry(connection, row[1]) < timezone.now():
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            new_value = _decoded(stored) + delta
            qn = connection.ops.quote_name
            cursor.execute(
                f"UPDATE {qn(self.table)} SET {qn('value')} = %s "  # noqa: S608
                f"WHERE {qn('cache_key')} = %s",
                [self._encoded_like(stored, new_value), made_key],
            )
            return new_value

    def _encoded_like(self, stored: str, value: Any) -> str:
        """`value` stored as `stored` was: a count's digits, or a pickle in base64."""
        if _is_count(stored) and type(value) is int and value >= 0:
            return str(value)
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    @staticmethod
    def _expiry(connection: Any, expires: Any) -> Any:
        return _aware(connection, expires)
