"""The public site as a product: kinds at a glance, seats and changes as badges, the centre's
logo and funding line, the home page by city, and the same number of queries for 10 or 100
courses."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.logos import MAX_LOGO_BYTES, validate_logo
from courses.models import BookingMode, Course, CourseKind, Enrolment, EnrolmentStatus
from scheduling.services.sessions import session_cancel, session_move
from tests.factories import (
    CentreFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    first_session,
)

WARSAW = ZoneInfo("Europe/Warsaw")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
pytestmark = pytest.mark.django_db


def person(centre):
    return ParticipantFactory(centre=centre, sms_consent=True)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 1, 4, 9, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_each_kind_has_its_colour_and_icon_on_the_offer_and_the_calendar(client, centre):
    CourseFactory(centre=centre, kind=CourseKind.WORKSHOP, title_pl="Warsztaty plastyczne")

    html = client.get("/centres/cic-poznan/").content.decode()
    offer, calendar = html.split('id="programme"')

    assert 'class="offer-card kind--workshop"' in offer
    assert "kinds.svg#workshop" in offer
    assert 'class="session kind--workshop' in calendar
    assert "kinds.svg#workshop" in calendar


def test_seats_left_and_a_full_course_with_its_waitlist_are_badges(client, centre):
    open_course = CourseFactory(centre=centre, capacity=5, title_pl="Polski A1")
    full = CourseFactory(centre=centre, capacity=1, title_pl="Polski A2")
    EnrolmentFactory(course=full, participant=person(centre))
    waiting: Enrolment = EnrolmentFactory(course=full, participant=person(centre))
    assert waiting.status == EnrolmentStatus.WAITLISTED
    EnrolmentFactory(course=open_course, participant=person(centre))

    html = client.get("/centres/cic-poznan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    offer = html.split('id="programme"')[0]

    assert '<span class="badge badge--seats">4 seats left</span>' in offer
    assert '<span class="badge badge--waitlist">Full: 1 person on the waitlist</span>' in offer


def test_sessions_booked_one_by_one_show_their_seats_in_the_calendar(client, centre):
    workshop: Course = CourseFactory(
        centre=centre, kind=CourseKind.WORKSHOP, booking_mode=BookingMode.SESSION, capacity=3
    )
    session = first_session(workshop)
    EnrolmentFactory(course=workshop, session=session, participant=person(centre))

    html = client.get("/centres/cic-poznan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    calendar = html.split('id="programme"')[1]

    assert calendar.count("2 seats left") == 1
    assert calendar.count("3 seats left") >= 1  # the next ones are still free


def test_cancelled_and_moved_sessions_are_badges(client, centre):
    course: Course = CourseFactory(centre=centre)
    sessions = list(course.sessions.order_by("starts_at")[:2])
    session_cancel(session=sessions[0])
    session_move(
        session=sessions[1],
        starts_at=sessions[1].starts_at + timedelta(hours=1),
        ends_at=sessions[1].ends_at + timedelta(hours=1),
    )

    html = client.get("/centres/cic-poznan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<strong class="badge badge--cancelled">Cancelled</strong>' in html
    assert '<strong class="badge badge--moved">Changed time or place</strong>' in html


def test_week_view_is_an_agenda_of_seven_days(client, centre):
    CourseFactory(centre=centre)

    html = client.get("/centres/cic-poznan/?view=week&week=2027-01-05").content.decode()

    assert '<ol class="week week--agenda">' in html
    assert html.count('<li class="week-day') == 7


def test_the_funding_line_and_the_eu_emblem_show_where_the_centre_sets_them(client, centre):
    CourseFactory(centre=centre, slug="a1")
    assert 'class="funding"' not in client.get("/centres/cic-poznan/").content.decode()

    centre.funding_emblem = "eu"
    centre.funding_text_pl = "Projekt współfinansowany ze środków FAMI."
    centre.funding_text_uk = "Проєкт співфінансується з коштів AMIF."
    centre.save()

    for path in ("/centres/cic-poznan/", "/centres/cic-poznan/courses/a1/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
        assert "Співфінансується Європейським Союзом" in html
        assert "Проєкт співфінансується з коштів AMIF." in html
        assert "kinds.svg#eu" in html


def test_an_uploaded_logo_is_served_and_shown_with_its_name(client, centre):
    assert client.get("/centres/cic-poznan/logo/").status_code == 404
    centre.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    centre.full_clean()
    centre.save()

    response = client.get("/centres/cic-poznan/logo/")
    html = client.get("/centres/cic-poznan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert 'src="/centres/cic-poznan/logo/?v=' in html
    assert 'alt="Logo: CIC Poznań"' in html


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("logo.svg", b"<svg onload='alert(1)'></svg>", "logo_not_an_image"),
        ("logo.png", b"GIF89a not a png", "logo_not_an_image"),  # the name does not count
        ("logo.png", PNG + b"\x00" * MAX_LOGO_BYTES, "logo_too_large"),
    ],
)
def test_a_logo_that_is_not_a_small_png_jpeg_or_webp_is_refused(name, content, code):
    with pytest.raises(ValidationError) as refused:
        validate_logo(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def test_webp_and_jpeg_logos_are_accepted():
    validate_logo(SimpleUploadedFile("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 8))
    validate_logo(SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16))


def test_the_home_page_is_filtered_by_city(client):
    CentreFactory(name="CIC Leszno", city="Leszno")
    CentreFactory(name="CIC Konin", city="Konin")

    everything = client.get("/").content.decode()
    leszno = client.get("/?city=Leszno").content.decode()
    unknown = client.get("/?city=Atlantis", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<option value="Leszno">' in everything
    assert "CIC Leszno" in everything
    assert "CIC Konin" in everything
    assert "CIC Leszno" in leszno
    assert "CIC Konin" not in leszno
    assert '<option value="Leszno" selected>' in leszno
    assert "CIC Leszno" in unknown
    assert "CIC Konin" in unknown
    assert "There is no centre in that city yet" in unknown


def _programme(centre, n: int) -> None:
    for i in range(n):
        kind = (CourseKind.POLISH_COURSE, CourseKind.WORKSHOP, CourseKind.CONSULTATION)[i % 3]
        mode = (BookingMode.COURSE, BookingMode.SESSION, BookingMode.OPEN)[i % 3]
        course: Course = CourseFactory(
            centre=centre,
            kind=kind,
            booking_mode=mode,
            start_date=date(2027, 1, 5),
            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        )
        if mode != BookingMode.OPEN:
            EnrolmentFactory(
                course=course,
                session=first_session(course) if mode == BookingMode.SESSION else None,
                participant=person(centre),
            )


@pytest.mark.parametrize(
    "path",
    [
        "/centres/cic-poznan/",
        "/centres/cic-poznan/?view=week",
        "/embed/cic-poznan/",
        "/embed/cic-poznan/?view=week&lang=uk",
    ],
)
def test_the_centre_page_costs_the_same_queries_for_10_and_100_courses(
    client, centre, django_assert_num_queries, path
):
    """Rendered (its calendar and offer not kept yet) and seen again (kept): each the same
    queries whatever the centre offers (the embed too), and the page seen again reads fewer
    (no session, course or venue rows: their ids, times and places only)."""
    _programme(centre, 10)
    client.get(path)  # warm: translations
    caches["feeds"].clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as small_again:
        assert client.get(path).status_code == 200
    _programme(centre, 90)  # a new calendar revision: rendered again
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(path).content.decode()
    if path.startswith("/centres/"):  # the embed is the calendar alone
        assert html.count('class="offer-card') == 100
    with django_assert_num_queries(len(small_again.captured_queries)):
        again = client.get(path).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", again) == token.sub("", html)
    assert len(small_again.captured_queries) < len(small.captured_queries)
    read = " ".join(q["sql"] for q in small_again.captured_queries)
    assert '"courses_venue"' not in read
    assert '"courses_course"."title"' not in read


def test_the_home_page_costs_the_same_queries_for_10_and_100_courses(
    client, django_assert_num_queries
):
    centres = [CentreFactory(city=city) for city in ("Poznań", "Leszno")]
    for centre in centres:
        _programme(centre, 5)
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/?city=Leszno").status_code == 200
    for centre in centres:
        _programme(centre, 45)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/?city=Leszno").status_code == 200


def test_the_home_page_shows_each_centres_next_three_sessions_in_order(client, centre):
    busy: Course = CourseFactory(
        centre=centre, title_pl="Polski A1", rule="RRULE:FREQ=DAILY;COUNT=9"
    )
    session_cancel(session=first_session(busy))  # cancelled: not among the next
    CourseFactory(
        centre=centre, title_pl="Polski B1", start_date=busy.start_date + timedelta(days=28)
    )
    leszno = CentreFactory(name="CIC Leszno", city="Leszno")
    CourseFactory(centre=leszno, title_pl="Klub językowy", rule="RRULE:FREQ=WEEKLY;COUNT=2")
    CentreFactory(name="CIC Konin", city="Konin")  # nothing planned

    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cards = {
        name: html[html.index(f">{name}<") :].split('class="card centre-card"')[0]
        for name in ("CIC Poznań", "CIC Leszno", "CIC Konin")
    }

    shown = [s.starts_at for s in busy.sessions.order_by("starts_at")[1:4]]
    times = re.findall(r'<time datetime="([^"]+)"', cards["CIC Poznań"])
    assert times == [s.astimezone(WARSAW).isoformat() for s in shown]
    assert "Polski B1" not in cards["CIC Poznań"]
    assert cards["CIC Leszno"].count("<time datetime=") == 2
    assert "No sessions planned yet." in cards["CIC Konin"]
