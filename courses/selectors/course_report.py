"""A course's attendance report for its staff: held sessions, hours, enrolled people, rates.

Three queries whatever the number of participants and sessions: rows are fetched once and
counted in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from courses.models import (
    ERASED_NAME,
    Attendance,
    AttendanceStatus,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentStatus,
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
    expected: int = 0
    completed: bool = False

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
      from). A person with a confirmed place on a course booked as a whole is expected at every
      held session; anyone else (courses booked per session or open, walk-ins without a place)
      is expected at the held sessions where they have a mark.
    - A person has completed the course when their rate is at least `threshold` per cent
      (default ATTENDANCE_COMPLETION_PERCENT).
    - Enrolled: people holding a confirmed place on the course (booked as a whole), or on at
      least one of its not cancelled sessions in the period (booked per session); 0 for open
      courses.
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

    enrolments = Enrolment.objects.filter(course=course, status=EnrolmentStatus.CONFIRMED)
    if course.booking_mode == BookingMode.COURSE:
        enrolments = enrolments.filter(session__isnull=True)
    elif course.booking_mode == BookingMode.SESSION:
        enrolments = enrolments.filter(session__status=SessionStatus.SCHEDULED)
        if period is not None:
            start, end = period.bounds(course.centre.tz)
            enrolments = enrolments.filter(
                session__starts_at__gte=start, session__starts_at__lt=end
            )
    else:
        enrolments = enrolments.none()
    people: dict[int, ParticipantRow] = {}
    person_fields = ("participant_id", "participant__name", "participant__phone")
    for pk, name, phone, erased_at in (
        enrolments.values_list(*person_fields, "participant__erased_at").order_by().distinct()
    ):
        people[pk] = _person_row(pk, name, phone, erased_at, enrolled=True)

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
        people[pk].walk_ins += int(walk_in)

    every_session = course.booking_mode == BookingMode.COURSE
    for person in people.values():
        person.expected = len(sessions) if person.enrolled and every_session else len(person.marks)
        expected = person.expected - person.excused
        person.completed = expected > 0 and person.present * 100 >= threshold * expected
    rows = sorted(people.values(), key=lambda r: (r.erased, r.name.casefold(), r.participant_id))
    return CourseReport(
        course=course,
        period=period,
        threshold=threshold,
        sessions=sessions,
        participants=rows,
        enrolled=sum(1 for person in people.values() if person.enrolled),
    )


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
