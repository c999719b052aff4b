"""The register's reads: which sessions a user may open, and who is expected at a session."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.models import (
    Attendance,
    AttendanceStatus,
    BookingMode,
    Enrolment,
    Participant,
)
from courses.selectors.tenancy import User, as_user
from scheduling.models import Session


def register_sessions_for_user(user: User) -> QuerySet[Session]:
    """Sessions whose register the user may open: a superuser all, a centre's staff their
    centres', a trainer the sessions of the courses they teach."""
    account = as_user(user)
    base = Session.objects.select_related("course__centre", "venue", "course__venue")
    if account is None:
        return base.none()
    if account.is_superuser:
        return base
    return base.filter(Q(course__centre__staff=account) | Q(course__trainers=account)).distinct()


def is_register_user(user: User) -> bool:
    """Teaches a course or is staff of a centre (or a superuser)."""
    account = as_user(user)
    if account is None:
        return False
    return account.is_superuser or account.staff_centres.exists() or account.courses.exists()


def trainer_sessions(user: User, *, day: date, days: int) -> QuerySet[Session]:
    """The user's sessions from local `day` for `days` days, earliest first."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    return (
        register_sessions_for_user(user)
        .filter(
            starts_at__gte=start - timedelta(hours=14),  # zones east of the server's
            starts_at__lt=start + timedelta(days=days, hours=14),
        )
        .order_by("starts_at", "id")
    )


def register_sessions_on_days(
    user: User, *, first: date, last: date, newest_first: bool = False
) -> list[Session]:
    """The user's sessions whose local day (in their centre's zone) is from `first` to `last`,
    each with `marked`, how many marks its register holds (past registers stay open, so staff
    can see which were never filled in); two queries at most."""
    sessions = (
        trainer_sessions(user, day=first, days=(last - first).days + 1)
        .annotate(marked=Count("attendance"))
        .order_by(*(("-starts_at", "-id") if newest_first else ("starts_at", "id")))
    )
    return [
        session
        for session in sessions
        if first <= session.starts_at.astimezone(session.course.centre.tz).date() <= last
    ]


def register_expected(session: Session) -> QuerySet[Enrolment]:
    """Places that were confirmed while this session ran (or are confirmed, for one to come):
    a past session's register lists who held a place then, not who holds one now; the course
    report expects people by the same rule."""
    course = session.course
    held_then = Q(confirmed_at__lt=session.ends_at) & (
        Q(left_at__isnull=True) | Q(left_at__gt=session.starts_at)
    )
    if course.booking_mode == BookingMode.SESSION:
        return Enrolment.objects.filter(held_then, session=session)
    if course.booking_mode == BookingMode.COURSE:
        return Enrolment.objects.filter(held_then, course=course, session__isnull=True)
    return Enrolment.objects.none()


@dataclass
class RegisterRow:
    participant: Participant
    status: str  # "" when not marked yet
    walk_in: bool
    expected: bool  # holds a confirmed place


@dataclass
class Register:
    session: Session
    rows: list[RegisterRow]

    @cached_property
    def totals(self) -> dict[str, int]:
        """Present, absent, excused, unmarked and total."""
        counts = Counter(row.status or "unmarked" for row in self.rows)
        totals = {s: counts[s] for s in [*AttendanceStatus.values, "unmarked"]}
        totals["total"] = len(self.rows)
        return totals


def register_for(session: Session) -> Register:
    """Everyone expected at the session plus everyone marked on it, by name; three queries."""
    expected = {
        e.participant_id: e.participant
        for e in register_expected(session)
        .select_related("participant")
        .filter(participant__erased_at__isnull=True)
    }
    marks = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session).select_related("participant")
    }
    rows = [
        RegisterRow(person, mark.status, mark.walk_in, True)
        if (mark := marks.get(pk))
        else RegisterRow(person, "", False, True)
        for pk, person in expected.items()
    ]
    rows += [
        RegisterRow(mark.participant, mark.status, mark.walk_in, False)
        for pk, mark in marks.items()
        if pk not in expected
    ]
    rows.sort(key=lambda row: (row.participant.name.casefold(), row.participant.pk))
    return Register(session, rows)
