"""/api/v1/courses/: a course generates its sessions on save; bad rules save nothing."""

from __future__ import annotations

import pytest

from courses.models import Course
from scheduling.models import Session
from tests.factories import CourseFactory, VenueFactory

pytestmark = pytest.mark.django_db


def payload(**overrides: object) -> dict:
    data = {
        "centre": "cic-poznan",
        "slug": "polski-a1",
        "kind": "polish_course",
        "title": "Język polski A1",
        "booking_mode": "course",
        "waitlist_mode": "auto",
        "capacity": 16,
        "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24",
        "start_date": "2027-01-05",
        "start_time": "18:00",
        "duration_minutes": 90,
        "published": True,
    }
    data.update(overrides)
    return data


def test_creating_a_course_generates_its_sessions_in_the_same_request(staff_api) -> None:
    response = staff_api.post("/api/v1/courses/", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["centre"] == "cic-poznan"
    assert body["start_time"] == "18:00"
    assert body["recurrence"] == "RRULE:FREQ=WEEKLY;COUNT=24;BYDAY=TU,TH"
    assert body["title_pl"] == "Język polski A1"
    assert body["url"].endswith("/centres/cic-poznan/courses/polski-a1/")
    assert Session.objects.filter(course_id=body["id"]).count() == 24


def test_changing_the_rule_through_the_api_regenerates_sessions(staff_api) -> None:
    course_id = staff_api.post("/api/v1/courses/", payload(), format="json").json()["id"]
    response = staff_api.patch(
        f"/api/v1/courses/{course_id}/",
        {"recurrence": "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6", "duration_minutes": 120},
        format="json",
    )
    assert response.status_code == 200, response.json()
    sessions = Session.objects.filter(course_id=course_id)
    assert sessions.count() == 6
    assert {(s.ends_at - s.starts_at).seconds for s in sessions} == {7200}


def test_title_is_written_in_the_request_language_and_read_with_fallback(staff_api) -> None:
    course_id = staff_api.post("/api/v1/courses/", payload(), format="json").json()["id"]
    staff_api.patch(
        f"/api/v1/courses/{course_id}/",
        {"title": "Польська мова A1"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    uk = staff_api.get(f"/api/v1/courses/{course_id}/", HTTP_ACCEPT_LANGUAGE="uk").json()
    ru = staff_api.get(f"/api/v1/courses/{course_id}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert uk["title"] == "Польська мова A1"
    assert uk["title_pl"] == "Język polski A1"
    assert ru["title"] == "Język polski A1"  # no Russian title: falls back to Polish


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recurrence": "RRULE:FREQ=SOMETIMES"}, "recurrence"),
        ({"recurrence": "RRULE:FREQ=HOURLY;COUNT=5"}, "recurrence"),
        ({"recurrence": "RRULE:FREQ=DAILY;COUNT=5000"}, "recurrence"),
        ({"recurrence": "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=5"}, "start_date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"start_time": "25:00"}, "start_time"),
        ({"centre": "no-such-centre"}, "centre"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_input_is_a_400_with_a_field_message_and_saves_nothing(
    staff_api, overrides: dict, field: str
) -> None:
    response = staff_api.post("/api/v1/courses/", payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field][0]
    assert Course.objects.count() == 0
    assert Session.objects.count() == 0


def test_a_bad_change_leaves_the_course_and_its_sessions_as_they_were(staff_api) -> None:
    course_id = staff_api.post("/api/v1/courses/", payload(), format="json").json()["id"]
    before = list(Session.objects.filter(course_id=course_id).values_list("starts_at", flat=True))
    response = staff_api.patch(
        f"/api/v1/courses/{course_id}/", {"recurrence": "RRULE:FREQ=SECONDLY"}, format="json"
    )
    assert response.status_code == 400
    course = Course.objects.get(pk=course_id)
    assert course.recurrence_text == "RRULE:FREQ=WEEKLY;COUNT=24;BYDAY=TU,TH"
    after = list(Session.objects.filter(course_id=course_id).values_list("starts_at", flat=True))
    assert after == before


def test_rule_errors_are_translated(staff_api) -> None:
    response = staff_api.post(
        "/api/v1/courses/",
        payload(recurrence="RRULE:FREQ=HOURLY"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    english = staff_api.post(
        "/api/v1/courses/",
        payload(recurrence="RRULE:FREQ=HOURLY"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["recurrence"] != english.json()["recurrence"]
    assert "щодня" in response.json()["recurrence"][0]


def test_duplicate_slug_in_a_centre_is_refused(staff_api) -> None:
    assert staff_api.post("/api/v1/courses/", payload(), format="json").status_code == 201
    again = staff_api.post("/api/v1/courses/", payload(), format="json")
    assert again.status_code == 400
    assert Course.objects.count() == 1


def test_venue_of_another_centre_is_refused(staff_api, centre) -> None:
    foreign = VenueFactory()
    response = staff_api.post("/api/v1/courses/", payload(venue=foreign.pk), format="json")
    assert response.status_code == 400
    assert "venue" in response.json()


def test_lists_are_paginated_and_filterable(api, centre) -> None:
    CourseFactory(centre=centre, kind="workshop")
    CourseFactory(centre=centre, kind="polish_course")
    CourseFactory(centre=centre, kind="workshop", published=False)
    body = api.get("/api/v1/courses/", {"kind": "workshop"}).json()
    assert body["count"] == 1
    assert body["results"][0]["kind"] == "workshop"
    assert api.get("/api/v1/courses/", {"centre": "cic-poznan"}).json()["count"] == 2
