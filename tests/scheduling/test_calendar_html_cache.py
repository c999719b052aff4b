"""The calendar and the offer of the public pages, and a course page's list of sessions, are
rendered once for what they show (`scheduling.calendar.page_key`, `offer_key`, `sessions_key`):
a page seen again whose sessions and seats are as they were comes from the feed cache, and any
change shows at once (a seat taken, a session cancelled or its note changed, enrolment closed,
another language)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses.models import BookingMode, Course, CourseKind
from courses.services.catalogue import course_update
from scheduling import calendar, release
from scheduling.services.sessions import session_cancel, session_update_details
from tests.factories import (
    CentreFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    first_session,
)

WARSAW = ZoneInfo("Europe/Warsaw")
SESSION_ITEM = "courses/_session_item.html"
SESSIONS = "courses/_course_sessions.html"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 1, 4, 9, tzinfo=WARSAW), tick=False):
        yield


def _get(client, path: str, lang: str = "en"):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


def _calendar(response) -> str:
    """The calendar: from the week's links or the first day's heading to the subscribe links."""
    html = response.content.decode()
    start = min(
        html.find(mark) % len(html) for mark in ('<nav class="week-nav"', '<h3 class="day">')
    )
    return html[start : html.index('class="subscribe')]


def _session_titles(response) -> list[str]:
    return re.findall(r'<span class="session-title">.*?</span>', _calendar(response), re.S)


def _rendered(response) -> set[str]:
    return {template.name for template in response.templates}


@pytest.mark.parametrize("path", ["/centres/cic-poznan/", "/embed/cic-poznan/"])
def test_a_page_seen_again_is_not_rendered_again(client, centre, path) -> None:
    CourseFactory(centre=centre, title_pl="Polski A1")
    first = _get(client, path)
    again = _get(client, path)
    assert SESSION_ITEM in _rendered(first)
    assert SESSION_ITEM not in _rendered(again)
    assert _calendar(again) == _calendar(first)


def test_a_seat_taken_shows_at_once_in_the_calendar_and_the_embed(client, centre) -> None:
    workshop: Course = CourseFactory(
        centre=centre, kind=CourseKind.WORKSHOP, booking_mode=BookingMode.SESSION, capacity=3
    )
    for path in ("/centres/cic-poznan/", "/embed/cic-poznan/?lang=en"):
        assert "2 seats left" not in _calendar(_get(client, path))
    EnrolmentFactory(
        course=workshop,
        session=first_session(workshop),
        participant=ParticipantFactory(centre=centre, sms_consent=True),
    )
    for path in ("/centres/cic-poznan/", "/embed/cic-poznan/?lang=en"):
        assert _calendar(_get(client, path)).count("2 seats left") == 1, path


def test_a_seat_taken_shows_at_once_in_the_offer(client, centre) -> None:
    course: Course = CourseFactory(centre=centre, capacity=5)
    offer = _get(client, "/centres/cic-poznan/").content.decode().split('id="programme"')[0]
    assert "5 seats left" in offer
    EnrolmentFactory(course=course, participant=ParticipantFactory(centre=centre, sms_consent=True))
    offer = _get(client, "/centres/cic-poznan/").content.decode().split('id="programme"')[0]
    assert "4 seats left" in offer


def test_a_course_renamed_or_a_session_cancelled_shows_at_once(client, centre) -> None:
    course: Course = CourseFactory(centre=centre, title_pl="Polski A1", title_en="Polish A1")
    assert "Polish A1" in _get(client, "/embed/cic-poznan/?lang=en").content.decode()
    assert "Polish A1" in _get(client, "/centres/cic-poznan/").content.decode()

    course_update(course=course, title_en="Polish for beginners")
    for path in ("/centres/cic-poznan/", "/embed/cic-poznan/?lang=en"):
        html = _get(client, path).content.decode()
        assert "Polish for beginners" in html, path
        assert "Polish A1" not in html, path

    session_cancel(session=first_session(course))
    for path in ("/centres/cic-poznan/", "/embed/cic-poznan/?lang=en"):
        assert 'badge--cancelled">Cancelled<' in _get(client, path).content.decode(), path


def test_each_language_and_the_embed_have_their_own_html(client, centre) -> None:
    CourseFactory(centre=centre, title_pl="Polski A1", title_uk="Польська A1")
    english = _get(client, "/centres/cic-poznan/")
    ukrainian = _get(client, "/centres/cic-poznan/", lang="uk")
    assert "Польська A1" in _calendar(ukrainian)
    assert "Польська A1" not in _calendar(english)
    # The embed's links open outside the frame; the centre page's do not.
    embedded = _session_titles(_get(client, "/embed/cic-poznan/?lang=en"))
    assert embedded
    assert all('target="_blank"' in title for title in embedded)
    assert not any('target="_blank"' in title for title in _session_titles(english))


def test_a_calendar_rendered_without_a_key_is_never_taken_from_the_cache(centre) -> None:
    """A page that includes the calendar without `calendar_key` renders it each time: it never
    gets another page's calendar kept under an empty key."""
    CourseFactory(centre=centre, title_pl="Polski A1")
    other = CentreFactory(slug="cic-konin", name="CIC Konin")
    CourseFactory(centre=other, title_pl="Klub językowy")
    with translation.override("pl"):
        shown = [
            render_to_string(
                "scheduling/_calendar.html",
                {"page": calendar.calendar_page(place, {}), "seats": {}},
            )
            for place in (centre, other)
        ]
    assert "Polski A1" in shown[0]
    assert "Klub językowy" in shown[1]
    assert "Polski A1" not in shown[1]


