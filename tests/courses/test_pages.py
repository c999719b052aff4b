"""Public pages: centres, a centre's next four weeks, a course's sessions, in the UI language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from scheduling import services
from tests.factories import CentreFactory, CourseFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 3, 10, 9, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        start_date=date(2027, 3, 16),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
    )


def test_home_lists_centres_with_address_and_next_sessions(client, course) -> None:
    CentreFactory(name="CIC Konin", city="Konin", address="ul. Chopina 23B")
    html = client.get("/").content.decode()
    assert "CIC Poznań" in html
    assert "ul. Chopina 23B" in html
    assert "Język polski A1" in html
    assert 'datetime="2027-03-16T18:00:00+01:00"' in html


def test_home_page_query_count_does_not_grow_with_centres(
    client, course, django_assert_max_num_queries
) -> None:
    for _ in range(10):
        CourseFactory(centre=CentreFactory(), start_date=date(2027, 3, 16))
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


def test_centre_page_shows_the_next_four_weeks_in_local_time(client, course) -> None:
    html = client.get("/centres/cic-poznan/").content.decode()
    # Today is 10 March: 16, 23, 30 March and 6 April; 13 and 20 April are beyond four weeks.
    assert html.count("18:00–19:30") == 4
    assert 'datetime="2027-03-30T18:00:00+02:00"' in html


def test_course_page_marks_cancelled_sessions(client, course) -> None:
    services.session_cancel(session=course.sessions.order_by("starts_at").first())
    response = client.get("/centres/cic-poznan/courses/polski-a1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Cancelled" in response.content.decode()


def test_unpublished_course_and_unknown_centre_are_404(client, centre) -> None:
    CourseFactory(centre=centre, slug="draft", published=False)
    assert client.get("/centres/cic-poznan/courses/draft/").status_code == 404
    assert client.get("/centres/nowhere/").status_code == 404


@pytest.mark.parametrize(
    ("language", "title", "ui_text"),
    [
        ("uk", "Польська мова A1", "Найближчі заняття"),
        ("pl", "Język polski A1", "Najbliższe zajęcia"),
        ("ru", "Język polski A1", "Ближайшие занятия"),
    ],
)
def test_pages_speak_the_visitors_language(client, course, language, title, ui_text) -> None:
    html = client.get("/centres/cic-poznan/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in html
    assert title in html
    home = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ui_text in home


def test_language_switcher_remembers_the_choice(client, course) -> None:
    response = client.post("/i18n/setlang/", {"language": "uk", "next": "/centres/cic-poznan/"})
    assert response.status_code == 302
    html = client.get("/centres/cic-poznan/").content.decode()
    assert '<html lang="uk">' in html
    assert "Польська мова A1" in html


def test_pages_refuse_to_be_framed(client, course) -> None:
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
