"""Fair course reports: a person is expected only at the held sessions while they held a
confirmed place (joining mid-course, promoted from the waitlist, leaving early, rejoining), and
the completion threshold, the page and the exports follow that.

The course: six Tuesdays at 18:00 (90 min) from 5 January 2027, booked as a whole:
5, 12, 19, 26 January, 2 and 9 February; the reports are read on 1 March.
"""

from __future__ import annotations

import csv
import importlib
import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.test import Client

from courses.models import Attendance, BookingMode, Enrolment, EnrolmentStatus, WaitlistMode
from courses.selectors.course_report import ParticipantRow, course_report
from courses.selectors.periods import Period
from courses.services.enrolment import enrolment_cancel, enrolment_create
from courses.services.offers import offer_accept
from courses.services.privacy import participant_erase
from tests.factories import CourseFactory, ParticipantFactory, UserFactory

WARSAW = ZoneInfo("Europe/Warsaw")
AFTER = datetime(2027, 3, 1, 12, tzinfo=WARSAW)
pytestmark = pytest.mark.django_db


def at(month: int, day: int, hour: int = 12) -> Any:
    """Travel to that moment of 2027 (Warsaw), the clock standing still."""
    return time_machine.travel(datetime(2027, month, day, hour, tzinfo=WARSAW), tick=False)


@pytest.fixture
def staff(centre):
    return UserFactory(username="desk", staff_of=[centre])


@pytest.fixture
def course(centre):
    with at(1, 1):
        return CourseFactory(
            centre=centre, start_date=date(2027, 1, 5), rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6"
        )


def _sessions(course) -> list[Any]:
    return list(course.sessions.order_by("starts_at"))


def _enrol(course, staff, name: str, **extra: Any) -> Enrolment:
    person = ParticipantFactory(centre=course.centre, name=name)
    return enrolment_create(course=course, participant=person, source="staff", actor=staff, **extra)


def _mark(session, enrolment: Enrolment, status: str = "present") -> None:
    Attendance.objects.create(
        session=session, participant=enrolment.participant, status=status,
        marked_at=session.starts_at,
    )  # fmt: skip


def _row(course, name: str, **extra: Any) -> ParticipantRow:
    report = course_report(course=course, now=AFTER, **extra)
    [row] = [row for row in report.participants if row.name == name]
    return row


def test_a_person_who_enrolled_today_is_expected_at_no_past_session(centre, staff, course):
    s = _sessions(course)
    with at(1, 1):
        early = _enrol(course, staff, "Olena")
    for session in s[:5]:
        _mark(session, early)
    with at(2, 8):  # the day before the last session
        late = _enrol(course, staff, "Nadia")
    _mark(s[5], late)
    _mark(s[5], early)
    report = course_report(course=course, now=AFTER)
    nadia = _row(course, "Nadia")
    assert (nadia.expected, nadia.present, nadia.rate_percent) == (1, 1, 100)  # not 1 of 6
    assert nadia.completed
    assert report.enrolled == 2
    # Enrolled this morning, read at noon: nothing held since, so nothing is expected yet.
    with at(2, 9, 9):
        _enrol(course, staff, "Iryna")
    noon = datetime(2027, 2, 9, 12, tzinfo=WARSAW)
    [iryna] = [r for r in course_report(course=course, now=noon).participants if r.name == "Iryna"]
    assert (iryna.expected, iryna.rate_percent, iryna.completed) == (0, None, False)


def test_joining_mid_course_counts_from_the_first_session_after_the_place(staff, course):
    s = _sessions(course)
    with at(1, 14):  # after two sessions
        person = _enrol(course, staff, "Taras")
    for session in s[2:5]:
        _mark(session, person)
    _mark(s[5], person, "absent")
    taras = _row(course, "Taras")
    assert taras.expected_sessions == {x.pk for x in s[2:]}
    assert (taras.present, taras.expected, taras.rate_percent) == (3, 4, 75)
    assert taras.completed is False  # 75 % < 80 %
    assert _row(course, "Taras", threshold=75).completed
    # A place confirmed while a session ran covers that session (enrolled at the door).
    with at(1, 19, 18):
        door = _enrol(course, staff, "Ola")
    assert _row(course, "Ola").expected_sessions == {x.pk for x in s[2:]}
    assert door.confirmed_at == datetime(2027, 1, 19, 18, tzinfo=WARSAW)