def test_each_week_of_the_week_view_has_its_own_html(client, centre) -> None:
    CourseFactory(centre=centre, title_pl="Polski A1")
    first = _calendar(_get(client, "/centres/cic-poznan/?view=week&week=2027-01-04"))
    later = _calendar(_get(client, "/centres/cic-poznan/?view=week&week=2027-01-11"))
    assert 'datetime="2027-01-05T' in first
    assert 'datetime="2027-01-12T' in later
    assert 'datetime="2027-01-05T' not in later
    # Two weeks with no session at all: each says its own days.
    empty = _calendar(_get(client, "/centres/cic-poznan/?view=week&week=2029-06-04"))
    next_empty = _calendar(_get(client, "/centres/cic-poznan/?view=week&week=2029-06-11"))
    assert ">4 June<" in empty
    assert ">11 June<" in next_empty
    assert ">4 June<" not in next_empty


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
    """A course page's list of sessions, and the templates rendered for it."""
    response = _get(client, "/centres/cic-poznan/courses/warsztat/", lang)
    html = response.content.decode()
    listed = html[html.index('<ul class="sessions') : html.index('class="subscribe')]
    return listed, _rendered(response)


def test_a_course_pages_sessions_seen_again_are_not_rendered_again(client, workshop) -> None:
    first, rendered_first = _page(client)
    again, rendered_again = _page(client)

    assert SESSIONS in rendered_first
    assert SESSIONS not in rendered_again
    assert again == first
    assert first.count('<li class="session') == workshop.sessions.count()


def test_a_seat_taken_shows_at_once_in_a_course_pages_sessions(client, workshop) -> None:
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


def test_each_language_has_its_own_list_of_a_course_pages_sessions(client, workshop) -> None:
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


@pytest.fixture
def own_release(settings, tmp_path):
    """A release of its own: some code, one template and one compiled catalogue, read afresh."""
    for folder in ("config", "templates", "locale/uk/LC_MESSAGES"):
        (tmp_path / folder).mkdir(parents=True)
    settings.BASE_DIR = tmp_path
    release.forget()
    yield tmp_path
    release.forget()


def test_a_release_with_other_code_templates_or_texts_keeps_its_html_apart(
    centre, own_release
) -> None:
    """The kept HTML's keys name the release: other code, another template or another
    translation gives other keys (a shared cache holds nothing an older release rendered); the
    same files, the same keys. A file that cannot be read as one (a dangling link an editor
    left, a folder named like a template) is no part of it and fails nothing."""
    code = own_release / "config" / "links.py"
    template = own_release / "templates" / "calendar.html"
    catalogue = own_release / "locale" / "uk" / "LC_MESSAGES" / "django.mo"
    code.write_text("LINK = 1")
    template.write_text("<ul>")
    catalogue.write_bytes(b"one")
    (own_release / "templates" / ".#calendar.html").symlink_to(own_release / "gone.html")
    (own_release / "templates" / "folder.html").mkdir()
    page = calendar.calendar_page(centre, {})

    def key() -> str:
        release.forget()
        return calendar.page_key(page, {}, lang="uk")

    first = key()
    assert key() == first
    code.write_text("LINK = 2")
    second = key()
    template.write_text("<ol>")
    third = key()
    catalogue.write_bytes(b"two")
    fourth = key()
    assert len({first, second, third, fourth}) == 4


def test_the_offer_changed_alone_reads_no_session_of_the_calendar(
    client, centre, django_assert_max_num_queries
) -> None:
    """A seat taken in a course booked as a whole changes the offer, not the calendar: the
    kept calendar is used, and the offer reads its courses and their next sessions' times, not
    every session of the calendar with its course and venue."""
    course: Course = CourseFactory(centre=centre, capacity=5)
    _get(client, "/centres/cic-poznan/")
    EnrolmentFactory(course=course, participant=ParticipantFactory(centre=centre, sms_consent=True))
    with CaptureQueriesContext(connection) as read:
        response = _get(client, "/centres/cic-poznan/")
    assert SESSION_ITEM not in _rendered(response)
    assert "4 seats left" in response.content.decode().split('id="programme"')[0]
    sql = " ".join(q["sql"] for q in read.captured_queries)
    assert '"scheduling_session"."venue_id"' not in sql  # no session read whole
