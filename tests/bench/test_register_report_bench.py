"""The trainer's register and the funder report for a centre with 5,000 participants and a year
of sessions (50 weekly courses of 100 people, every past session's register taken).

- the register page: the same number of queries for a session of 10 people and of 100;
  time per page;
- the funder report for the year: the same number of queries for a centre of 500 participants
  and of 5,000; time per report.

Prints the figures as `[bench register]` and `[bench report]` lines. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone

from courses.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    Course,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from scheduling.models import Session
from tests.bench.counting import QueryCounter
from tests.factories import CentreFactory, CourseFactory, UserFactory

PEOPLE = 5_000
FEW_PEOPLE = 500
PER_COURSE = 100
ROUNDS = 15
COUNTRIES = ["UA", "UA", "UA", "BY", "GE", "AZ", "TR", "CO", "VE", "IN"]
SEXES = ["female", "female", "male", "other", ""]
STATUSES = (
    [AttendanceStatus.PRESENT] * 7 + [AttendanceStatus.ABSENT] * 2 + [AttendanceStatus.EXCUSED]
)


def _centre(people: int, staff: User) -> tuple[Centre, list[Course]]:
    """A centre with `people` participants in courses of PER_COURSE, weekly for the past year
    (and a few weeks on), each past session's register taken."""
    centre = CentreFactory(staff=[staff])
    start = timezone.localdate() - timedelta(days=364)
    courses = [
        CourseFactory(
            centre=centre,
            start_date=start + timedelta(days=n % 7),
            rule="RRULE:FREQ=WEEKLY;COUNT=56",
            capacity=PER_COURSE,
        )
        for n in range(people // PER_COURSE)
    ]
    persons = Participant.objects.bulk_create(
        (
            Participant(
                centre=centre,
                name=f"Osoba {n}",
                phone=f"+4860{centre.pk % 10}{n:06d}",
                country_of_origin=COUNTRIES[n % len(COUNTRIES)],
                sex=SEXES[n % len(SEXES)],
                birth_year=1950 + n % 60,
            )
            for n in range(people)
        ),
        batch_size=1000,
    )
    Enrolment.objects.bulk_create(
        (
            Enrolment(
                participant=person,
                course=courses[n // PER_COURSE],
                status=EnrolmentStatus.CONFIRMED,
            )
            for n, person in enumerate(persons)
        ),
        batch_size=1000,
    )
    now = timezone.now()
    marks = []
    for index, course in enumerate(courses):
        members = persons[index * PER_COURSE : (index + 1) * PER_COURSE]
        for session in Session.objects.filter(course=course, ends_at__lt=now):
            marks += [
                Attendance(
                    session=session,
                    participant=person,
                    status=STATUSES[(session.pk + n) % len(STATUSES)],
                    marked_at=session.starts_at,
                )
                for n, person in enumerate(members)
            ]
        if len(marks) > 20_000:
            Attendance.objects.bulk_create(marks, batch_size=2000)
            marks = []
    Attendance.objects.bulk_create(marks, batch_size=2000)
    return centre, courses


def _timed(client: Client, url: str) -> tuple[int, float, int]:
    """(queries, median seconds over ROUNDS, response size)."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, url
    seconds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    return counter.queries, statistics.median(seconds), len(response.content)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def test_bench_register_and_funder_report_for_5000_participants(settings: Any) -> None:
    staff = UserFactory(username="bench-staff", is_staff=True)
    started = time.perf_counter()
    small, _small_courses = _centre(FEW_PEOPLE, staff)
    big, courses = _centre(PEOPLE, staff)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in production
    setup = time.perf_counter() - started
    client = Client()
    client.force_login(staff)
    year_ago = timezone.localdate() - timedelta(days=365)
    marks = Attendance.objects.filter(session__course__centre=big).count()
    sessions = Session.objects.filter(course__centre=big).count()
    print(
        f"\n[bench register] {connection.vendor}: centre of {PEOPLE:,} participants, "
        f"{sessions:,} sessions, {marks:,} attendance marks (set up in {setup:.0f} s)"
    )

    # The register of a session of 100, and of the same session with only 10 still enrolled.
    session = Session.objects.filter(course=courses[0], ends_at__lt=timezone.now()).first()
    assert session is not None
    full = _timed(client, f"/register/{session.pk}/")
    keep = list(Enrolment.objects.filter(course=courses[0]).values_list("pk", flat=True)[:10])
    Enrolment.objects.filter(course=courses[0]).exclude(pk__in=keep).update(
        status=EnrolmentStatus.CANCELLED
    )
    Attendance.objects.filter(session=session).exclude(
        participant__enrolments__pk__in=keep
    ).delete()
    few = _timed(client, f"/register/{session.pk}/")
    print(
        f"[bench register] register page: {full[0]} queries, {_ms(full[1])}, {full[2]:,} bytes "
        f"for {PER_COURSE} people; {few[0]} queries, {_ms(few[1])} for 10 (median of {ROUNDS})"
    )
    assert full[0] == few[0]

    report = _report_figures(client, small, big, year_ago)
    print(report)


def _report_figures(client: Client, small: Centre, big: Centre, since: date) -> str:
    """The funder report for the last year, for the small and the big centre."""
    period = f"from={since.isoformat()}&to={timezone.localdate().isoformat()}"
    few = _timed(client, f"/reports/?centre={small.slug}&{period}")
    many = _timed(client, f"/reports/?centre={big.slug}&{period}")
    csv = _timed(client, f"/reports/funder.csv?centre={big.slug}&{period}")
    assert few[0] == many[0], (few, many)
    return (
        f"[bench report] funder report for a year: {few[0]} queries, {_ms(few[1])} for "
        f"{FEW_PEOPLE:,} participants; {many[0]} queries, {_ms(many[1])} for {PEOPLE:,} "
        f"(ratio {many[1] / few[1]:.1f} for ×{PEOPLE // FEW_PEOPLE} people); CSV export "
        f"{csv[0]} queries, {_ms(csv[1])} (median of {ROUNDS})"
    )
