"""The embedded default cache: Django's database cache, with counters that hold across processes.

Django's `DatabaseCache.incr()` is a `get()` then a `set()`: two processes counting at once can
both read 4 and both write 5, and the `set()` moves the key's expiry to the default timeout. Here
`add()` runs in one transaction that first locks the key's row (`SELECT ... FOR UPDATE`; SQLite
has no row locks, but its transactions here begin IMMEDIATE and so hold the database's write
lock), and `incr()` is a compare-and-swap that keeps the key's expiry, as Redis's `INCR` does.
Rate limits (`courses.limits.allow`) count with `incr()`, and `add()` once a window.
"""

from __future__ import annotations

import base64
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone

# Compare-and-swap rounds incr() tries (each lost round is another process's count) before it
# waits for the row's lock instead.
INCR_ATTEMPTS = 3


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table

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
        few rounds lost, under the row's lock). Two
        statements, so a rate limit costs a request a fraction of a millisecond. On PostgreSQL,
        outside a transaction, the write does not wait for the disk (`synchronous_commit` off
        for that one statement): a crash may forget the last counts of a window, never double
        them."""
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
        prefix = "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)) "
        update = (
            f"{prefix if unflushed else ''}UPDATE {table} SET {value} = %s"  # noqa: S608
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
                new_value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
                encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
                cursor.execute(
                    update,
                    [
                        encoded.decode("latin1"),
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
            new_value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            qn = connection.ops.quote_name
            cursor.execute(
                f"UPDATE {qn(self.table)} SET {qn('value')} = %s "  # noqa: S608
                f"WHERE {qn('cache_key')} = %s",
                [encoded.decode("latin1"), made_key],
            )
            return new_value

    @staticmethod
    def _expiry(connection: Any, expires: Any) -> Any:
        """The `expires` column as read by a raw cursor, as an aware datetime."""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        for converter in converters:
            expires = converter(expires, expression, connection)
        return expires
