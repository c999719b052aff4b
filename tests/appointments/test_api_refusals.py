"""Bad bookings through the API, from anyone (the verified way) and from staff: a time outside
the duty hours or between two slots, in the past, beyond the booking window, after the cutoff,
a language nobody covers then, an unknown language. Each is a clear 4xx with its code, and
nothing is stored: no appointment, no person, no code request, no SMS."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from appointments.models import Appointment, AppointmentRequest
from courses.models import Course, Participant, PhoneVerification
from notifications.models import OutboundMessage
from tests.appointments.helpers import interpreter, local, slot_course
from tests.factories import first_session

pytestmark = pytest.mark.django_db


def _at(course: Course, hour: int, minute: int = 0) -> datetime:
    day = first_session(course).starts_at.astimezone(course.centre.tz).date()
    return local(course, day, hour, minute)


def _body(course: Course, starts_at: datetime, language: str = "pl") -> dict[str, Any]:
    return {
        "course": course.pk,
        "starts_at": starts_at.isoformat(),
        "language": language,
        "participant": {"name": "Oksana K", "phone": "+48698000001", "sms_consent": True},
    }


def nothing_stored() -> bool:
    return not (
        Appointment.objects.exists()
        or Participant.objects.exists()
        or PhoneVerification.objects.exists()
        or AppointmentRequest.objects.exists()
        or OutboundMessage.objects.exists()
    )


def post(api: APIClient, body: dict[str, Any]) -> tuple[int, str]:
    answer = api.post("/api/v1/appointments/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    payload = answer.json()
    assert payload.get("detail") or payload.get("language"), payload  # a message to show
    return answer.status_code, payload.get("code", "")


@pytest.fixture(params=["anyone", "staff"])
def api(request: Any, anonymous_api: APIClient, staff_api: APIClient) -> APIClient:
    return anonymous_api if request.param == "anyone" else staff_api


@pytest.mark.parametrize(
    ("hour", "minute"),
    [(9, 30), (13, 0), (15, 0), (10, 10)],
    ids=["before the duty hours", "at their end", "after them", "between two slots"],
)
def test_a_time_that_is_no_slot_is_400_slot_not_found(
    api: APIClient, consultation: Course, hour: int, minute: int
) -> None:
    assert post(api, _body(consultation, _at(consultation, hour, minute))) == (
        400,
        "slot_not_found",
    )
    assert nothing_stored()


def test_a_slot_in_the_past_is_400_slot_not_bookable(api: APIClient, consultation: Course) -> None:
    start = _at(consultation, 10)
    with time_machine.travel(start + timedelta(minutes=45)):
        assert post(api, _body(consultation, start)) == (400, "slot_not_bookable")
    assert nothing_stored()


def test_a_slot_beyond_the_booking_window_is_400_for_anyone(
    anonymous_api: APIClient, centre: Any, lawyer: Any
) -> None:
    course = slot_course(centre, trainers=[lawyer], booking_window_days=3, published=True)

    assert post(anonymous_api, _body(course, _at(course, 10))) == (400, "slot_not_bookable")
    assert nothing_stored()


def test_a_slot_after_the_cutoff_is_400_for_anyone(
    anonymous_api: APIClient, consultation: Course
) -> None:
    start = _at(consultation, 11)
    with time_machine.travel(start - timedelta(hours=1)):
        assert post(anonymous_api, _body(consultation, start)) == (400, "slot_not_bookable")
    assert nothing_stored()


def test_a_language_nobody_covers_then_is_409(
    api: APIClient, centre: Any, consultation: Course
) -> None:
    interpreter(centre, "uk")  # Ukrainian is covered; Georgian is not

    assert post(api, _body(consultation, _at(consultation, 10), language="ka")) == (
        409,
        "language_unavailable",
    )
    assert nothing_stored()


def test_an_unknown_language_is_400(api: APIClient, consultation: Course) -> None:
    status, _code = post(api, _body(consultation, _at(consultation, 10), language="xx"))

    assert status == 400
    assert nothing_stored()
