"""Response headers that keep private data out of caches and other sites: Cache-Control on
private feeds, the register, the reports and the attendance API; Content-Security-Policy and
framing on every page; Referrer-Policy on the personal page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import EnrolmentSource
from tests.factories import (
    CalendarTokenFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    first_session,
)

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
DURING = datetime(2027, 1, 5, 18, 30, tzinfo=WARSAW)  # the course's first session


def _directives(response) -> set[str]:
    return {d.strip() for d in response["Cache-Control"].split(",")}


@pytest.fixture
def course(centre, trainer):
    return CourseFactory(centre=centre, slug="a1", trainers=[trainer])


@pytest.fixture
def enrolled(course):
    person = ParticipantFactory(centre=course.centre, name="Olena", phone="+48601000001")
    EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    return person


# --- Cache-Control ----------------------------------------------------------------------------


def test_a_trainers_private_feed_is_private_and_its_304_too(client, course, trainer) -> None:
    url = f"/calendars/private/{CalendarTokenFactory(user=trainer).token}.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in _directives(response)
    assert "public" not in _directives(response)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "private" in _directives(again)


def test_a_participants_private_feed_is_private_and_its_304_too(client, enrolled) -> None:
    url = f"/calendars/private/{enrolled.token}.ics"
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in _directives(response)
    assert "public" not in _directives(response)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "private" in _directives(again)


def test_public_feeds_stay_public(client, course) -> None:
    response = client.get("/calendars/cic-poznan.ics")
    assert "public" in _directives(response)
    again = client.get("/calendars/cic-poznan.ics", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "public" in _directives(again)


@time_machine.travel(DURING, tick=False)
def test_the_register_pages_are_never_stored(client, course, enrolled, trainer) -> None:
    session = first_session(course)
    client.force_login(trainer)
    for url in (
        "/register/",
        f"/register/{session.pk}/",
        f"/register/{session.pk}/sheet/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in _directives(response), url
    marked = client.post(
        f"/register/{session.pk}/marks/",
        {"participant": enrolled.pk, "status": "present"},
        content_type="application/json",
    )
    assert marked.status_code == 200
    assert "no-store" in _directives(marked)


def test_the_reports_and_their_exports_are_never_stored(staff_client, course) -> None:
    for url in (
        "/reports/",
        "/reports/funder.csv",
        "/reports/funder.xlsx",
        f"/reports/courses/{course.pk}/",
        f"/reports/courses/{course.pk}/attendance.csv",
        f"/reports/courses/{course.pk}/attendance.xlsx",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in _directives(response), url


@time_machine.travel(DURING, tick=False)
def test_the_attendance_api_is_never_stored(api, course, enrolled, trainer) -> None:
    session = first_session(course)
    api.force_authenticate(trainer)
    url = f"/api/v1/sessions/{session.pk}/attendance/"
    read = api.get(url)
    assert read.status_code == 200
    assert "no-store" in _directives(read)
    written = api.put(url, [{"participant": enrolled.pk, "status": "present"}], format="json")
    assert written.status_code == 200
    assert "no-store" in _directives(written)
