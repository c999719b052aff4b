"""Running calls at the same moment, each in its own thread on its own database connection."""

from __future__ import annotations

import fcntl
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, connections


@contextmanager
def _one_rush_at_a_time() -> Iterator[None]:
    """A rush holds a connection per thread: the test workers (pytest-xdist) take turns, so two
    rushes together never pass PostgreSQL's max_connections ("too many clients already")."""
    with (Path(tempfile.gettempdir()) / "integra-tests-rush.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def all_at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run each call in its own thread on its own connection, all released at the same moment;
    (results, errors)."""
    with _one_rush_at_a_time():
        return _all_at_once(calls)


def _all_at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(len(calls), timeout=10)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect first, so that the start is really together
            start.wait()
            results.append(call())
        except BaseException as exc:  # collected for the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
