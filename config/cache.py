"""The embedded default cache: Django's database cache, with counters that hold across processes.

Django's `DatabaseCache.incr()` is a `get()` then a `set()`: two processes counting at once can
both read 4 and both write 5, and the `set()` moves the key's expiry to the default timeout. Here
`add()` and `incr()` each run in one transaction that first locks the key's row (`SELECT ... FOR
UPDATE`; SQLite has no row locks, but its transactions here begin IMMEDIATE and so hold the
database's write lock), and `incr()` keeps the key's expiry, as Redis's `INCR` does. Rate limits
(`courses.limits.allow`) count with `add()` and `incr()`.
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
        made_key = self.make_and_validate_key(key, version=version)
        with self._row_locked(made_key) as (connection, cursor):
            row = cursor.fetchone()
            if row is not None:
                expires = row[1]
                expression = models.Expression(output_field=models.DateTimeField())
                converters = connection.ops.get_db_converters(
                    expression
                ) + expression.get_db_converters(connection)
                for converter in converters:
                    expires = converter(expires, expression, connection)
            if row is None or expires < timezone.now():
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
