"""The calendar feed of a slot-booked course shows the duty hours (its sessions), never the
bookings: no appointment, no person's name, one event per duty hours and not per slot."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from appointments.services.booking import appointment_book
from courses.models import Course
from tests.appointments.helpers import local, person
from tests.factories import first_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(staff_user, consultation: Course) -> Course:
    day = first_session(consultation).starts_at.astimezone(consultation.centre.tz).date()
    appointment_book(
        course=consultation,
        starts_at=local(consultation, day, 10, 30),
        language="pl",
        person=person(1),
        actor=staff_user,
        channel="desk",
    )
    return consultation


def _feed(client, course: Course) -> bytes:
    response = client.get(f"/calendars/{course.centre.slug}/{course.slug}.ics")
    assert response.status_code == 200
    return response.content


def test_the_feed_is_the_duty_hours(client, booked: Course) -> None:
    events = list(icalendar.Calendar.from_ical(_feed(client, booked)).walk("VEVENT"))
    spans = {(e.decoded("DTEND") - e.decoded("DTSTART")) for e in events}
    assert spans == {timedelta(hours=3)}


def test_the_feed_names_nobody_booked(client, booked: Course) -> None:
    assert b"Osoba 1" not in _feed(client, booked)
