"""Dates at the edge of the calendar (0001-01-01, 9999-12-31 and their neighbours) are explained
and ignored by the calendar pages, read sensibly by the sessions API's filters, and refused with
a field message where a session would be planned: never a 500.

Sessions fall from rules.FIRST_DAY (1900-01-01) to rules.LAST_DAY (2999-12-31), and the week
view shows exactly those weeks."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import CourseFactory, EnrolmentFactory, first_session

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 3, 10, 9, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, slug="polski", start_date=date(2027, 3, 16))


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an error
    return client


@pytest.fixture
def staff_api(staff_api):
    staff_api.raise_request_exception = False
    return staff_api


@pytest.mark.parametrize(
    "week", ["9999-12-31", "0001-01-01", "9999-12-26", "0001-01-08", "3000-01-01", "1899-12-31"]
)
@pytest.mark.parametrize("page", ["/centres/cic-poznan/", "/embed/cic-poznan/"])
def test_a_week_the_calendar_cannot_show_is_explained_and_ignored(client, course, page, week):
    response = client.get(f"{page}?view=week&week={week}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<li class="week-day') == 7  # this week instead
    assert "?view=week&amp;week=2027-03-15" in html  # the next week's link
    if page.startswith("/centres/"):
        assert "The calendar cannot show that week" in html
        assert 'role="alert"' in html


@pytest.mark.parametrize(
    "query",
    [
        "weeks=99999999999999999999999999",
        "weeks=-1",
        "weeks=1e5",
        "weeks=12.5",
        "week=2027-02-30",
        "week=2027-13-01",
        "view=week&week=+2027-03-01",
        "view=week&week=27-3-1",
        "view=month&week=2027-03-31",
        "view=week&week=2027-03-31&week=9999-12-31",
    ],
)
@pytest.mark.parametrize("page", ["/centres/cic-poznan/", "/embed/cic-poznan/"])
def test_odd_calendar_options_never_fail(client, course, page, query) -> None:
    assert client.get(f"{page}?{query}").status_code == 200


def test_the_first_and_last_weeks_have_no_link_beyond_them(client, course) -> None:
    first = client.get("/centres/cic-poznan/?view=week&week=1900-01-03").content.decode()
    assert 'rel="prev"' not in first
    assert "?view=week&amp;week=1900-01-08" in first
    last = client.get("/centres/cic-poznan/?view=week&week=2999-12-31").content.decode()
    assert "?view=week&amp;week=2999-12-23" in last
    assert 'rel="next"' not in last


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"from": "0001-01-01"}, 10),  # "no lower bound"
        ({"to": "9999-12-31"}, 10),  # "no upper bound"
        ({"from": "0001-01-01T00:00:00"}, 10),
        ({"from": "0001-01-01T00:00:00+14:00"}, 10),
        ({"to": "0001-01-01T00:00:00+14:00"}, 0),
        ({"from": "9999-12-31T23:59:59-12:00"}, 0),
        ({"to": "9999-12-31T23:59:59-12:00"}, 10),
    ],
)
def test_session_filters_at_the_edge_of_the_calendar(client, course, query, found) -> None:
    response = client.get("/api/v1/sessions/", query)
    assert response.status_code == 200
    assert response.json()["count"] == found


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        ("0001-01-01T00:00:00", "0001-01-01T01:00:00", "starts_at"),  # no offset: local time
        ("0001-01-01T00:00:00+14:00", "0001-01-01T01:00:00+14:00", "starts_at"),
        ("9999-12-31T23:00:00-12:00", "9999-12-31T23:30:00-12:00", "starts_at"),
        ("9999-12-31T21:00:00Z", "9999-12-31T22:00:00Z", "starts_at"),
        ("2999-12-31T22:00:00Z", "3000-01-01T00:30:00Z", "ends_at"),
        ("1899-12-31T10:00:00Z", "1899-12-31T11:00:00Z", "starts_at"),
    ],
)
@pytest.mark.parametrize("how", ["add", "move"])
def test_a_session_out_of_range_is_refused_with_a_field_message(
    staff_api, client, course, starts_at, ends_at, field, how
) -> None:
    times = {"starts_at": starts_at, "ends_at": ends_at}
    if how == "add":
        body = {"course": course.pk, **times}
        response = staff_api.post("/api/v1/sessions/", body, format="json")
    else:
        url = f"/api/v1/sessions/{first_session(course).pk}/move/"
        response = staff_api.post(url, times, format="json")
    assert response.status_code == 400, response.content[:500]
    assert field in response.json()
    assert course.sessions.count() == 10
    for url in ("/api/v1/sessions/", "/calendars/cic-poznan.ics", "/centres/cic-poznan/"):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": "0001-01-01", "recurrence": "RRULE:FREQ=DAILY;COUNT=3"}, "start_date"),
        ({"start_date": "9999-12-31", "recurrence": ""}, "start_date"),
        ({"start_date": "2999-12-30", "recurrence": "RRULE:FREQ=DAILY;COUNT=3"}, "recurrence"),
        ({"start_date": "2027-01-05", "recurrence": "RDATE:99991231T235900"}, "recurrence"),
        ({"start_date": "2027-01-05", "recurrence": "RRULE:FREQ=YEARLY;COUNT=999"}, "recurrence"),
    ],
)
def test_a_course_with_sessions_out_of_range_is_refused(staff_api, overrides, field) -> None:
    from tests.courses.test_api_courses import payload

    response = staff_api.post(
        "/api/v1/courses/",
        payload(slug="edge", **overrides),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content[:500]
    assert response.json()[field] == ["Sessions can be planned only from 1900-01-01 to 2999-12-31."]


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"])
def test_a_mark_made_at_the_edge_of_the_calendar_is_refused(staff_api, course, at) -> None:
    session = first_session(course)
    place = EnrolmentFactory(course=course)
    with time_machine.travel(session.starts_at, tick=False):
        response = staff_api.put(
            f"/api/v1/sessions/{session.pk}/attendance/",
            [{"participant": place.participant_id, "status": "present", "at": at}],
            format="json",
        )
    assert response.status_code == 400, response.content[:500]


@pytest.mark.parametrize(("day", "hour"), [("0001-01-01", "00:00"), ("9999-12-31", "23:30")])
def test_the_admin_refuses_a_session_out_of_range_on_the_form(
    client, superuser, course, day, hour
) -> None:
    client.force_login(superuser)
    times = {"starts_at_0": day, "starts_at_1": hour, "ends_at_0": day, "ends_at_1": "23:59"}
    response = client.post("/admin/scheduling/session/add/", {"course": course.pk, **times})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"]
    session = first_session(course)
    response = client.post(
        f"/admin/scheduling/session/{session.pk}/change/",
        {**times, "status": "scheduled", "capacity": "", "note": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"]
    assert client.get("/admin/scheduling/session/").status_code == 200
