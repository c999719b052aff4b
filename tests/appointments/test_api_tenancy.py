"""The appointments' API for a staff member of another centre, and odd values: nothing of the
other centre (its appointments, its courses, its people) is shown, booked at once or cancelled,
and the answer is the same as for an id that does not exist; odd values are a 400, never a
500, with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from appointments.models import Appointment, AppointmentStatus
from courses.models import Participant, PhoneVerification
from tests.appointments.helpers import slot_course
from tests.appointments.test_api import _body
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_centre: Any) -> Appointment:
    """An appointment booked by Konin's staff in Konin's consultation."""
    course = slot_course(other_centre, published=False)
    konin = APIClient()
    konin.force_authenticate(UserFactory(username="konin", staff_of=[other_centre]))
    made = konin.post("/api/v1/appointments/", _body(course), format="json")
    assert made.status_code == 201, made.json()
    return Appointment.objects.get(pk=made.json()["id"])


def test_another_centres_appointment_reads_and_cancels_as_one_that_does_not_exist(
    staff_api: APIClient, theirs: Appointment
) -> None:
    unknown = theirs.pk + 1000

    read = staff_api.get(f"/api/v1/appointments/{theirs.pk}/")
    cancel = staff_api.post(f"/api/v1/appointments/{theirs.pk}/cancel/", format="json")
    made_up = staff_api.post(f"/api/v1/appointments/{unknown}/cancel/", format="json")
    listed = staff_api.get("/api/v1/appointments/", {"course": theirs.course_id})

    assert read.status_code == cancel.status_code == made_up.status_code == 404
    assert cancel.json() == made_up.json()
    assert listed.json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.BOOKED


def test_another_centres_unpublished_course_books_as_one_that_does_not_exist(
    staff_api: APIClient, theirs: Appointment
) -> None:
    course = theirs.course
    other_slot = _body(course)
    other_slot["starts_at"] = theirs.ends_at.isoformat()
    answer = staff_api.post("/api/v1/appointments/", other_slot, format="json")
    made_up = staff_api.post(
        "/api/v1/appointments/", {**other_slot, "course": course.pk + 1000}, format="json"
    )

    assert answer.status_code == made_up.status_code == 400
    said = made_up.json()["course"][0].replace(str(course.pk + 1000), str(course.pk))
    assert answer.json()["course"] == [said]
    assert Appointment.objects.count() == 1


def test_another_centres_published_course_is_booked_only_through_the_code(
    staff_api: APIClient, other_centre: Any
) -> None:
    course = slot_course(other_centre)

    answer = staff_api.post("/api/v1/appointments/", _body(course), format="json")

    assert answer.status_code == 202  # as anyone: the phone is proven first
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"participant": "Oksana"},
        {"participant": ["Oksana"]},
        {"starts_at": "tomorrow"},
        {"starts_at": 12},
        {"language": "xx"},
        {"language": ["uk"]},
        {"course": "one"},
        {"course": None},
        {"participant": {"name": "Oksana", "phone": "not a phone", "sms_consent": True}},
        {"participant": {"name": "", "phone": "+48698000001", "sms_consent": True}},
        {"participant": {"name": "O", "phone": "+48698000001", "sms_consent": "maybe"}},
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_odd_values_are_a_400_and_store_nothing(
    api: APIClient, staff_user: Any, consultation: Any, change: dict[str, Any], who: str
) -> None:
    if who == "staff":
        api.force_authenticate(staff_user)

    body = {**_body(consultation), **change}

    answer = api.post("/api/v1/appointments/", body, format="json")

    assert answer.status_code == 400, answer.content
    assert not Appointment.objects.exists()
    assert not Participant.objects.exists()
    assert not PhoneVerification.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(staff_api: APIClient, consultation: Any) -> None:
    answer = staff_api.post("/api/v1/appointments/", ["a", "list"], format="json")

    assert answer.status_code == 400
    assert not Appointment.objects.exists()
