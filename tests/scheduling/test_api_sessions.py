"""/api/v1/sessions/: local times with their offset, filters, cancel/move/restore actions."""

from __future__ import annotations

from datetime import date

import pytest

from scheduling.models import Session, SessionStatus
from tests.factories import CourseFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    # Tuesdays 18:00 from 16 March 2027: the clocks change on 28 March.
    return CourseFactory(
        centre=centre, start_date=date(2027, 3, 16), rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4"
    )


def test_sessions_show_local_times_with_the_offset_of_their_date(api, course) -> None:
    body = api.get("/api/v1/sessions/", {"course": course.pk}).json()
    assert [s["starts_at"] for s in body["results"]] == [
        "2027-03-16T18:00:00+01:00",
        "2027-03-23T18:00:00+01:00",
        "2027-03-30T18:00:00+02:00",
        "2027-04-06T18:00:00+02:00",
    ]
    first = body["results"][0]
    assert first["ends_at"] == "2027-03-16T19:30:00+01:00"
    assert first["status"] == "scheduled"
    assert first["centre"] == "cic-poznan"


def test_sessions_filter_by_date_range(api, course) -> None:
    body = api.get("/api/v1/sessions/", {"from": "2027-03-23", "to": "2027-03-30"}).json()
    assert [s["starts_at"][:10] for s in body["results"]] == ["2027-03-23", "2027-03-30"]
    bad = api.get("/api/v1/sessions/", {"from": "next tuesday"})
    assert bad.status_code == 400


def test_staff_cancel_restore_and_move_a_session(staff_api, course) -> None:
    session = course.sessions.order_by("starts_at").first()
    cancelled = staff_api.post(f"/api/v1/sessions/{session.pk}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    refused = staff_api.post(
        f"/api/v1/sessions/{session.pk}/move/",
        {"starts_at": "2027-03-17T10:00:00+01:00", "ends_at": "2027-03-17T11:30:00+01:00"},
        format="json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "session_cancelled"
    assert staff_api.post(f"/api/v1/sessions/{session.pk}/restore/").json()["status"] == (
        "scheduled"
    )
    venue = VenueFactory(centre=course.centre)
    moved = staff_api.post(
        f"/api/v1/sessions/{session.pk}/move/",
        {
            "starts_at": "2027-03-17T10:00:00+01:00",
            "ends_at": "2027-03-17T11:30:00+01:00",
            "venue": venue.pk,
        },
        format="json",
    ).json()
    assert moved["starts_at"] == "2027-03-17T10:00:00+01:00"
    assert moved["moved"] is True
    assert moved["venue"] == venue.pk
    assert moved["sequence"] == 3
    assert moved["original_start"] == "2027-03-16T18:00:00+01:00"


def test_move_with_end_before_start_is_a_400_and_changes_nothing(staff_api, course) -> None:
    session = course.sessions.order_by("starts_at").first()
    response = staff_api.post(
        f"/api/v1/sessions/{session.pk}/move/",
        {"starts_at": "2027-03-17T10:00:00+01:00", "ends_at": "2027-03-17T09:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()
    session.refresh_from_db()
    assert not session.moved


def test_staff_add_a_one_off_session_and_change_its_note(staff_api, course) -> None:
    response = staff_api.post(
        "/api/v1/sessions/",
        {
            "course": course.pk,
            "starts_at": "2027-03-20T10:00:00+01:00",
            "ends_at": "2027-03-20T12:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    session_id = response.json()["id"]
    assert response.json()["original_start"] is None
    patched = staff_api.patch(
        f"/api/v1/sessions/{session_id}/", {"note": "Sala 2", "capacity": 8}, format="json"
    )
    assert patched.status_code == 200
    assert (patched.json()["note"], patched.json()["capacity"]) == ("Sala 2", 8)


def test_anonymous_users_read_but_do_not_write(api, course) -> None:
    session = course.sessions.first()
    assert api.get(f"/api/v1/sessions/{session.pk}/").status_code == 200
    assert api.post(f"/api/v1/sessions/{session.pk}/cancel/").status_code in (401, 403)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_closure_through_the_api_removes_sessions_on_those_days(staff_api, course) -> None:
    response = staff_api.post(
        "/api/v1/closures/",
        {
            "centre": "cic-poznan",
            "starts_on": "2027-03-23",
            "ends_on": "2027-03-23",
            "reason": "Remont",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert course.sessions.count() == 3
    closure_id = response.json()["id"]
    assert staff_api.delete(f"/api/v1/closures/{closure_id}/").status_code == 204
    assert course.sessions.count() == 4


def test_closure_with_last_day_before_first_is_refused(staff_api, course) -> None:
    response = staff_api.post(
        "/api/v1/closures/",
        {"centre": "cic-poznan", "starts_on": "2027-03-23", "ends_on": "2027-03-20"},
        format="json",
    )
    assert response.status_code == 400
    assert course.sessions.count() == 4


def test_staff_may_not_close_every_centre(staff_api, course) -> None:
    response = staff_api.post(
        "/api/v1/closures/", {"starts_on": "2027-03-23", "ends_on": "2027-03-23"}, format="json"
    )
    assert response.status_code == 400
    assert Session.objects.count() == 4


def test_websites_may_read_sessions_from_another_origin_but_not_write(api, course) -> None:
    response = api.get(
        "/api/v1/sessions/", {"centre": "cic-poznan"}, HTTP_ORIGIN="https://centrum.example.org"
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/sessions/",
        HTTP_ORIGIN="https://centrum.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
