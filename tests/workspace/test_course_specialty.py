"""The course editor shows a consultation's kind; a new psychological consultation is saved
sensitive unless the box was ticked or unticked by staff, and an unticked box on a saved one is
kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from courses.models import Course

pytestmark = pytest.mark.django_db


def _duty_hours(centre: Any, **changes: Any) -> dict[str, Any]:
    """A psychologist's Tuesday duty hours, 10:00-13:00, in February and March 2027."""
    return {
        "title_pl": "Dyżur psychologa",
        "slug": "dyzur-psychologa",
        "kind": "consultation",
        "specialty": "psychological",
        "audience": "adults",
        "centre": centre.pk,
        "start_date": "2027-02-02",
        "start_time": "10:00",
        "duration_minutes": "180",
        "weekdays": ["TU"],
        "interval": "1",
        "ends": "until",
        "until": "2027-03-30",
        "capacity": "1",
        "booking_mode": "open",
        "waitlist_mode": "auto",
        "offer_hours": "48",
        "reminder_hours": "24",
        "save": "1",
        **changes,
    }


def test_the_editor_offers_the_consultation_kinds(coordinator_client: Client) -> None:
    page = coordinator_client.get("/staff/courses/new/").content.decode()
    assert 'name="specialty"' in page
    assert 'value="psychological"' in page


def test_a_new_psychological_consultation_is_saved_sensitive(
    coordinator_client: Client, poznan
) -> None:
    response = coordinator_client.post("/staff/courses/new/", _duty_hours(poznan))
    assert response.status_code == 302
    course = Course.objects.get()
    assert (course.specialty, course.sensitive) == ("psychological", True)


def test_unticked_on_a_saved_one_it_names_its_topic(coordinator_client: Client, poznan) -> None:
    coordinator_client.post("/staff/courses/new/", _duty_hours(poznan))
    course = Course.objects.get()
    response = coordinator_client.post(f"/staff/courses/{course.pk}/", _duty_hours(poznan))
    assert response.status_code == 302
    course.refresh_from_db()
    assert not course.sensitive


def test_a_course_of_another_kind_is_refused_a_consultation_kind(
    coordinator_client: Client, poznan
) -> None:
    data = _duty_hours(poznan, kind="workshop", booking_mode="course")
    response = coordinator_client.post("/staff/courses/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["specialty"]
    assert not Course.objects.exists()
