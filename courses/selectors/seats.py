"""Seats and waitlists: what a course or session holds, who waits and in what order.

Seats are counted, never cached; the services lock the course or session row before counting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from courses.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentStatus,
)
from scheduling.models import Session, SessionStatus


def enrolments_of(course: Course, session: Session | None) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(course=course, session=session)


def capacity_of(course: Course, session: Session | None) -> int:
    return session.effective_capacity if session is not None else course.capacity


def seats_taken(course: Course, session: Session | None = None) -> int:
    taken = enrolments_of(course, session).aggregate(n=seats_held(status__in=SEAT_STATUSES))
    return int(taken["n"])


WAITING = EnrolmentStatus.WAITLISTED


def waitlist_queue(course: Course, session: Session | None) -> QuerySet[Enrolment]:
    return (
        enrolments_of(course, session)
        .filter(status=EnrolmentStatus.WAITLISTED)
        .order_by("-priority", "created_at", "id")
    )


def seats_held(through: str = "", **where: Any) -> Sum:
    """The seats the enrolments matching `where` hold (`through`: the path to the enrolments,
    e.g. "enrolments__"): the one place where a seat is counted, the sum of the bookings'
    `places` (1 for a person alone, more for a household). `standing_sql` sums them so too."""
    return Sum(
        f"{through}places",
        filter=Q(**{f"{through}{k}": v for k, v in where.items()}),
        default=0,
    )


@dataclass(frozen=True)
class Standing:
    """What one enrolment decides by, counted under the lock of its course or session."""

    taken: int  # seats held (confirmed or offered), in places
    waiting: int  # bookings on the waitlist
    ahead: int  # of them, those a newcomer of the given priority queues behind
    mine: int  # the person's own active bookings here (0 or 1)
    running: bool  # a scheduled session still to end (asked for with `running_after`)
    # The id the new enrolment takes, drawn under the lock (PostgreSQL; None: the database's).
    next_id: int | None = None

    def position(self) -> int:
        """The newcomer's place on the waitlist: behind everyone already waiting at their
        priority or above (all of them arrived before: they were let in by the same lock)."""
        return self.ahead + 1


def standing(
    course: Course,
    session: Session | None,
    *,
    participant_id: int,
    priority: int = 0,
    running_after: datetime | None = None,
) -> Standing:
    """Seats taken, the waitlist, the newcomer's place in it, whether `participant_id` already
    holds a place and (with `running_after`) whether the course has a scheduled session ending
    after then, in one query over the course's or session's enrolments (the services count
    them with the target row locked: `courses.services.locking.seats_lock_and_count`)."""
    sql, params = standing_sql(
        course,
        session,
        participant_id=participant_id,
        priority=priority,
        running_after=running_after,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return standing_of(dict(zip(names, cursor.fetchone(), strict=True)))


def _placeholders(values: Iterable[str]) -> str:
    return ", ".join("%s" for _value in values)


# One row of counts over the enrolments of a course booked as a whole (session_id IS NULL) or
# of one session: the same sums as `seats_held` (seats are places) and `waitlist_queue` (the
# waiting, and those a newcomer of the given priority queues behind), in SQL written once, so
# that an enrolment does not build and compile the query while it waits for the lock.
_STANDING = f"""
SELECT
    COALESCE(SUM(places) FILTER (WHERE status IN ({_placeholders(SEAT_STATUSES)})), 0) AS taken,
    COUNT(*) FILTER (WHERE status = %s) AS waiting,
    COUNT(*) FILTER (WHERE status = %s AND priority >= %s) AS ahead,
    COUNT(*) FILTER (
        WHERE participant_id = %s AND status IN ({_placeholders(ACTIVE_STATUSES)})
    ) AS mine
    {{running}}
