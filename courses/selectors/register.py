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
    MemberStatus,
    Participant,
    PartyMember,
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


def register_members(session: Session, bookings: list[Enrolment]) -> list[PartyMember]:
    """The people of `bookings`' parties on the session's register: those with a place, and
    those who gave it up after the session began (a past register keeps them); one query."""
    if not bookings:
        return []
    return list(
        PartyMember.objects.filter(enrolment__in=[b.pk for b in bookings])
        .filter(
            Q(status=MemberStatus.ACTIVE)
            | Q(cancelled_at__gt=session.starts_at)
            | Q(attendance__session=session)
        )
        .distinct()
        .order_by("enrolment_id", "position", "id")
    )


@dataclass
class RegisterRow:
    """One person on the register: the booking person (`member` None) or a person of their
    booking's party. `family`: the booking person's row leads several of a booking, whose
    people can be marked at once."""

    participant: Participant
    status: str  # "" when not marked yet
    walk_in: bool
    expected: bool  # holds a confirmed place
    member: PartyMember | None = None
    family: bool = False

    @property
    def key(self) -> str:
        return f"m-{self.member.pk}" if self.member is not None else f"p-{self.participant.pk}"

    @property
    def name(self) -> str:
        return self.member.name if self.member is not None else self.participant.display_name


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
    """Everyone expected at the session plus everyone marked on it, by name, each person of a
    booking on a row of their own right after the booking person's; four queries."""
    bookings = list(
        register_expected(session)
        .select_related("participant")
        .filter(participant__erased_at__isnull=True)
    )
    members = register_members(session, bookings)
    marks = {
        (a.participant_id, a.member_id): a
        for a in Attendance.objects.filter(session=session).select_related("participant")
    }
    party: dict[int, list[PartyMember]] = {}
    for member in members:
        party.setdefault(member.enrolment_id, []).append(member)
    groups: list[tuple[tuple[str, int], list[RegisterRow]]] = []
    seen: set[tuple[int, int | None]] = set()
    for booking in bookings:
        person, people = booking.participant, party.get(booking.pk, [])
        group = []
        if booking.attending or (person.pk, None) in marks:
            group.append(_row(person, None, marks))
        group += [_row(person, member, marks) for member in people]
        if len(group) > 1:
            group[0].family = True
        groups.append(((person.name.casefold(), person.pk), group))
        seen |= {(person.pk, row.member.pk if row.member else None) for row in group}
    groups += [
        (
            (mark.participant.name.casefold(), mark.participant_id),
            [RegisterRow(mark.participant, mark.status, mark.walk_in, False)],
        )
        for key, mark in marks.items()
        if key not in seen and key[1] is None
    ]
    groups.sort(key=lambda group: group[0])
    return Register(session, [row for _key, group in groups for row in group])


def _row(
    person: Participant,
    member: PartyMember | None,
    marks: dict[tuple[int, int | None], Attendance],
) -> RegisterRow:
    mark = marks.get((person.pk, member.pk if member else None))
    if mark is None:
        return RegisterRow(person, "", False, True, member)
    return RegisterRow(person, mark.status, mark.walk_in, True, member)
