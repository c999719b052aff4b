"""The funders' unique participants count the people who came to a consultation: an
appointment marked attended is taking part, like a present mark in a register; a no-show, a
cancelled or a merely booked appointment is not, and someone consulted before the period is
not new in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from appointments.models import Appointment
from appointments.services.booking import appointment_book, appointment_cancel, appointment_mark
from courses.selectors.funder_report import funder_report
from courses.selectors.periods import Period
from courses.services.attendance import attendance_walk_in
from courses.services.participants import ParticipantData
from tests.appointments.helpers import local, slot_course, specialist
from tests.factories import CentreFactory, CourseFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db


def _person(n: int) -> ParticipantData:
    return ParticipantData(name=f"Osoba {n}", phone=f"+48698{n:06d}", sms_consent=True)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """The lawyer's two Tuesdays at CIC Poznań. On the first, Osoba 0 and 1 came, Osoba 2 did
    not, Osoba 3 cancelled and Osoba 4 is booked but never marked; on the second Osoba 0 came
    again and Osoba 5 came for the first time."""
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań", network="CIC")
    staff = UserFactory(username="koordynator", staff_of=[poznan])
    lawyer = slot_course(poznan, trainers=[specialist("prawnik")], weeks=2)
    first = first_session(lawyer).starts_at.astimezone(poznan.tz).date()
    second = first + timedelta(weeks=1)

    def book(day: date, hour: int, minute: int, n: int) -> Appointment:
        return appointment_book(
            course=lawyer,
            starts_at=local(lawyer, day, hour, minute),
            language="pl",
            person=_person(n),
            actor=staff,
            channel="desk",
        )

    def mark(day: date, marks: list[tuple[Appointment, str]]) -> None:
        with time_machine.travel(local(lawyer, day, 14), tick=False):
            for appointment, status in marks:
                appointment_mark(appointment=appointment, status=status, actor=staff)

    mark(
        first,
        [
            (book(first, 10, 0, 0), "attended"),
            (book(first, 10, 30, 1), "attended"),
            (book(first, 11, 0, 2), "no_show"),
        ],
    )
    appointment_cancel(appointment=book(first, 11, 30, 3), actor=staff)
    book(first, 12, 0, 4)
    mark(
        second,
        [(book(second, 10, 0, 0), "attended"), (book(second, 10, 30, 5), "attended")],
    )
    return {
        "poznan": poznan,
        "staff": staff,
        "first": first,
        "second": second,
        "after": local(lawyer, second, 18),
    }


def _report(world: dict[str, Any], start: date, end: date) -> Any:
    return funder_report(
        centres=[world["poznan"]], period=Period(start, end), now=world["after"], min_count=1
    )


def test_people_who_came_to_a_consultation_are_participants(world: dict[str, Any]) -> None:
    report = _report(world, world["first"], world["first"])

    assert report.participants.value == 2  # Osoba 0 and 1; not the no-show, cancelled, booked
    assert report.new_participants.value == 2


def test_a_person_consulted_twice_is_one_participant(world: dict[str, Any]) -> None:
    assert _report(world, world["first"], world["second"]).participants.value == 3


def test_a_person_consulted_before_the_period_is_not_new(world: dict[str, Any]) -> None:
    report = _report(world, world["second"], world["second"])

    assert report.participants.value == 2  # Osoba 0 again and Osoba 5
    assert report.new_participants.value == 1  # Osoba 5 only


def test_a_consultation_and_a_class_are_one_person(world: dict[str, Any]) -> None:
    """Osoba 5 also came to a Polish class that week: still one person, and not new in a later
    class (their first taking part was the consultation)."""
    poznan, staff = world["poznan"], world["staff"]
    appointment = Appointment.objects.get(participant__name="Osoba 5")
    course = CourseFactory(
        centre=poznan,
        title_pl="Polski A1",
        start_date=world["second"] + timedelta(days=1),
        rule="RRULE:FREQ=WEEKLY;COUNT=2",
    )
    sessions = list(course.sessions.order_by("starts_at"))
    for session in sessions:
        with time_machine.travel(session.ends_at, tick=False):
            attendance_walk_in(
                session=session,
                name="Osoba 5",
                phone=appointment.participant.phone,
                actor=staff,
            )
    day = sessions[-1].starts_at.astimezone(poznan.tz).date()
    after = sessions[-1].ends_at + timedelta(hours=1)

    whole = funder_report(
        centres=[poznan], period=Period(world["second"], day), now=after, min_count=1
    )
    later = funder_report(centres=[poznan], period=Period(day, day), now=after, min_count=1)

    assert whole.participants.value == 2  # Osoba 0 and Osoba 5
    assert (later.participants.value, later.new_participants.value) == (1, 0)
