"""Seats and waitlists: what a course or session holds, who waits and in what order.

Seats are counted, never cached; the services lock the course or session row before counting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from courses.models import (
    SEAT_STATUSES,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentStatus,
)
from scheduling.models import Session


def enrolments_of(course: Course, session: Session | None) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(course=course, session=session)


def capacity_of(course: Course, session: Session | None) -> int:
    return session.effective_capacity if session is not None else course.capacity


def seats_taken(course: Course, session: Session | None = None) -> int:
    return enrolments_of(course, session).filter(status__in=SEAT_STATUSES).count()


def waitlist_queue(course: Course, session: Session | None) -> QuerySet[Enrolment]:
    return (
        enrolments_of(course, session)
        .filter(status=EnrolmentStatus.WAITLISTED)
        .order_by("-priority", "created_at", "id")
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
        taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
        waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    return Seats(course.capacity, counts["taken"], counts["waiting"])


def seats_by_course(courses: Iterable[Course]) -> dict[int, Seats]:
    """Seats of each course booked as a whole among `courses`, in one query (the centre page's
    offer shows them all)."""
    booked = [c for c in courses if c.booking_mode == BookingMode.COURSE]
    if not booked:
        return {}
    rows = (
        Enrolment.objects.filter(course__in=[c.pk for c in booked], session__isnull=True)
        .values("course_id")
        .annotate(
            taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
            waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
        )
    )
    counts = {r["course_id"]: (r["taken"], r["waiting"]) for r in rows}
    return {c.pk: Seats(c.capacity, *counts.get(c.pk, (0, 0))) for c in booked}


def seats_by_session(sessions: Iterable[Any]) -> dict[int, Seats]:
    """Seats of each session of a per-session course among `sessions`, in one query."""
    booked = [s for s in sessions if s.course.booking_mode == BookingMode.SESSION]
    if not booked:
        return {}
    rows = (
        Enrolment.objects.filter(session__in=[s.pk for s in booked])
        .values("session_id")
        .annotate(
            taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
            waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
        )
    )
    counts = {r["session_id"]: (r["taken"], r["waiting"]) for r in rows}
    return {s.pk: Seats(s.effective_capacity, *counts.get(s.pk, (0, 0))) for s in booked}


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