def test_promoted_from_the_waitlist_is_expected_from_the_promotion(centre, staff):
    with at(1, 1):
        course = CourseFactory(centre=centre, capacity=1, rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6")
        seated = _enrol(course, staff, "Olena")
        waiting = _enrol(course, staff, "Anna")
    assert waiting.status == EnrolmentStatus.WAITLISTED
    s = _sessions(course)
    for session in s[:2]:
        _mark(session, seated)
    with at(1, 13):  # Olena gives up her seat after two sessions; Anna gets it at once
        enrolment_cancel(enrolment=seated, actor=staff)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.CONFIRMED
    assert waiting.confirmed_at == datetime(2027, 1, 13, 12, tzinfo=WARSAW)
    for session in s[2:]:
        _mark(session, waiting)
    anna = _row(course, "Anna")
    assert (anna.expected, anna.rate_percent, anna.completed) == (4, 100, True)
    assert anna.joined_at == waiting.confirmed_at


def test_an_accepted_offer_counts_from_the_acceptance(centre, staff):
    with at(1, 1):
        course = CourseFactory(
            centre=centre,
            capacity=1,
            waitlist_mode=WaitlistMode.OFFER,
            offer_hours=24 * 14,
            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        )
        seated = _enrol(course, staff, "Olena")
        waiting = _enrol(course, staff, "Anna")
    with at(1, 11):
        enrolment_cancel(enrolment=seated, actor=staff)
    with at(1, 20):  # offered on the 11th, accepted after the session of the 19th
        offer_accept(enrolment=Enrolment.objects.get(pk=waiting.pk))
    s = _sessions(course)
    assert _row(course, "Anna").expected_sessions == {x.pk for x in s[3:]}


def test_leaving_early_ends_what_is_expected_and_is_not_completing(staff, course):
    s = _sessions(course)
    with at(1, 1):
        person = _enrol(course, staff, "Piotr")
    for session in s[:3]:
        _mark(session, person)
    with at(1, 20):
        enrolment_cancel(enrolment=person, actor=staff)
    person.refresh_from_db()
    assert person.left_at == datetime(2027, 1, 20, 12, tzinfo=WARSAW)
    piotr = _row(course, "Piotr")
    assert (piotr.expected, piotr.rate_percent) == (3, 100)  # not 3 of 6
    assert piotr.left_at == person.left_at
    assert piotr.completed is False  # he left the course
    assert course_report(course=course, now=AFTER).enrolled == 1
    # A report of 1 to 19 January ends while he still held his place: he completed that.
    assert _row(course, "Piotr", period=Period(date(2027, 1, 1), date(2027, 1, 19))).completed
    # Cancelled before the course began and never came: not on the report at all.
    with at(1, 1):
        gone = _enrol(course, staff, "Zofia")
    with at(1, 2):
        enrolment_cancel(enrolment=gone, actor=staff)
    assert "Zofia" not in [row.name for row in course_report(course=course, now=AFTER).participants]


def test_leaving_and_rejoining_counts_both_stretches(staff, course):
    s = _sessions(course)
    with at(1, 1):
        first = _enrol(course, staff, "Iryna")
    _mark(s[0], first)
    with at(1, 8):
        enrolment_cancel(enrolment=first, actor=staff)
    with at(1, 25):
        again = enrolment_create(
            course=course, participant=first.participant, source="staff", actor=staff
        )
    for session in s[3:]:
        _mark(session, again)
    iryna = _row(course, "Iryna")
    assert iryna.expected_sessions == {s[0].pk, s[3].pk, s[4].pk, s[5].pk}
    assert (iryna.present, iryna.rate_percent, iryna.left_at) == (4, 100, None)
    assert iryna.completed  # she holds her place again
    assert iryna.joined_at == first.confirmed_at


def test_a_mark_outside_the_place_still_counts_and_walk_ins_are_expected_where_marked(
    staff, course
):
    s = _sessions(course)
    with at(1, 14):
        person = _enrol(course, staff, "Olha")
    _mark(s[0], person)  # came once before enrolling
    olha = _row(course, "Olha")
    assert olha.expected_sessions == {s[0].pk, *(x.pk for x in s[2:])}
    assert olha.present <= olha.expected


def test_an_erased_person_left_when_erased(staff, course):
    s = _sessions(course)
    with at(1, 1):
        person = _enrol(course, staff, "Olena")
    _mark(s[0], person)
    with at(1, 13):
        participant_erase(participant=person.participant, actor=staff)
    row = next(r for r in course_report(course=course, now=AFTER).participants if r.erased)
    assert (row.expected, row.present, row.completed) == (2, 1, False)


def test_booked_per_session_a_place_given_up_before_the_session_is_not_expected(centre, staff):
    with at(1, 1):
        course = CourseFactory(
            centre=centre,
            booking_mode=BookingMode.SESSION,
            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        )
        s = _sessions(course)
        person = ParticipantFactory(centre=centre, name="Olena")
        places = [
            enrolment_create(
                course=course, participant=person, session=x, source="staff", actor=staff
            )
            for x in s
        ]
    _mark(s[0], places[0])
    with at(1, 10):
        enrolment_cancel(enrolment=places[1], actor=staff)
    # Booked 5 and 19 January (came to the first only); gave up the 12th beforehand.
    olena = _row(course, "Olena")
    assert olena.expected_sessions == {s[0].pk, s[2].pk}
    assert (olena.rate_percent, olena.left_at) == (50, None)


def test_the_page_and_the_csv_show_when_a_place_began_and_ended(staff, course):
    s = _sessions(course)
    with at(1, 14):
        joined = _enrol(course, staff, "Taras")
    with at(1, 1):
        left = _enrol(course, staff, "Piotr")
    with at(1, 20):
        enrolment_cancel(enrolment=left, actor=staff)
    _mark(s[2], joined)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with time_machine.travel(AFTER, tick=False):
        client.force_login(staff)
        page = client.get(f"/reports/courses/{course.pk}/")
        response = client.get(f"/reports/courses/{course.pk}/attendance.csv")
    html = page.content.decode()
    assert "since 14 January" in html
    assert "left on 20 January" in html
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    taras = next(row for row in rows if row and row[0] == "Taras")
    assert taras[2:8] == ["no place", "no place", "Present", "", "", ""]
    assert taras[-2:] == ["2027-01-14", ""]
    piotr = next(row for row in rows if row and row[0] == "Piotr")
    assert piotr[2:8] == ["", "", "", "no place", "no place", "no place"]
    assert piotr[-2:] == ["2027-01-01", "2027-01-20"]


def test_the_migration_fills_the_stretch_in_from_each_places_history(staff, course):
    with at(1, 1):
        kept = _enrol(course, staff, "Olena")
        gone = _enrol(course, staff, "Piotr")
    with at(1, 20):
        enrolment_cancel(enrolment=gone, actor=staff)
    Enrolment.objects.update(confirmed_at=None, left_at=None)
    migration = importlib.import_module("courses.migrations.0014_enrolment_confirmed_and_left")
    migration.backfill(apps, None)
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert (kept.confirmed_at, kept.left_at) == (datetime(2027, 1, 1, 12, tzinfo=WARSAW), None)
    assert (gone.confirmed_at, gone.left_at) == (
        datetime(2027, 1, 1, 12, tzinfo=WARSAW),
        datetime(2027, 1, 20, 12, tzinfo=WARSAW),
    )


def test_a_place_taken_on_paper_is_dated_back_and_counts_from_then(staff, course):
    from courses.errors import DomainError
    from courses.models import AuditAction, AuditEntry
    from courses.services.enrolment_history import enrolment_confirmed_since

    s = _sessions(course)
    with at(1, 20):  # typed in after three sessions; taken at the desk before the course
        place = _enrol(course, staff, "Olena")
    assert _row(course, "Olena").expected == 3
    with at(1, 20):
        enrolment_confirmed_since(
            enrolment=place, at=datetime(2027, 1, 4, 12, tzinfo=WARSAW), actor=staff
        )
        with pytest.raises(DomainError):  # never later than recorded, never in the future
            enrolment_confirmed_since(
                enrolment=place, at=datetime(2027, 1, 10, 12, tzinfo=WARSAW), actor=staff
            )
        with pytest.raises(DomainError):
            enrolment_confirmed_since(
                enrolment=place, at=datetime(2027, 2, 1, 12, tzinfo=WARSAW), actor=staff
            )
    place.refresh_from_db()
    assert place.confirmed_at == datetime(2027, 1, 4, 12, tzinfo=WARSAW)
    assert _row(course, "Olena").expected_sessions == {x.pk for x in s}
    # the place's entries share one frozen instant: pick the dating back by its action
    entry = AuditEntry.objects.get(target_id=place.pk, action=AuditAction.ENROLMENT_CHANGED)
    assert entry.detail["fields"] == ["confirmed_at"]
