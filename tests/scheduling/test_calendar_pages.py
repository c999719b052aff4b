"""The centre's public calendar (list and week, filtered), subscribe links, and the embed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import CourseFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 3, 10, 9, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def programme(centre):
    polish = CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        level="A1",
        audience="adults",
        start_date=date(2027, 3, 16),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
    )
    workshop = CourseFactory(
        centre=centre,
        slug="warsztaty",
        kind="workshop",
        title_pl="Warsztaty dla dzieci",
        audience="children",
        start_date=date(2027, 3, 13),
        start_time=datetime(2027, 1, 1, 11).time(),
        rule="RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=4",
    )
    return polish, workshop


def test_week_view_shows_the_seven_days_of_the_requested_week(client, programme) -> None:
    html = client.get("/centres/cic-poznan/?view=week&week=2027-03-31").content.decode()
    assert html.count('<li class="week-day') == 7
    assert 'datetime="2027-03-30T18:00:00+02:00"' in html  # Tuesday after the DST switch
    assert 'datetime="2027-04-03T11:00:00+02:00"' in html  # Saturday
    assert 'datetime="2027-03-23T18:00:00+01:00"' not in html  # the week before
    assert "?view=week&amp;week=2027-03-22" in html  # previous week link
    assert "?view=week&amp;week=2027-04-05" in html


def test_filters_narrow_the_calendar_and_the_offer(client, programme) -> None:
    html = client.get("/centres/cic-poznan/?kind=workshop").content.decode()
    offer, calendar = html.split('id="programme"')
    assert "Warsztaty dla dzieci" in calendar
    assert "Język polski A1" not in calendar
    assert "Warsztaty dla dzieci" in offer
    assert "Język polski A1" not in offer
    html = client.get("/centres/cic-poznan/?level=A1").content.decode()
    offer, calendar = html.split('id="programme"')
    assert "Warsztaty dla dzieci" not in calendar
    assert "Warsztaty dla dzieci" not in offer
    assert "Język polski A1" in offer


def test_the_offer_and_its_filters_come_before_the_calendar(client, programme) -> None:
    html = client.get("/centres/cic-poznan/").content.decode()

    assert html.index('class="filters') < html.index('id="courses"') < html.index('id="programme"')


def test_bad_filters_are_explained_and_ignored(client, programme) -> None:
    response = client.get(
        "/centres/cic-poznan/?view=week&week=yesterday&kind=party", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Enter a valid date." in html
    assert html.count('<li class="week-day') == 7  # this week, unfiltered


def test_subscribe_links_on_centre_and_course_pages(client, programme) -> None:
    html = client.get("/centres/cic-poznan/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "webcal://127.0.0.1:8000/calendars/cic-poznan.ics?lang=uk" in html
    assert (
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F127.0.0.1%3A8000"
        "%2Fcalendars%2Fcic-poznan.ics%3Flang%3Duk"
    ) in html
    assert "/calendars/cic-poznan.ics?lang=uk&amp;download=1" in html
    course_html = client.get("/centres/cic-poznan/courses/polski-a1/").content.decode()
    assert "webcal://127.0.0.1:8000/calendars/cic-poznan/polski-a1.ics" in course_html
    assert "/calendars/cic-poznan/polski-a1.ics?download=1" in course_html


def test_embed_is_frameable_in_the_requested_language_and_other_pages_are_not(
    client, programme
) -> None:
    response = client.get("/embed/cic-poznan/?lang=uk&weeks=2&kind=polish_course")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert "Польська мова A1" in html
    assert "Warsztaty dla dzieci" not in html
    assert 'datetime="2027-03-23T18:00:00+01:00"' in html
    assert 'datetime="2027-03-30T18:00:00+02:00"' not in html  # beyond two weeks
    for url in ("/", "/centres/cic-poznan/", "/centres/cic-poznan/courses/polski-a1/"):
        assert client.get(url).headers["X-Frame-Options"] == "DENY"


def test_embed_of_one_course_and_bad_options(client, programme) -> None:
    html = client.get("/embed/cic-poznan/?course=warsztaty").content.decode()
    assert "Warsztaty dla dzieci" in html
    assert "Język polski A1" not in html
    assert client.get("/embed/cic-poznan/?weeks=500&lang=zz").status_code == 200
    assert client.get("/embed/nowhere/").status_code == 404


def test_centre_page_query_count_is_constant(client, centre, django_assert_max_num_queries) -> None:
    for n in range(5):
        CourseFactory(centre=centre, slug=f"c{n}", start_date=date(2027, 3, 16))
    with django_assert_max_num_queries(9):  # rendered: the centre, ids and seats, then rows
        client.get("/centres/cic-poznan/")
    with django_assert_max_num_queries(5):  # seen again: the centre, the ids and the seats
        client.get("/centres/cic-poznan/")
