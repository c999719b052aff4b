"""Free texts are bounded on every write path: the API, the admin, the register and the
services themselves refuse a text longer than its limit (courses.text.TEXT_LIMITS) with a
translated message, and keep nothing of it."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from courses.services.catalogue import centre_save
from courses.text import RECURRENCE_MAX_LENGTH, TEXT_LIMITS
from scheduling.services import session_add, session_update_details
from tests.factories import CourseFactory, VenueFactory, first_session

pytestmark = pytest.mark.django_db

DURING = datetime(2027, 1, 5, 18, 30, tzinfo=ZoneInfo("Europe/Warsaw"))


def too_long(label: str) -> str:
    return "x" * (TEXT_LIMITS[label] + 1)


def just_right(label: str) -> str:
    return "x" * TEXT_LIMITS[label]


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label__in=["courses", "scheduling"],
        codename__regex=r"^(view|add|change)_(course|session|venue|centre)$",
    )


@pytest.fixture
def course(centre, trainer):
    return CourseFactory(centre=centre, slug="a1", trainers=[trainer])


# --- the API ---------------------------------------------------------------------------------


def test_the_api_bounds_a_centres_opening_hours(staff_api, centre) -> None:
    url = f"/api/v1/centres/{centre.slug}/"
    label = "courses.Centre.opening_hours"
    response = staff_api.patch(
        url, {"opening_hours": too_long(label)}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["opening_hours"] == [
        f"Ensure this field has no more than {TEXT_LIMITS[label]} characters."
    ]
    centre.refresh_from_db()
    assert centre.opening_hours_pl in ("", None)
    ok = staff_api.patch(url, {"opening_hours": just_right(label)}, format="json")
    assert ok.status_code == 200


def test_the_api_bounds_a_venues_accessibility_note(staff_api, centre) -> None:
    venue = VenueFactory(centre=centre)
    label = "courses.Venue.accessibility"
    response = staff_api.patch(
        f"/api/v1/venues/{venue.pk}/", {"accessibility": too_long(label)}, format="json"
    )
    assert response.status_code == 400
    assert "accessibility" in response.json()


@pytest.mark.parametrize("field", ["description", "description_pl", "description_uk"])
def test_the_api_bounds_a_courses_description_in_every_language(staff_api, course, field) -> None:
    response = staff_api.patch(
        f"/api/v1/courses/{course.pk}/",
        {field: too_long("courses.Course.description")},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    course.refresh_from_db()
    assert not course.description_pl
    assert not course.description_uk


def test_the_api_bounds_a_courses_rule_text(staff_api, course) -> None:
    rule = "RRULE:FREQ=WEEKLY;COUNT=2\n" + "EXDATE:20270112\n" * (RECURRENCE_MAX_LENGTH // 10)
    response = staff_api.patch(f"/api/v1/courses/{course.pk}/", {"recurrence": rule}, format="json")
    assert response.status_code == 400
    assert "recurrence" in response.json()


def test_the_api_bounds_a_sessions_note(staff_api, course) -> None:
    session = first_session(course)
    label = "scheduling.Session.note"
    response = staff_api.patch(
        f"/api/v1/sessions/{session.pk}/", {"note": too_long(label)}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()
    added = staff_api.post(
        "/api/v1/sessions/",
        {
            "course": course.pk,
            "starts_at": "2027-02-01T10:00:00+01:00",
            "ends_at": "2027-02-01T11:00:00+01:00",
            "note": too_long(label),
        },
        format="json",
    )
    assert added.status_code == 400
    assert "note" in added.json()
    session.refresh_from_db()
    assert session.note == ""


# --- the admin -------------------------------------------------------------------------------


def test_the_admin_bounds_a_venues_accessibility_note_in_every_language(
    staff_client, centre
) -> None:
    venue = VenueFactory(centre=centre, name="Sala 1", city="Poznań")
    label = "courses.Venue.accessibility"
    page = staff_client.get(f"/admin/courses/venue/{venue.pk}/change/").content.decode()
    assert f'maxlength="{TEXT_LIMITS[label]}"' in page
    response = staff_client.post(
        f"/admin/courses/venue/{venue.pk}/change/",
        {
            "centre": centre.pk,
            "name": "Sala 1",
            "city": "Poznań",
            "accessibility_pl": "",
            "accessibility_uk": too_long(label),
        },
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Upewnij się, że ta wartość ma co najwyżej" in response.content.decode()
    venue.refresh_from_db()
    assert not venue.accessibility_uk


def test_the_admin_bounds_a_sessions_note(staff_client, course) -> None:
    session = first_session(course)
    response = staff_client.post(
        f"/admin/scheduling/session/{session.pk}/change/",
        {
            "starts_at_0": "2027-01-05",
            "starts_at_1": "18:00:00",
            "ends_at_0": "2027-01-05",
            "ends_at_1": "19:30:00",
            "venue": "",
            "status": "scheduled",
            "capacity": "",
            "note": too_long("scheduling.Session.note"),
        },
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    session.refresh_from_db()
    assert session.note == ""


# --- the register and the services -----------------------------------------------------------


@time_machine.travel(DURING, tick=False)
def test_the_register_refuses_a_note_that_is_too_long(client, course, trainer) -> None:
    session = first_session(course)
    client.force_login(trainer)
    url = f"/register/{session.pk}/marks/"
    label = "scheduling.Session.register_note"
    body = {"type": "note", "note": too_long(label)}
    response = client.post(
        url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"The note is too long: at most {TEXT_LIMITS[label]} characters."
    )
    session.refresh_from_db()
    assert session.register_note == ""
    body = {"type": "note", "note": just_right(label)}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 200


def test_the_services_refuse_too_long_texts_themselves(centre, course) -> None:
    with pytest.raises(ValidationError) as refused:
        centre_save(centre=centre, opening_hours_uk=too_long("courses.Centre.opening_hours"))
    assert "opening_hours_uk" in refused.value.message_dict
    session = first_session(course)
    with pytest.raises(ValidationError):
        session_update_details(session=session, note=too_long("scheduling.Session.note"))
    with pytest.raises(ValidationError):
        session_add(
            course=course,
            starts_at=session.starts_at.replace(hour=8),
            ends_at=session.starts_at.replace(hour=9),
            note=too_long("scheduling.Session.note"),
        )
    centre.refresh_from_db()
    session.refresh_from_db()
    assert not centre.opening_hours_uk
    assert session.note == ""
