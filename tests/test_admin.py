"""The back office: staff see only their centres; saving a course generates its sessions;
cancel and move go through the same services as the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from courses.models import Course
from scheduling.models import SessionStatus
from tests.factories import CentreFactory, CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label__in=["courses", "scheduling"],
        codename__regex=(
            r"^(view|add|change|delete)_(course|session|closure|venue|centre|enrolment|participant)$"
        ),
    )


def test_staff_see_only_their_centres_courses(staff_client, centre) -> None:
    CourseFactory(centre=centre, title_pl="Nasz kurs")
    CourseFactory(centre=CentreFactory(), title_pl="Cudzy kurs")
    html = staff_client.get("/admin/courses/course/").content.decode()
    assert "Nasz kurs" in html
    assert "Cudzy kurs" not in html


def test_another_centres_course_cannot_be_opened(staff_client) -> None:
    other = CourseFactory(centre=CentreFactory())
    response = staff_client.get(f"/admin/courses/course/{other.pk}/change/")
    assert response.status_code == 302  # the admin redirects: "doesn't exist. Perhaps deleted?"
    assert staff_client.get(response.url).status_code == 200


def course_form(centre, **overrides: str) -> dict:
    """What the admin's course form posts."""
    return {
        "centre": centre.pk,
        "slug": "a2",
        "kind": "polish_course",
        "title_pl": "Język polski A2",
        "audience": "adults",
        "start_date": "2027-01-05",
        "start_time": "17:30",
        "duration_minutes": "90",
        "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=8",
        "skip_public_holidays": "on",
        "booking_mode": "course",
        "capacity": "15",
        "waitlist_mode": "auto",
        "offer_hours": "48",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        **overrides,
    }


def test_adding_a_course_in_the_admin_generates_its_sessions(staff_client, centre) -> None:
    response = staff_client.post("/admin/courses/course/add/", course_form(centre))
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(slug="a2")
    assert course.sessions.count() == 8


def test_a_bad_rule_in_the_admin_shows_an_error_and_saves_nothing(staff_client, centre) -> None:
    response = staff_client.post(
        "/admin/courses/course/add/",
        course_form(centre, start_date="2027-01-04"),  # a Monday
    )
    assert response.status_code == 200
    assert "2027-01-04" in response.content.decode()
    assert not Course.objects.exists()


def test_changing_the_rule_in_the_admin_regenerates_sessions(staff_client, centre) -> None:
    staff_client.post("/admin/courses/course/add/", course_form(centre))
    course = Course.objects.get(slug="a2")
    response = staff_client.post(
        f"/admin/courses/course/{course.pk}/change/",
        course_form(centre, recurrence="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
    )
    assert response.status_code == 302
    assert course.sessions.count() == 3
    form = staff_client.get(f"/admin/courses/course/{course.pk}/change/").content.decode()
    assert "RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TU" in form


def test_cancel_action_and_moving_in_the_change_form(staff_client, centre) -> None:
    course = CourseFactory(centre=centre, start_date=date(2027, 1, 5))
    first, second = course.sessions.order_by("starts_at")[:2]
    staff_client.post(
        "/admin/scheduling/session/",
        {"action": "cancel_sessions", "_selected_action": [first.pk]},
    )
    first.refresh_from_db()
    assert first.status == SessionStatus.CANCELLED
    response = staff_client.post(
        f"/admin/scheduling/session/{second.pk}/change/",
        {
            "starts_at_0": "2027-01-13",
            "starts_at_1": "10:00:00",
            "ends_at_0": "2027-01-13",
            "ends_at_1": "11:30:00",
            "venue": "",
            "status": "scheduled",
            "capacity": "",
            "note": "Przeniesione",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    second.refresh_from_db()
    assert second.moved
    assert second.note == "Przeniesione"
    assert second.starts_at.isoformat() == "2027-01-13T09:00:00+00:00"


def test_staff_without_a_centre_see_no_courses(client) -> None:
    user = UserFactory(username="lonely", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_course"))
    client.force_login(user)
    CourseFactory(title_pl="Ukryty kurs")
    assert "Ukryty kurs" not in client.get("/admin/courses/course/").content.decode()


def test_staff_enrol_a_walk_in_at_the_desk_and_cancel_from_the_list(staff_client, centre) -> None:
    from courses.models import Enrolment

    course = CourseFactory(centre=centre, capacity=1, start_date=date(2027, 1, 5))
    staff_client.post(
        "/admin/courses/enrolment/add/",
        {
            "course": course.pk,
            "name": "Iryna",
            "country": "UA",
            "phone": "050 123 4567",
            "language": "uk",
            "priority": "0",
            "walk_in": "on",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    first = Enrolment.objects.get()
    assert (first.status, first.source, first.participant.phone) == (
        "confirmed",
        "walk_in",
        "+380501234567",
    )
    staff_client.post(
        "/admin/courses/enrolment/add/",
        {
            "course": course.pk,
            "name": "Petro",
            "country": "PL",
            "phone": "601 000 002",
            "language": "uk",
            "priority": "3",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    second = Enrolment.objects.get(participant__name="Petro")
    assert (second.status, second.priority, second.source) == ("waitlisted", 3, "staff")
    staff_client.post(
        "/admin/courses/enrolment/",
        {"action": "cancel_enrolments", "_selected_action": [first.pk]},
    )
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert second.events.last().actor_kind == "system"


def test_a_bad_phone_at_the_desk_is_reported_and_saves_nothing(staff_client, centre) -> None:
    from courses.models import Enrolment, Participant

    course = CourseFactory(centre=centre, start_date=date(2027, 1, 5))
    response = staff_client.post(
        "/admin/courses/enrolment/add/",
        {
            "course": course.pk,
            "name": "X",
            "country": "PL",
            "phone": "22 123 45 67",
            "language": "pl",
            "priority": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert "SMS" in response.content.decode() or "SMS" in str(list(response.context["messages"]))
    assert not Enrolment.objects.exists()
    assert not Participant.objects.exists()
