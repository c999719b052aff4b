"""Django's PostgreSQL backend with a limit on how long the client waits for the server.

`statement_timeout` (DATABASE_STATEMENT_TIMEOUT_SECONDS) is enforced by the server; a server
that answers nothing at all (a frozen machine or process, a network that drops packets without
a word) never sends that cancellation, and psycopg would wait for ever, holding the web process
until gunicorn kills it. Here each wait for the server ends one second after the server should
have given up itself (a health check of a kept connection: after
DATABASE_CONNECT_TIMEOUT_SECONDS); the connection is then closed, as nothing more can be read
from it in order, and the request fails with an OperationalError, which the site answers with
a 503 (config.errors). Connecting is bounded by the `connect_timeout` option.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base, operations

_WAIT_INTERVAL = getattr(psycopg.connection, "_WAIT_INTERVAL", 0.1)
# Django's cursor whose parameters the server binds (defined with psycopg 3 only).
_ServerBindingCursor: Any = base.ServerBindingCursor  # type: ignore[attr-defined]


class Connection(psycopg.Connection[Any]):
    """psycopg's connection whose waits for the server end after `io_timeout` seconds."""

    io_timeout: float | None = None

    def wait(self, gen: Any, interval: float = _WAIT_INTERVAL, timeout: float | None = None) -> Any:
        if timeout is not None or self.io_timeout is None:  # psycopg's own bounded waits
            return super().wait(gen, interval=interval, timeout=timeout)
        try:
            return super().wait(gen, interval=interval, timeout=self.io_timeout)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()  # half a conversation: the connection cannot be used again
            raise psycopg.OperationalError(
                f"the database did not answer within {self.io_timeout:g} s"
            ) from None


class _Psycopg:
    """The psycopg module as Django's backend uses it, connecting with `Connection`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)

    connect = Connection.connect


def _seconds(name: str) -> float:
    return float(getattr(settings, name, 0) or 0)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> Any:
        """Also for a statement of `prepared_cursor()`, which Django's reads off client-bound
        cursors only: the statement as a client-bound cursor would have sent it (as logged in
        DEBUG and by the tests' query captures)."""
        if isinstance(cursor, _ServerBindingCursor):
            try:
                return str(self.compose_sql(sql, params))
            except psycopg.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if statement := _seconds("DATABASE_STATEMENT_TIMEOUT_SECONDS"):
            connection.io_timeout = statement + 1
        return connection

    def prepared_cursor(self) -> Any:
        """A cursor whose parameters the server binds, so that psycopg prepares each statement
        it runs once per connection (prepare_threshold 0: DATABASE_PREPARED_STATEMENTS), for a
        statement of the same text run on every request: after the first run it is neither
        parsed nor planned again. Django's own cursors bind on the client and prepare nothing.
        Wrapped as Django wraps its own (logged, and seen by execute_wrapper)."""
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(_ServerBindingCursor(self.connection))  # type: ignore[attr-defined]

    def is_usable(self) -> bool:
        """The health check of a kept connection (CONN_HEALTH_CHECKS) waits no longer than a
        new connection would take to be made."""
        connection = self.connection
        if connection is None or not isinstance(connection, Connection):
            return bool(super().is_usable())
        kept = connection.io_timeout
        connection.io_timeout = _seconds("DATABASE_CONNECT_TIMEOUT_SECONDS") or kept
        try:
            return bool(super().is_usable())
        finally:
            connection.io_timeout = kept
