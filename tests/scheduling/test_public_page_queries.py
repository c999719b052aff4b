"""The public pages cost the same number of queries whatever the centre offers: the course page
for a course of 3 or 40 sessions (booked per session, with people in them), the embed for 10 or
100 courses (home and centre: tests/scheduling/test_public_site.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import BookingMode, Course, CourseKind
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _course(centre, slug: str, sessions: int, people: int) -> Course:
    course: Course = CourseFactory(
        centre=centre,
        slug=slug,
        kind=CourseKind.WORKSHOP,
        booking_mode=BookingMode.SESSION,
        venue=VenueFactory(centre=centre, name=f"Sala {slug}"),
        start_date=date(2027, 1, 5),
        rule=f"RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT={sessions}",
    )
    for session in course.sessions.order_by("starts_at")[:people]:
        person = ParticipantFactory(centre=centre, sms_consent=True)
        EnrolmentFactory(course=course, session=session, participant=person)
    return course


def test_the_course_page_costs_the_same_for_3_and_40_sessions(client, centre) -> None:
    _course(centre, "small-1", sessions=3, people=2)
    _course(centre, "large-2", sessions=40, people=30)
    url = "/centres/cic-poznan/courses/{}/"
    client.get(url.format("small-1"))  # warm: translations, sessions
    small = _queries(client, url.format("small-1"))
    large = _queries(client, url.format("large-2"))
    assert small == large
    assert large <= 4


def test_the_embed_costs_the_same_for_10_and_100_courses(client, centre) -> None:
    def add(first: int, count: int) -> None:
        for n in range(first, first + count):
            CourseFactory(
                centre=centre,
                slug=f"c{n}",
                venue=VenueFactory(centre=centre, name=f"Sala {n}"),
                start_date=date(2027, 1, 5),
                rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4",
            )

    add(0, 10)
    client.get("/embed/cic-poznan/")
    small = _queries(client, "/embed/cic-poznan/?weeks=12")
    add(10, 90)
    large = _queries(client, "/embed/cic-poznan/?weeks=12")
    assert small == large
    # The centre, the sessions, their courses and their venues (each read once, shared by the
    # sessions), the seats of the sessions booked one by one.
    assert large <= 5
