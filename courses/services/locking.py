"""The row locks of seats (`seats_lock`), never waited for longer than
ENROLMENT_LOCK_TIMEOUT_SECONDS in all.

A transaction that counts seats locks the course or session row first (and, to change an
enrolment, that enrolment); `lock_wait` gives the whole transaction one deadline and `locking`
holds each locking statement to what is left of it. Past the deadline nothing has changed and
the answer is "busy, try again" (Busy, a 503 with Retry-After)."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from courses import writes
from courses.compiled import compiled_sql
from courses.errors import Busy, DomainError, SessionUnavailable
from courses.models import BookingMode, Course, Enrolment
from courses.selectors.seats import Standing, standing_of, standing_sql
from scheduling.models import Session

# When the row locks of the current enrolment transaction must have been had (time.monotonic()).
_lock_deadline: ContextVar[float | None] = ContextVar("enrolment_lock_deadline", default=None)


def _busy() -> Busy:
    return Busy(_("Many people are enrolling right now. Please try again."))


@contextmanager
def lock_wait() -> Iterator[None]:
    """Inside a transaction: its row locks (see `locking`) are waited for at most
    ENROLMENT_LOCK_TIMEOUT_SECONDS in all, however many there are; then "busy" (Busy)."""
    deadline = time.monotonic() + settings.ENROLMENT_LOCK_TIMEOUT_SECONDS
    token = _lock_deadline.set(deadline)
    try:
        yield
    except OperationalError as exc:
        if "lock" in str(exc).lower():  # SQLite: "database is locked" after its own timeout
            raise _busy() from exc
        raise
    finally:
        _lock_deadline.reset(token)


@contextmanager
def locking() -> Iterator[None]:
    """Around one statement that locks rows: on PostgreSQL it may run only for what is left of
    the transaction's wait. This is statement_timeout, set for the statement alone, because
    lock_timeout starts again at each lock one statement waits for (behind other waiters, the
    row's tuple lock, then the transaction that holds the row): with it a request waited twice
    the setting. The limit travels with the statement (`_TimeLimited`), so taking the lock is
    one round trip and, once it is had, nothing is left to undo."""
    if connection.vendor != "postgresql":
        yield
        return
    deadline = _lock_deadline.get()
    if deadline is None:
        deadline = time.monotonic() + settings.ENROLMENT_LOCK_TIMEOUT_SECONDS
    left_ms = max(math.ceil((deadline - time.monotonic()) * 1000), 1)
    try:
        with connection.execute_wrapper(_TimeLimited(left_ms)):
            yield
    except OperationalError as exc:
        # 57014: cancelled by the statement timeout; 55P03: a lock_timeout of the server's.
        if getattr(exc.__cause__, "sqlstate", None) in ("57014", "55P03"):
            raise _busy() from exc
        raise


class _TimeLimited:
    """An execute wrapper: the first statement run through it goes in one message with the
    setting of its time limit before it and the connection's own limit set back after it.
    PostgreSQL times each statement of a message by itself, with the settings the one before
    left (and gives each its own snapshot); the cursor is then moved to the statement's rows."""

    def __init__(self, limit_ms: int) -> None:
        self.limit_ms = limit_ms
        self.used = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.used or many:
            return execute(sql, params, many, context)
        self.used = True
        limited = (
            f"SELECT set_config('statement_timeout', %s, true); {sql}; "
            "SET LOCAL statement_timeout TO DEFAULT"
        )
        result = execute(limited, [str(self.limit_ms), *(params or ())], many, context)
        context["cursor"].nextset()  # past set_config's row, to the statement's
        return result


# What an enrolment decides by, read again from the locked course row. The rest of the course
# (titles, centre, venue: what the texts tell) is the caller's copy, read once before the lock.
DECIDED_BY = (
    "booking_mode",
    "published",
    "enrolment_open",
    "capacity",
    "waitlist_mode",
    "offer_hours",
    "waitlist_fit",
)


def seats_lock(course: Course, session: Session | None) -> tuple[Course, Session | None]:
    """Lock the row whose seats are counted: the session (per-session booking) or the course.
    FOR NO KEY UPDATE: it excludes every other seat change of the row (and FOR UPDATE), not
    the inserts that merely refer to it."""
    course, session, _counts = _lock(course, session, then=None)
    return course, session


def seats_lock_and_count(
    course: Course,
    session: Session | None,
    *,
    participant_id: int,
    priority: int = 0,
    running_after: datetime | None = None,
) -> tuple[Course, Session | None, Standing]:
    """`seats_lock`, and the `standing` of the course or session counted as soon as the lock is
    had, with the id the new enrolment will take drawn then too (`Standing.next_id`, on
    PostgreSQL: ids rise in the order the lock let people in, and the enrolment's rows can be
    written together, `courses.writes`). For a course booked as a whole the statements are
    made before the lock and sent in one message (on PostgreSQL, which gives each statement of
    a message its own snapshot, so the count sees every enrolment committed before the lock was
    granted): deciding costs one round trip. A session's lock and count are two."""
    counts = standing_sql(
        course,
        session,
        participant_id=participant_id,
        priority=priority,
        running_after=running_after,
    )
    course, session, row = _lock(course, session, then=counts)
    assert row is not None  # noqa: S101 - a query grouped by an existing row has its row
    return course, session, standing_of(row)


def _lock(
    course: Course, session: Session | None, *, then: tuple[str, list[Any]] | None
) -> tuple[Course, Session | None, dict[str, Any] | None]:
    """The lock of `seats_lock`, and the row of `then` read right after it."""
    if course.booking_mode == BookingMode.SESSION:
        if session is None:
            raise DomainError(_("Choose a session."), field="session")
        with locking():
            locked = (
                Session.objects.select_for_update(of=("self",), no_key=True)
                .select_related("course__centre")
                .filter(pk=session.pk, course=course)
                .first()
            )
        if locked is None:
            raise SessionUnavailable(
                _("This session does not belong to the course."), field="session"
            )
        # The session and its course read whole while locking: the count is a statement of
        # its own (values() could not lock the session row alone).
        return locked.course, locked, (_count(then) if then is not None else None)
    fresh, counts = _read_together(course.pk, then)
    if fresh is None:
        raise Course.DoesNotExist
    locked_course = copy.copy(course)  # its own fields and cache: the caller's stays as it was
    for name, value in fresh.items():
        setattr(locked_course, name, value)
    return locked_course, None, counts


def _course_locking_read(course_pk: int) -> QuerySet[Any, dict[str, Any]]:
    """The locking read of `_lock` for a course: its DECIDED_BY columns, FOR NO KEY UPDATE."""
    return (
        Course.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=course_pk)
        .values(*DECIDED_BY)
    )


