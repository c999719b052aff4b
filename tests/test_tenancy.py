"""Centres are tenants: staff see and change only their centres' data; others' is 404."""

from __future__ import annotations

import pytest

from courses.models import Course
from scheduling.models import SessionStatus
from tests.factories import CourseFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_course(other_centre):
    return CourseFactory(centre=other_centre, slug="konin-a1")


@pytest.fixture
def other_draft(other_centre):
    return CourseFactory(centre=other_centre, slug="konin-draft", published=False)


def test_another_centres_draft_course_is_404(staff_api, other_draft) -> None:
    assert staff_api.get(f"/api/v1/courses/{other_draft.pk}/").status_code == 404
    assert staff_api.get("/api/v1/courses/", {"centre": "cic-konin"}).json()["count"] == 0


def test_own_draft_course_is_visible_to_staff_but_not_to_the_public(
    staff_api, anonymous_api, centre
) -> None:
    draft = CourseFactory(centre=centre, published=False)
    assert staff_api.get(f"/api/v1/courses/{draft.pk}/").status_code == 200
    assert anonymous_api.get(f"/api/v1/courses/{draft.pk}/").status_code == 404
    assert anonymous_api.get("/api/v1/sessions/", {"course": draft.pk}).json()["count"] == 0


def test_staff_cannot_change_another_centres_objects(staff_api, other_course) -> None:
    session = other_course.sessions.first()
    venue = VenueFactory(centre=other_course.centre)
    assert (
        staff_api.patch(
            f"/api/v1/courses/{other_course.pk}/", {"capacity": 1}, format="json"
        ).status_code
        == 404
    )
    assert staff_api.delete(f"/api/v1/courses/{other_course.pk}/").status_code == 404
    assert staff_api.post(f"/api/v1/sessions/{session.pk}/cancel/").status_code == 404
    assert (
        staff_api.patch(f"/api/v1/venues/{venue.pk}/", {"name": "X"}, format="json").status_code
        == 404
    )
    assert (
        staff_api.patch("/api/v1/centres/cic-konin/", {"phone": "1"}, format="json").status_code
        == 404
    )
    other_course.refresh_from_db()
    session.refresh_from_db()
    assert other_course.capacity == 20
    assert session.status == SessionStatus.SCHEDULED


def test_staff_cannot_create_in_another_centre(staff_api, other_centre) -> None:
    response = staff_api.post(
        "/api/v1/courses/",
        {
            "centre": "cic-konin",
            "slug": "x",
            "kind": "workshop",
            "title": "X",
            "start_date": "2027-01-05",
            "start_time": "10:00",
            "duration_minutes": 60,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "centre" in response.json()
    assert not Course.objects.filter(centre=other_centre).exists()
    closure = staff_api.post(
        "/api/v1/closures/",
        {"centre": "cic-konin", "starts_on": "2027-01-05", "ends_on": "2027-01-05"},
        format="json",
    )
    assert closure.status_code == 400


def test_a_user_who_is_no_centres_staff_cannot_write(api, centre) -> None:
    api.force_authenticate(UserFactory(username="someone"))
    response = api.post("/api/v1/venues/", {"centre": centre.slug, "name": "X", "city": "Y"})
    assert response.status_code == 403


def test_only_superusers_create_centres(staff_api, api, superuser) -> None:
    data = {"slug": "cic-pila", "name": "CIC Piła", "city": "Piła"}
    assert staff_api.post("/api/v1/centres/", data, format="json").status_code == 403
    api.force_authenticate(superuser)
    created = api.post("/api/v1/centres/", data, format="json")
    assert created.status_code == 201
    assert api.get("/api/v1/centres/cic-pila/").json()["timezone"] == "Europe/Warsaw"
    bad = api.post(
        "/api/v1/centres/", {**data, "slug": "x", "timezone": "Mars/Olympus"}, format="json"
    )
    assert bad.status_code == 400
    assert "timezone" in bad.json()
