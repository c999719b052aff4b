"""The course form of the admin shows and saves the settings no page could change before:
sensitive, SMS reminder hours and whether enrolment is open, with their validation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from courses.models import Course
from tests.test_admin import course_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label__in=["courses", "scheduling"],
        codename__regex=r"^(view|add|change)_(course|session)$",
    )


def test_the_settings_are_on_the_form_and_saved(staff_client, centre) -> None:
    page = staff_client.get("/admin/courses/course/add/").content.decode()
    for name in ("sensitive", "reminder_hours", "enrolment_open"):
        assert f'name="{name}"' in page
    response = staff_client.post(
        "/admin/courses/course/add/",
        course_form(centre, sensitive="on", reminder_hours="72,1", enrolment_open="on"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get(slug="a2")
    assert (course.sensitive, course.reminder_offsets, course.enrolment_open) == (
        True,
        [72, 1],
        True,
    )
    response = staff_client.post(
        f"/admin/courses/course/{course.pk}/change/", course_form(centre, reminder_hours="")
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.sensitive, course.reminder_offsets, course.enrolment_open) == (
        False,
        [],
        False,
    )


@pytest.mark.parametrize("hours", ["24;2", "0", "400"])
def test_wrong_reminder_hours_are_shown_at_the_field(staff_client, centre, hours: str) -> None:
    response = staff_client.post(
        "/admin/courses/course/add/", course_form(centre, reminder_hours=hours)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reminder_hours"]
    assert not Course.objects.exists()
