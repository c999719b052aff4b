"""A consultation's kind (`Course.specialty`): psychological support is sensitive unless staff
choose otherwise, through the course service and through the admin's course form; only a
consultation has a kind."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from courses.models import Course
from courses.services.catalogue import course_create, course_update
from tests.test_admin import course_form

pytestmark = pytest.mark.django_db


def _consultation(centre, **fields) -> Course:
    course, _result = course_create(
        centre=centre,
        slug="dyzur",
        kind="consultation",
        title_pl="Dyżur",
        booking_mode="open",
        start_date=date(2027, 1, 5),
        start_time=time(10, 0),
        duration_minutes=180,
        **fields,
    )
    return course


def test_a_psychological_consultation_is_created_sensitive(centre) -> None:
    assert _consultation(centre, specialty="psychological").sensitive


def test_staff_may_create_one_that_names_its_topic(centre) -> None:
    assert not _consultation(centre, specialty="psychological", sensitive=False).sensitive


def test_other_kinds_are_not_made_sensitive(centre) -> None:
    assert not _consultation(centre, specialty="legal").sensitive


def test_a_consultation_changed_to_psychological_becomes_sensitive(centre) -> None:
    course = _consultation(centre, specialty="other")
    course_update(course=course, specialty="psychological")
    course.refresh_from_db()
    assert course.sensitive


def test_once_psychological_an_unticked_box_stays_unticked(centre) -> None:
    course = _consultation(centre, specialty="psychological")
    course_update(course=course, sensitive=False)
    course_update(course=course, title_pl="Rozmowa")  # the kind is unchanged: no default
    course.refresh_from_db()
    assert not course.sensitive


def test_only_a_consultation_has_a_kind(centre) -> None:
    with pytest.raises(ValidationError) as error:
        course_create(
            centre=centre,
            slug="a2",
            kind="polish_course",
            title_pl="Polski A2",
            specialty="legal",
            start_date=date(2027, 1, 5),
            start_time=time(17, 0),
            duration_minutes=90,
        )
    assert "specialty" in error.value.message_dict
    assert not Course.objects.exists()


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label__in=["courses", "scheduling"],
        codename__regex=r"^(view|add|change)_(course|session)$",
    )


def _admin_consultation(centre, **overrides: str) -> dict:
    return course_form(
        centre, kind="consultation", booking_mode="open", specialty="psychological", **overrides
    )


def test_the_admin_shows_the_kind_and_makes_psychological_support_sensitive(
    staff_client, centre
) -> None:
    page = staff_client.get("/admin/courses/course/add/").content.decode()
    assert 'name="specialty"' in page
    response = staff_client.post("/admin/courses/course/add/", _admin_consultation(centre))
    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get(slug="a2")
    assert (course.specialty, course.sensitive) == ("psychological", True)
    # unticked afterwards: the staff's choice, kept
    response = staff_client.post(
        f"/admin/courses/course/{course.pk}/change/", _admin_consultation(centre)
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert not course.sensitive
