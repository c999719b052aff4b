"""A course's attendance report for its staff: held sessions, hours, enrolled people, rates.

Three queries whatever the number of participants and sessions: rows are fetched once and
counted in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from courses.models import (
    ERASED_NAME,
    Attendance,
    AttendanceStatus,
    BookingMode,
    Centre,
    Course,
    Enrolment,
)
from courses.selectors.periods import Period, held_sessions_q
from scheduling.models import Session, SessionStatus


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


@dataclass
class SessionRow:
    """One held session and the marks made on its register."""

    session_id: int
    starts_at: datetime
    ends_at: datetime
    present: int = 0
    absent: int = 0
    excused: int = 0
    walk_ins: int = 0

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def rate(self) -> float | None:
        """Present ÷ marked (excused included in marked); None when nobody is marked."""
        return _ratio(self.present, self.marked)

    @property
    def rate_percent(self) -> int | None:
        return _percent(self.rate)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass
class ParticipantRow:
    """One person on the course: enrolled (confirmed), or marked on at least one held session."""

    participant_id: int
    name: str
    phone: str
    erased: bool
    enrolled: bool
    marks: dict[int, str] = field(default_factory=dict)  # session id -> attendance status
    walk_ins: int = 0
    expected_sessions: set[int] = field(default_factory=set)  # held sessions they were due at
    joined_at: datetime | None = None  # their place first confirmed (None: no place)
    left_at: datetime | None = None  # when they gave up their place, if they no longer hold it
    completed: bool = False

    @property
    def expected(self) -> int:
        return len(self.expected_sessions)

    def count(self, status: str) -> int:
        return sum(1 for mark in self.marks.values() if mark == status)

    @property
    def present(self) -> int:
        return self.count(AttendanceStatus.PRESENT)

    @property
    def excused(self) -> int:
        return self.count(AttendanceStatus.EXCUSED)

    @property
    def rate(self) -> float | None:
        """Present ÷ (held sessions the person was expected at − sessions excused); None when
        that is nothing."""
        return _ratio(self.present, self.expected - self.excused)

    @property
    def rate_percent(self) -> int | None:
        return _percent(self.rate)


@dataclass
class CourseReport:
    course: Course
    period: Period | None
    threshold: int
    sessions: list[SessionRow]
    participants: list[ParticipantRow]
    enrolled: int

    @property
    def sessions_held(self) -> int:
        return len(self.sessions)

    @property
    def minutes(self) -> int:
        return sum(row.minutes for row in self.sessions)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def rate(self) -> float | None:
        """Present ÷ marked over all held sessions."""
        return _ratio(sum(r.present for r in self.sessions), sum(r.marked for r in self.sessions))

    @property
    def rate_percent(self) -> int | None:
        return _percent(self.rate)

    @property
    def completed(self) -> list[ParticipantRow]:
        return [row for row in self.participants if row.completed]


def course_report(
    *,
    course: Course,
    period: Period | None = None,
    threshold: int | None = None,
    now: datetime | None = None,
) -> CourseReport:
    """The course's held sessions (in `period` if given), hours delivered, people enrolled, and
    attendance rates per session and per person, in three queries.

    - Per session: present ÷ marked; None when nobody is marked.
    - Per person: present ÷ (held sessions they were expected at − those they were excused
      from). A person is expected at a held session when they held a confirmed place for it
      while it ran (the place confirmed before it ended, not given up before it began: joining
      mid-course, coming from the waitlist, leaving early and rejoining all count fairly), and
      at every held session where they have a mark (walk-ins, people without a place).
    - A person has completed the course when their rate is at least `threshold` per cent
      (default ATTENDANCE_COMPLETION_PERCENT) and, on a course booked as a whole, they still
      hold their place at the end of the report (someone who left early has not completed it).
    - Enrolled: people who held a confirmed place during one of the held sessions, or hold one
      now (on a course booked as a whole, or on one of its not cancelled sessions in the
      period when booked per session); 0 for open courses.
    """
    now = now or timezone.now()
    threshold = threshold if threshold is not None else settings.ATTENDANCE_COMPLETION_PERCENT
    held = held_sessions_q([course.centre], period=period, now=now)
    sessions = [
        SessionRow(pk, starts_at, ends_at)
        for pk, starts_at, ends_at in Session.objects.filter(held, course=course)
        .order_by("starts_at", "id")
        .values_list("pk", "starts_at", "ends_at")
    ]
    by_session = {row.session_id: row for row in sessions}
    end = now if period is None else min(now, period.bounds(course.centre.tz)[1])

    people: dict[int, ParticipantRow] = {}
    person_fields = ("participant_id", "participant__name", "participant__phone")
    places = _places(course, period).values_list(
        *person_fields, "participant__erased_at", "session_id", "confirmed_at", "left_at"
    )
    holding: set[int] = set()  # people who still hold a place at the end of the report
    for pk, name, phone, erased_at, session_id, confirmed_at, left_at in places:
        if course.booking_mode == BookingMode.COURSE:
            due = [row for row in sessions if _covers(confirmed_at, left_at, row)]
        else:
            row = by_session.get(session_id)
            due = [row] if row is not None and _covers(confirmed_at, left_at, row) else []
        holds = confirmed_at < end and (left_at is None or left_at >= end)
        if not due and not holds:
            continue  # a place given up before anything it covered was held
        if pk not in people:
            people[pk] = _person_row(pk, name, phone, erased_at, enrolled=True)
        person = people[pk]
        person.expected_sessions.update(row.session_id for row in due)
        if person.joined_at is None or confirmed_at < person.joined_at:
            person.joined_at = confirmed_at
        if holds:
            holding.add(pk)
        elif person.left_at is None or left_at > person.left_at:
            person.left_at = left_at

    marks = Attendance.objects.filter(
        held_sessions_q([course.centre], period=period, now=now, prefix="session__"),
        session__course=course,
    ).values_list("session_id", "status", "walk_in", *person_fields, "participant__erased_at")
    for session_id, status, walk_in, pk, name, phone, erased_at in marks:
        row = by_session[session_id]
        setattr(row, status, getattr(row, status) + 1)
        row.walk_ins += int(walk_in)
        if pk not in people:
            people[pk] = _person_row(pk, name, phone, erased_at, enrolled=False)
        people[pk].marks[session_id] = status
        people[pk].expected_sessions.add(session_id)
        people[pk].walk_ins += int(walk_in)

    whole_course = course.booking_mode == BookingMode.COURSE
    for pk, person in people.items():
        if pk in holding or not whole_course:
            person.left_at = None
        expected = person.expected - person.excused
        person.completed = (
            expected > 0 and person.present * 100 >= threshold * expected and person.left_at is None
        )
    rows = sorted(people.values(), key=lambda r: (r.erased, r.name.casefold(), r.participant_id))
    return CourseReport(
        course=course,
        period=period,
        threshold=threshold,
        sessions=sessions,
        participants=rows,
        enrolled=sum(1 for person in people.values() if person.enrolled),
    )


def _places(course: Course, period: Period | None) -> QuerySet[Enrolment]:
    """Every place on the course that was ever confirmed (given up or not)."""
    places = Enrolment.objects.filter(course=course, confirmed_at__isnull=False).order_by()
    if course.booking_mode == BookingMode.COURSE:
        return places.filter(session__isnull=True)
    if course.booking_mode == BookingMode.SESSION:
        places = places.filter(session__status=SessionStatus.SCHEDULED)
        if period is not None:
            start, end = period.bounds(course.centre.tz)
            places = places.filter(session__starts_at__gte=start, session__starts_at__lt=end)
        return places
    return places.none()


def _covers(confirmed_at: datetime, left_at: datetime | None, session: SessionRow) -> bool:
    """Whether a place confirmed at `confirmed_at` (and given up at `left_at`) was held while
    the session ran."""
    return confirmed_at < session.ends_at and (left_at is None or left_at > session.starts_at)


def _person_row(
    pk: int, name: str, phone: str, erased_at: datetime | None, *, enrolled: bool
) -> ParticipantRow:
    erased = erased_at is not None
    return ParticipantRow(
        participant_id=pk,
        name=str(ERASED_NAME) if erased else name,
        phone="" if erased else phone,
        erased=erased,
        enrolled=enrolled,
    )


def report_courses(
    *, centres: Sequence[Centre], period: Period, now: datetime | None = None
) -> list[Course]:
    """The courses of `centres` that held sessions in `period`, each with `held` (how many),
    by centre and title: the list of course reports under the funders' figures; one query."""
    now = now or timezone.now()
    held = held_sessions_q(centres, period=period, now=now, prefix="sessions__")
    return list(
        Course.objects.filter(centre__in=centres)
        .annotate(held=Count("sessions", filter=held))
        .filter(held__gt=0)
        .select_related("centre")
        .order_by("centre__name", "title", "pk")
    )
