"""The course page's list of coming sessions is rendered once for what it shows
(`scheduling.calendar.sessions_key`): seen again as it was, it comes from the feed cache; a seat
taken, a session cancelled, enrolment closed or another language shows at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import BookingMode, CourseKind
from courses.services.catalogue import course_update
from scheduling.services.sessions import session_cancel, session_update_details
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, first_session

WARSAW = ZoneInfo("Europe/Warsaw")
SESSIONS = "courses/_course_sessions.html"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 1, 4, 9, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def workshop(centre):
    return CourseFactory(
        centre=centre,
        slug="warsztat",
        kind=CourseKind.WORKSHOP,
        booking_mode=BookingMode.SESSION,
        capacity=3,
    )


def _page(client, lang: str = "en") -> tuple[str, set[str]]:
    response = client.get("/centres/cic-poznan/courses/warsztat/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    listed = html[html.index('<ul class="sessions') : html.index('class="subscribe')]
    return listed, {template.name for template in response.templates}


def test_the_sessions_seen_again_are_not_rendered_again(client, workshop) -> None:
    first, rendered_first = _page(client)
    again, rendered_again = _page(client)

    assert SESSIONS in rendered_first
    assert SESSIONS not in rendered_again
    assert again == first
    assert first.count('<li class="session') == workshop.sessions.count()


def test_a_seat_taken_shows_at_once(client, workshop) -> None:
    assert "2 seats left" not in _page(client)[0]
    session = first_session(workshop)
    person = ParticipantFactory(centre=workshop.centre, sms_consent=True)
    EnrolmentFactory(course=workshop, session=session, participant=person)

    assert "2 seats left" in _page(client)[0]


def test_a_cancelled_session_and_closed_enrolment_show_at_once(client, workshop) -> None:
    listed, _ = _page(client)
    assert "Cancelled" not in listed
    assert "?session=" in listed

    session_cancel(session=first_session(workshop))
    assert "Cancelled" in _page(client)[0]

    course_update(course=workshop, enrolment_open=False)
    assert "?session=" not in _page(client)[0]


def test_each_language_has_its_own_list(client, workshop) -> None:
    english, _ = _page(client, "en")
    polish, _ = _page(client, "pl")

    assert "Jan" in english
    assert "sty" in polish


def test_a_note_changed_on_its_own_shows_at_once_on_the_page_and_in_the_feed(
    client, workshop
) -> None:
    """Only the note of a session changed (the API's PATCH, the admin): the page's list and
    the course's feed are current at once."""
    feed = client.get("/calendars/cic-poznan/warsztat.ics")
    assert "sali 12" not in _page(client)[0]

    session_update_details(session=first_session(workshop), note="Dziś w sali 12.")

    assert "Dziś w sali 12." in _page(client)[0]
    again = client.get("/calendars/cic-poznan/warsztat.ics", HTTP_IF_NONE_MATCH=feed["ETag"])
    assert again.status_code == 200
    assert "sali 12" in again.content.decode()
