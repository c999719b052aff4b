"""The project's WSGI application as the enrolment bench serves it (and, with
DJANGO_SETTINGS_MODULE=tests.bench.floor_app, the minimal view it compares with): each request
that locks a course row records, in the file named by BENCH_LOCK_LOG, how long the row stayed
locked (wall time from its locking SELECT returning to the COMMIT returning), how many
statements the request ran, in all and while the row was locked (the rate limit's cache table
and the transaction control (BEGIN, COMMIT: not run through cursors) left out), and of the time
locked how much the worker spent waiting for the database (the statements after the lock and the
COMMIT, round trips included, less the worker's own CPU in them) and how much CPU it used itself
(the rest of the wall time it waited for a core), one line per request. A test-only wrapper: the
project itself records nothing.

Application `tests.bench.timed_app:application` (settings `config.settings`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.db import connection

project = get_wsgi_application()
LOG = os.environ.get("BENCH_LOCK_LOG", "")


class _Clock:
    """An execute wrapper: counts the statements and notes when the course row was locked."""

    def __init__(self) -> None:
        self.statements = 0
        self.locked_at: float | None = None
        self.held: float | None = None  # once committed
        self.in_lock = 0
        self.cpu_at: float | None = None  # time.process_time() when locked
        self.cpu = 0.0  # CPU used while locked
        self.waited = 0.0  # wall time in statements (and the COMMIT) while locked

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        result = execute(sql, params, many, context)
        if "integra_cache" in sql:
            return result
        self.statements += 1
        if self.locked_at is not None:
            if self.held is None:
                self.in_lock += 1
                # The wall time of the statement but the worker's own CPU in it (psycopg's).
                self.waited += time.perf_counter() - started - (time.process_time() - cpu)
        elif 'FROM "courses_course"' in sql and " FOR " in sql and "UPDATE" in sql:
            self.locked_at = time.perf_counter()
            self.cpu_at = time.process_time()
        return result


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    clock = _Clock()
    commit = connection.commit

    def timed_commit() -> None:
        started, cpu = time.perf_counter(), time.process_time()
        commit()
        if clock.locked_at is not None and clock.held is None:
            done = time.perf_counter()
            clock.held = done - clock.locked_at
            clock.waited += done - started - (time.process_time() - cpu)
            clock.cpu = time.process_time() - (clock.cpu_at or 0.0)

    connection.commit = timed_commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(clock):
            response = project(environ, start_response)
    finally:
        del connection.commit
    if clock.held is not None and LOG:
        with open(LOG, "a") as log:
            where = environ.get("PATH_INFO", "")
            log.write(
                f"{where} {clock.held:.6f} {clock.statements} {clock.in_lock} "
                f"{clock.waited:.6f} {clock.cpu:.6f}\n"
            )
    return response
