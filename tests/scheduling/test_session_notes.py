"""The note staff write for participants when they cancel or move a session: on the course page
and the personal page (a moved session also says where it moved from), and in the notice SMS
only when staff ask for it, within the notice's length."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import BookingMode, Course
from notifications import texts
from notifications.models import MessageKind, OutboundMessage
from notifications.segments import sms_size
from scheduling import services
from scheduling.models import Session, SessionStatus
from tests.factories import CourseFactory, EnrolmentFactory

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 8, 12, tzinfo=WARSAW)
CANCEL_NOTE = "Trenerka jest chora. Zamiast tego: zajęcia w sobotę 23 stycznia."
MOVE_NOTE = "Sala 12 na drugim piętrze, wejście od podwórza."
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def on_day(course: Course, day: date) -> Session:
    [session] = [s for s in course.sessions.all() if s.starts_at.astimezone(WARSAW).date() == day]
    return session


@pytest.fixture
def course() -> Course:
    """Tuesdays at 18:00 from 5 January 2027: 19 January cancelled, 12 January moved to
    Thursday 14th at 17:00, each with a note."""
    course = CourseFactory(start_date=date(2027, 1, 5))
    moved_to = datetime(2027, 1, 14, 17, tzinfo=WARSAW)
    services.session_move(
        session=on_day(course, date(2027, 1, 12)),
        starts_at=moved_to,
        ends_at=moved_to + timedelta(minutes=90),
        note=MOVE_NOTE,
    )
    services.session_cancel(session=on_day(course, date(2027, 1, 19)), note=CANCEL_NOTE)
    return course


def test_the_course_page_shows_the_notes_and_where_a_session_moved_from(client, course) -> None:
    page = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert CANCEL_NOTE in page
    assert MOVE_NOTE in page
    assert "przeniesione z Wt 12 stycznia, 18:00" in page

    english = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "moved from Tue 12 January, 18:00" in english


def test_the_personal_page_shows_the_changes_with_their_notes(client, course) -> None:
    enrolment = EnrolmentFactory(course=course)
    EnrolmentFactory(participant=enrolment.participant, course=CourseFactory(centre=course.centre))
    page = client.get(enrolment.participant.get_absolute_url()).content.decode()
    assert page.count(CANCEL_NOTE) == 1  # under the course's card, not the other one's
    assert MOVE_NOTE in page
    assert "przeniesione z Wt 12 stycznia, 18:00" in page
    assert "Czw 14 stycznia, 17:00" in page  # where it is now


def test_the_personal_page_of_a_session_booking_shows_only_that_session(client) -> None:
    course = CourseFactory(start_date=date(2027, 1, 12), booking_mode=BookingMode.SESSION)
    booked = on_day(course, date(2027, 1, 12))
    other = on_day(course, date(2027, 1, 19))
    enrolment = EnrolmentFactory(course=course, session=booked)
    services.session_cancel(session=other, note="Inna data")
    page = client.get(enrolment.participant.get_absolute_url()).content.decode()
    assert "Inna data" not in page
    services.session_cancel(session=booked, note="Ta data odwołana")
    page = client.get(enrolment.participant.get_absolute_url()).content.decode()
    assert "Ta data odwołana" in page


def notice_text(kind: str, language: str = "pl") -> str:
    message = OutboundMessage.objects.get(kind=kind)
    return texts.render(message.kind, message.context, language)


def test_the_cancellation_sms_carries_the_note_only_when_ticked() -> None:
    course = CourseFactory(start_date=date(2027, 1, 12))
    EnrolmentFactory(course=course)
    services.session_cancel(session=on_day(course, date(2027, 1, 12)), note=CANCEL_NOTE)
    assert CANCEL_NOTE not in notice_text(MessageKind.SESSION_CANCELLED)
    assert on_day(course, date(2027, 1, 12)).note == CANCEL_NOTE  # on the pages all the same

    OutboundMessage.objects.all().delete()
    services.session_cancel(
        session=on_day(course, date(2027, 1, 19)), note=CANCEL_NOTE, note_in_sms=True
    )
    text = notice_text(MessageKind.SESSION_CANCELLED)
    assert "19.01" in text
    assert text.endswith(CANCEL_NOTE)
    assert sms_size(text).segments <= texts.MAX_NOTICE_SEGMENTS


def test_the_move_sms_carries_the_note_when_ticked() -> None:
    course = CourseFactory(start_date=date(2027, 1, 12))
    EnrolmentFactory(course=course)
    moved_to = datetime(2027, 1, 13, 10, tzinfo=WARSAW)
    services.session_move(
        session=on_day(course, date(2027, 1, 12)),
        starts_at=moved_to,
        ends_at=moved_to + timedelta(hours=1),
        note=MOVE_NOTE,
        note_in_sms=True,
    )
    text = notice_text(MessageKind.SESSION_MOVED, "uk")
    assert "13.01" in text
    assert text.endswith(MOVE_NOTE)


def test_a_long_note_is_cut_to_fit_and_a_sensitive_course_sends_none() -> None:
    course = CourseFactory(start_date=date(2027, 1, 12))
    EnrolmentFactory(course=course)
    long_note = "Zajęcia odwołane z powodu remontu sali. " * 20
    services.session_cancel(
        session=on_day(course, date(2027, 1, 12)), note=long_note, note_in_sms=True
    )
    text = notice_text(MessageKind.SESSION_CANCELLED, "uk")
    assert "Zajęcia odwołane z powodu" in text
    assert text.endswith("…")
    assert sms_size(text).segments == texts.MAX_NOTICE_SEGMENTS

    sensitive = CourseFactory(start_date=date(2027, 1, 12), sensitive=True)
    EnrolmentFactory(course=sensitive)
    OutboundMessage.objects.all().delete()
    services.session_cancel(
        session=on_day(sensitive, date(2027, 1, 12)), note="Psycholog chory", note_in_sms=True
    )
    assert "Psycholog" not in notice_text(MessageKind.SESSION_CANCELLED)


def test_the_api_cancels_with_a_note_for_the_sms(staff_api, staff_user) -> None:
    course = CourseFactory(start_date=date(2027, 1, 12))
    course.centre.staff.add(staff_user)
    EnrolmentFactory(course=course)
    session = on_day(course, date(2027, 1, 12))
    response = staff_api.post(
        f"/api/v1/sessions/{session.pk}/cancel/",
        {"note": CANCEL_NOTE, "note_in_sms": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["note"]) == ("cancelled", CANCEL_NOTE)
    assert notice_text(MessageKind.SESSION_CANCELLED).endswith(CANCEL_NOTE)

    refused = staff_api.post(
        f"/api/v1/sessions/{on_day(course, date(2027, 1, 19)).pk}/cancel/",
        {"note": "x" * 1001},
        format="json",
    )
    assert refused.status_code == 400
    assert on_day(course, date(2027, 1, 19)).status == SessionStatus.SCHEDULED


def test_the_admin_cancels_with_a_note_in_the_sms(admin_client) -> None:
    course = CourseFactory(start_date=date(2027, 1, 12))
    EnrolmentFactory(course=course)
    session = on_day(course, date(2027, 1, 12))
    response = admin_client.post(
        f"/admin/scheduling/session/{session.pk}/change/",
        {
            "starts_at_0": "2027-01-12",
            "starts_at_1": "18:00:00",
            "ends_at_0": "2027-01-12",
            "ends_at_1": "19:30:00",
            "venue": "",
            "status": "cancelled",
            "capacity": "",
            "note": CANCEL_NOTE,
            "note_in_sms": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert (session.status, session.note) == (SessionStatus.CANCELLED, CANCEL_NOTE)
    assert notice_text(MessageKind.SESSION_CANCELLED).endswith(CANCEL_NOTE)
