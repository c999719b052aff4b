"""Statements run on every request are prepared once per connection on PostgreSQL
(`config.postgresql`: `prepared_cursor()`): the rate limits' count and the compiled reads are
then neither parsed nor planned again, they still count and read right after a rollback (when
psycopg forgets every prepared statement), and with DATABASE_PREPARED_STATEMENTS=0 nothing is
prepared and the counts are the same."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from courses import limits
from courses.compiled import compiled
from courses.models import Course
from tests.factories import CourseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

T = TypeVar("T")


def _prepared(part: str) -> list[int]:
    """Runs of each statement prepared on this connection whose text holds `part`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            [f"%{part}%"],
        )
        return [row[0] for row in cursor.fetchall()]


class _Undone(Exception):
    pass


def _rolled_back(step: Callable[[], T]) -> T:
    """What `step` gave, in a savepoint then rolled back."""
    try:
        with transaction.atomic():
            given = step()
            raise _Undone
    except _Undone:
        return given


@pytest.fixture
def unprepared() -> Iterator[None]:
    """The connection as with DATABASE_PREPARED_STATEMENTS=0 (no `prepare_threshold`)."""
    connection.ensure_connection()
    raw = connection.connection
    kept = raw.prepare_threshold
    raw.prepare_threshold = None
    yield
    raw.prepare_threshold = kept


def test_the_count_is_prepared_once_and_run_prepared_each_time() -> None:
    counts = [limits.hits("enrol:203.0.113.9", period=3600) for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    assert _prepared("ON CONFLICT") == [5]  # one statement, planned for each of its 5 runs


def test_the_count_is_logged_with_its_values() -> None:
    limits.hits("enrol:203.0.113.9", period=3600)
    with CaptureQueriesContext(connection) as captured:
        limits.hits("enrol:203.0.113.9", period=3600)
    (query,) = captured.captured_queries
    assert "ON CONFLICT" in query["sql"]
    assert "':1:limit:enrol:203.0.113.9'" in query["sql"]  # the values, as DEBUG shows them


def test_after_a_rollback_the_count_goes_on_and_is_prepared_again() -> None:
    assert limits.hits("enrol:203.0.113.9", period=3600) == 1
    # The savepoint rolled back: psycopg deallocates what it had prepared.
    assert _rolled_back(lambda: limits.hits("enrol:203.0.113.9", period=3600)) == 2
    assert _prepared("ON CONFLICT") == []
    assert limits.hits("enrol:203.0.113.9", period=3600) == 2
    assert limits.hits("enrol:203.0.113.9", period=3600) == 3
    assert _prepared("ON CONFLICT") == [2]


@pytest.mark.usefixtures("unprepared")
def test_without_prepared_statements_the_counts_are_the_same() -> None:
    counts = [limits.hits("enrol:203.0.113.9", period=3600) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert _prepared("") == []


def _courses_after(course: int) -> QuerySet[Course]:
    return Course.objects.select_related("centre").filter(pk__gt=course).order_by("pk")


def test_a_compiled_read_is_prepared_and_reads_each_call_s_own_values() -> None:
    first, second, third = CourseFactory(), CourseFactory(), CourseFactory()
    assert compiled(_courses_after, course=first.pk) == [second, third]
    assert compiled(_courses_after, course=second.pk) == [third]
    assert _prepared('"courses_course"."id" > $1') == [2]
    _rolled_back(lambda: None)
    assert compiled(_courses_after, course=first.pk)[0].centre == second.centre
    assert _prepared('"courses_course"."id" > $1') == [1]


def test_the_setting_turns_preparing_off() -> None:
    def threshold(value: str | None) -> str:
        env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
        env.pop("DATABASE_PREPARED_STATEMENTS", None)
        if value is not None:
            env["DATABASE_PREPARED_STATEMENTS"] = value
        code = (
            "from config import settings; "
            "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"
        )
        return subprocess.run(  # noqa: S603 - this interpreter, our code
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert threshold(None) == "0"
    assert threshold("0") == "None"
