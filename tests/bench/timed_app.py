"""The project's WSGI application as the enrolment bench serves it: each request that locks a
course row records, in the file named by BENCH_LOCK_LOG, how long the row stayed locked (wall
time from its locking SELECT returning to the COMMIT returning) and how many statements the
request ran, in all and while the row was locked (the rate limit's cache table and the
transaction control (BEGIN, COMMIT: not run through cursors) left out), one line per request. A
test-only wrapper: the project itself records nothing.

Application `tests.bench.timed_app:application` (settings `config.settings`).
"""

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

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if "integra_cache" in sql:
            return result
        self.statements += 1
        if self.locked_at is not None:
            self.in_lock += self.held is None
        elif 'FROM "courses_course"' in sql and " FOR " in sql and "UPDATE" in sql:
            self.locked_at = time.perf_counter()
        return result


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    clock = _Clock()
    commit = connection.commit

    def timed_commit() -> None:
        commit()
        if clock.locked_at is not None and clock.held is None:
            clock.held = time.perf_counter() - clock.locked_at

    connection.commit = timed_commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(clock):
            response = project(environ, start_response)
    finally:
        del connection.commit
    if clock.held is not None and LOG:
        with open(LOG, "a") as log:
            where = environ.get("PATH_INFO", "")
            log.write(f"{where} {clock.held:.6f} {clock.statements} {clock.in_lock}\n")
    return response
