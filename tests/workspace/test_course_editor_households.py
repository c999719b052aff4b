"""The course editor sets a course's households (places per booking, ages, the waitlist's rule,
the linked childcare) and its slots (length, break, window, cutoff, how they are held); the
childcare is chosen among her own centres' courses only."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client

from courses.models import Course
from tests.factories import CourseFactory
from tests.workspace.test_course_editor import _a2

pytestmark = pytest.mark.django_db


def test_a_class_gets_places_per_booking_ages_and_its_childcare(
    coordinator_client: Client, poznan: Any
) -> None:
    care = CourseFactory(
        centre=poznan,
        title_pl="Opieka nad dziećmi",
        start_date=date(2027, 2, 2),
        start_time=time(17, 30),
        duration_minutes=90,
        rule="RRULE:FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU,TH",
    )
    data = _a2(
        poznan,
        max_party="3",
        min_age="16",
        max_age="",
        waitlist_fit="next",
        childcare=str(care.pk),
        save="1",
    )

    response = coordinator_client.post("/staff/courses/new/", data)

    assert response.status_code == 302, response.context["form"].errors
    course = Course.objects.get(slug="polski-a2")
    assert (course.max_party, course.min_age, course.max_age) == (3, 16, None)
    assert (course.waitlist_fit, course.childcare) == ("next", care)


def test_the_childcare_is_chosen_among_her_centres_courses_only(
    coordinator_client: Client, poznan: Any, konin: Any
) -> None:
    ours = CourseFactory(centre=poznan, title_pl="Opieka Poznań")
    theirs = CourseFactory(centre=konin, title_pl="Opieka Konin")

    page = coordinator_client.get("/staff/courses/new/")
    choices = {value for value, _label in page.context["form"].fields["childcare"].choices}
    refused = coordinator_client.post(
        "/staff/courses/new/", _a2(poznan, childcare=str(theirs.pk), save="1")
    )

    assert ours.pk in {getattr(v, "value", v) for v in choices}
    assert theirs.pk not in {getattr(v, "value", v) for v in choices}
    assert "Opieka Konin" not in page.content.decode()
    assert refused.status_code == 400
    assert "childcare" in refused.context["form"].errors
    assert not Course.objects.filter(slug="polski-a2").exists()


def test_a_consultation_gets_its_slots(coordinator_client: Client, poznan: Any) -> None:
    data = _a2(
        poznan,
        kind="consultation",
        booking_mode="slots",
        slot_minutes="45",
        buffer_minutes="15",
        booking_window_days="14",
        booking_cutoff_hours="24",
        appointment_mode="phone",
        save="1",
    )

    coordinator_client.post("/staff/courses/new/", data)

    course = Course.objects.get(slug="polski-a2")
    assert (course.slot_minutes, course.buffer_minutes) == (45, 15)
    assert (course.booking_window_days, course.booking_cutoff_hours) == (14, 24)
    assert course.appointment_mode == "phone"


def test_leaving_the_new_fields_out_keeps_what_the_course_had(
    coordinator_client: Client, poznan: Any
) -> None:
    coordinator_client.post("/staff/courses/new/", _a2(poznan, max_party="4", save="1"))
    course = Course.objects.get(slug="polski-a2")

    coordinator_client.post(f"/staff/courses/{course.pk}/", _a2(poznan, capacity="12", save="1"))

    course.refresh_from_db()
    assert (course.capacity, course.max_party, course.slot_minutes) == (12, 4, 30)


def test_an_impossible_party_size_is_told_at_the_field(
    coordinator_client: Client, poznan: Any
) -> None:
    response = coordinator_client.post("/staff/courses/new/", _a2(poznan, max_party="0", save="1"))

    assert response.status_code == 400
    assert "max_party" in response.context["form"].errors
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "polish_course"}, "booking_mode"),
        ({"kind": "consultation", "max_party": "3"}, "max_party"),
    ],
)
def test_slots_are_for_one_persons_consultation(
    coordinator_client: Client, poznan: Any, changes: dict[str, str], field: str
) -> None:
    data = _a2(poznan, booking_mode="slots", save="1", **changes)

    response = coordinator_client.post("/staff/courses/new/", data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Course.objects.exists()