def _read_together(
    course_pk: int, then: tuple[str, list[Any]] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The row of the course's locking read (under `locking`) and of `then` (the
    count, with the new enrolment's id: `_count`), run right after it. On PostgreSQL in one
    message; elsewhere (SQLite locks the whole database for a writer: no row locks, no round
    trips to save) one after the other."""
    if connection.vendor != "postgresql":
        with locking():
            row = _course_locking_read(course_pk).first()
        return row, (_count(then) if then is not None else None)
    if then is None:
        with locking():
            return _course_locking_read(course_pk).first(), None
    # What the transaction wrote so far (the code marked used, the person's audit entry) goes
    # at the head of the message: written before the lock, not while it is held.
    ahead = writes.sent_ahead()
    with locking():
        locking_read = compiled_sql(_course_locking_read, course_pk=course_pk)  # made once
        locked, counts, drawn = _rows(*ahead, locking_read, *_count_sql(then), skip=len(ahead))
    return locked, (None if counts is None else {**counts, **(drawn or {})})


def _count(then: tuple[str, list[Any]]) -> dict[str, Any] | None:
    """The row of the count `then`, with on PostgreSQL the new enrolment's id in the same
    message (`next_id`)."""
    if connection.vendor != "postgresql":
        return _rows(then)[0]
    counts, drawn = _rows(*_count_sql(then))
    return None if counts is None else {**counts, **(drawn or {})}


def _count_sql(then: tuple[str, list[Any]]) -> list[tuple[str, Any]]:
    return [then, writes.next_id(Enrolment)]


def _rows(*statements: tuple[str, Any], skip: int = 0) -> list[dict[str, Any] | None]:
    """The first row of each statement, all sent in one message; the first `skip` are writes,
    with no rows."""
    rows: list[dict[str, Any] | None] = []
    with connection.cursor() as cursor:
        cursor.execute(*writes.message(*statements))
        for _write in range(skip):
            cursor.nextset()
        for number in range(len(statements) - skip):
            if number:
                cursor.nextset()
            values = cursor.fetchone()
            # By the columns' names: fields of one table and named counts, none twice.
            names = [column[0] for column in cursor.description]
            rows.append(None if values is None else dict(zip(names, values, strict=True)))
    return rows