FROM {Enrolment._meta.db_table}
WHERE course_id = %s AND {{session}}
"""  # noqa: S608 - the table's name and placeholders, no value
_RUNNING = f""", EXISTS (
        SELECT 1 FROM {Session._meta.db_table}
        WHERE course_id = %s AND status = %s AND ends_at > %s
    ) AS running"""  # noqa: S608 - the table's name and placeholders, no value


def standing_sql(
    course: Course,
    session: Session | None,
    *,
    participant_id: int,
    priority: int = 0,
    running_after: datetime | None = None,
) -> tuple[str, list[Any]]:
    """The statement `standing` runs, with its parameters (`standing_of` reads its row)."""
    params: list[Any] = [*SEAT_STATUSES, WAITING, WAITING, priority, participant_id]
    params += ACTIVE_STATUSES
    running = ""
    if running_after is not None:
        running = _RUNNING
        moment = connection.ops.adapt_datetimefield_value(running_after)
        params += [course.pk, SessionStatus.SCHEDULED, moment]
    params.append(course.pk)
    if session is None:
        where = "session_id IS NULL"
    else:
        where = "session_id = %s"
        params.append(session.pk)
    # The statuses as plain strings (they are TextChoices members).
    plain = [str(p) if isinstance(p, str) else p for p in params]
    return _STANDING.format(running=running, session=where), plain


def standing_of(row: dict[str, Any]) -> Standing:
    return Standing(
        taken=int(row["taken"]),
        waiting=int(row["waiting"]),
        ahead=int(row["ahead"]),
        mine=int(row["mine"]),
        running=bool(row.get("running", True)),
        next_id=row.get("next_id"),
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the head of the waitlist; None when not waiting."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = waitlist_queue(enrolment.course, enrolment.session).filter(
        Q(priority__gt=enrolment.priority)
        | Q(priority=enrolment.priority, created_at__lt=enrolment.created_at)
        | Q(priority=enrolment.priority, created_at=enrolment.created_at, id__lt=enrolment.pk)
    )
    return ahead.count() + 1


_DECIDED = "_waitlist_position_decided"


def waitlist_position_decide(enrolment: Enrolment, position: int | None) -> None:
    """Remember on a new enrolment the position it was given under the lock."""
    setattr(enrolment, _DECIDED, position)


def waitlist_position_when_made(enrolment: Enrolment) -> int | None:
    """The position a new enrolment was given when it was made, not counted again (counted for
    one that does not carry it)."""
    if hasattr(enrolment, _DECIDED):
        return getattr(enrolment, _DECIDED)
    return waitlist_position(enrolment)


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def seats_left(course: Course) -> Seats | None:
    """Seats of a course booked as a whole (None for per-session or open courses)."""
    if course.booking_mode != BookingMode.COURSE:
        return None
    counts = Enrolment.objects.filter(course=course, session__isnull=True).aggregate(
        taken=seats_held(status__in=SEAT_STATUSES),
        waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    return Seats(course.capacity, counts["taken"], counts["waiting"])


def seats_by_course(courses: Iterable[Course]) -> dict[int, Seats]:
    """Seats of each course booked as a whole among `courses`, in one query (the centre page's
    offer shows them all)."""
    return seats_of_courses(
        {c.pk: c.capacity for c in courses if c.booking_mode == BookingMode.COURSE}
    )


def seats_by_session(sessions: Iterable[Any]) -> dict[int, Seats]:
    """Seats of each session of a per-session course among `sessions`, in one query."""
    return seats_of_sessions(
        {
            s.pk: s.effective_capacity
            for s in sessions
            if s.course.booking_mode == BookingMode.SESSION
        }
    )


def seats_of_courses(capacities: dict[int, int]) -> dict[int, Seats]:
    """Seats of the courses booked as a whole whose places are `capacities` (by id), in one
    query; for a page that has their ids and places but not their rows."""
    return _seats(capacities, "course_id", session__isnull=True)


def seats_of_sessions(capacities: dict[int, int]) -> dict[int, Seats]:
    """Seats of the sessions booked one by one whose places are `capacities` (by id), in one
    query."""
    return _seats(capacities, "session_id")


def _seats(capacities: dict[int, int], target: str, **where: Any) -> dict[int, Seats]:
    if not capacities:
        return {}
    rows = (
        Enrolment.objects.filter(**{f"{target}__in": list(capacities)}, **where)
        .values(target)
        .annotate(
            taken=seats_held(status__in=SEAT_STATUSES),
            waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
        )
    )
    counts = {r[target]: (r["taken"], r["waiting"]) for r in rows}
    return {pk: Seats(places, *counts.get(pk, (0, 0))) for pk, places in capacities.items()}


def waitlist_positions(enrolments: list[Enrolment]) -> dict[int, int]:
    """Positions of the waitlisted ones among `enrolments`, in one query."""
    targets = {
        (e.course_id, e.session_id) for e in enrolments if e.status == EnrolmentStatus.WAITLISTED
    }
    if not targets:
        return {}
    waiting = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.WAITLISTED, course_id__in={c for c, _s in targets}
        )
        .order_by("-priority", "created_at", "id")
        .values_list("pk", "course_id", "session_id")
    )
    counters: dict[tuple[int, int | None], int] = defaultdict(int)
    positions = {}
    for pk, course_id, session_id in waiting:
        counters[(course_id, session_id)] += 1
        positions[pk] = counters[(course_id, session_id)]
    return positions
