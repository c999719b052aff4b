"""The appointments' API: GET /api/v1/slots/, POST /api/v1/appointments/ (staff at once, anyone
else with the SMS code), the staff list and cancel; bad input is a clear 4xx with nothing
stored."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from appointments.models import Appointment
from courses.models import Course, Participant, PhoneVerification
from tests.appointments.helpers import interpreter, local, slot_course
from tests.factories import UserFactory, first_session
from tests.verification import sms_code

pytestmark = pytest.mark.django_db


def _start(course: Course, hour: int = 10, minute: int = 0) -> str:
    day = first_session(course).starts_at.astimezone(course.centre.tz).date()
    return local(course, day, hour, minute).isoformat()


def _body(course: Course, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "course": course.pk,
        "starts_at": _start(course),
        "language": "pl",
        "participant": {"name": "Oksana K", "phone": "+48698000001", "sms_consent": True},
    }
    body.update(extra)
    return body


def test_free_slots_are_public(anonymous_api: APIClient, centre, consultation) -> None:
    interpreter(centre, "uk")
    answer = anonymous_api.get("/api/v1/slots/", {"course": consultation.pk, "language": "uk"})
    first = answer.json()[0]
    assert (answer.status_code, sorted(first), first["interpreter"]) == (
        200,
        ["course", "ends_at", "interpreter", "language", "starts_at"],
        True,
    )


def test_slots_are_in_the_centres_local_time(anonymous_api: APIClient, consultation) -> None:
    answer = anonymous_api.get("/api/v1/slots/", {"course": consultation.pk})
    assert answer.json()[0]["starts_at"] == _start(consultation)


def test_an_unpublished_course_has_no_public_slots(anonymous_api: APIClient, centre) -> None:
    course = slot_course(centre, published=False)
    answer = anonymous_api.get("/api/v1/slots/", {"course": course.pk})
    assert (answer.status_code, list(answer.json())) == (400, ["course"])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"course": "x"},
        {"language": "xx"},
        {"from": "not a date"},
        {"from": "2027-01-10T00:00:00Z", "to": "2027-01-01T00:00:00Z"},
        {"from": "2027-01-01T00:00:00Z", "to": "2027-06-01T00:00:00Z"},
    ],
)
def test_bad_slot_queries_are_400(anonymous_api: APIClient, consultation, query) -> None:
    params = {"course": consultation.pk, **query} if query else {}
    assert anonymous_api.get("/api/v1/slots/", params).status_code == 400


def test_staff_book_at_once(staff_api: APIClient, consultation) -> None:
    answer = staff_api.post("/api/v1/appointments/", _body(consultation), format="json")
    body = answer.json()
    assert (answer.status_code, body["status"], body["starts_at"], body["interpreter"]) == (
        201,
        "booked",
        _start(consultation),
        False,
    )


def test_the_answer_names_its_fields(staff_api: APIClient, consultation) -> None:
    answer = staff_api.post("/api/v1/appointments/", _body(consultation), format="json")
    assert {"id", "status", "starts_at", "ends_at", "interpreter"} <= set(answer.json())


def test_a_taken_slot_is_409_slot_taken(staff_api: APIClient, consultation) -> None:
    staff_api.post("/api/v1/appointments/", _body(consultation), format="json")
    other = _body(consultation, participant={"name": "B", "phone": "+48698000002"})
    answer = staff_api.post("/api/v1/appointments/", other, format="json")
    assert (answer.status_code, answer.json()["code"]) == (409, "slot_taken")


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"starts_at": "2027-01-01T10:00:00+01:00"}, "slot_not_found"),
        ({"language": "ka"}, "language_unavailable"),
    ],
)
def test_bad_bookings_are_refused_with_nothing_stored(
    staff_api: APIClient, consultation, extra, code
) -> None:
    answer = staff_api.post("/api/v1/appointments/", _body(consultation, **extra), format="json")
    assert (answer.status_code // 100, answer.json()["code"], Participant.objects.count()) == (
        4,
        code,
        0,
    )


def test_a_slot_between_two_starts_is_400(staff_api: APIClient, consultation) -> None:
    body = _body(consultation, starts_at=_start(consultation, 10, 10))
    answer = staff_api.post("/api/v1/appointments/", body, format="json")
    assert (answer.status_code, Appointment.objects.count()) == (400, 0)


def test_anyone_else_proves_the_phone_first(anonymous_api: APIClient, consultation) -> None:
    asked = anonymous_api.post("/api/v1/appointments/", _body(consultation), format="json")
    assert (asked.status_code, Appointment.objects.count(), Participant.objects.count()) == (
        202,
        0,
        0,
    )


def test_the_code_books_the_slot(anonymous_api: APIClient, centre, consultation) -> None:
    interpreter(centre, "uk")
    asked = anonymous_api.post(
        "/api/v1/appointments/", _body(consultation, language="uk"), format="json"
    )
    verification = asked.json()["verification"]
    answer = anonymous_api.post(
        "/api/v1/appointments/verify/",
        {"verification": verification, "code": sms_code(verification)},
        format="json",
    )
    assert (answer.status_code, answer.json()["interpreter"]) == (201, True)


def test_an_enrolment_code_check_does_not_take_an_appointments_code(
    anonymous_api: APIClient, consultation
) -> None:
    asked = anonymous_api.post("/api/v1/appointments/", _body(consultation), format="json")
    verification = asked.json()["verification"]
    answer = anonymous_api.post(
        "/api/v1/enrolments/verify/",
        {"verification": verification, "code": sms_code(verification)},
        format="json",
    )
    assert (answer.status_code, consultation.enrolments.count()) == (400, 0)


def test_a_wrong_code_books_nothing(anonymous_api: APIClient, consultation) -> None:
    asked = anonymous_api.post("/api/v1/appointments/", _body(consultation), format="json")
    answer = anonymous_api.post(
        "/api/v1/appointments/verify/",
        {"verification": asked.json()["verification"], "code": "000000x"},
        format="json",
    )
    assert (answer.status_code, Appointment.objects.count()) == (400, 0)


def test_no_code_without_consent(anonymous_api: APIClient, consultation) -> None:
    body = _body(consultation, participant={"name": "A", "phone": "+48698000001"})
    answer = anonymous_api.post("/api/v1/appointments/", body, format="json")
    assert (answer.status_code, PhoneVerification.objects.count()) == (400, 0)


def test_no_code_for_a_taken_slot(anonymous_api, staff_api, consultation) -> None:
    staff_api.post("/api/v1/appointments/", _body(consultation), format="json")
    answer = anonymous_api.post(
        "/api/v1/appointments/",
        _body(
            consultation, participant={"name": "B", "phone": "+48698000002", "sms_consent": True}
        ),
        format="json",
    )
    assert (answer.status_code, PhoneVerification.objects.count()) == (409, 0)


def test_staff_list_their_centres_appointments_only(
    staff_api: APIClient, other_centre, consultation
) -> None:
    staff_api.post("/api/v1/appointments/", _body(consultation), format="json")
    elsewhere = slot_course(other_centre)
    stranger = UserFactory(username="konin", staff_of=[other_centre])
    other = APIClient()
    other.force_authenticate(stranger)
    other.post("/api/v1/appointments/", _body(elsewhere), format="json")
    listed = staff_api.get("/api/v1/appointments/", {"course": elsewhere.pk}).json()
    mine = staff_api.get("/api/v1/appointments/", {"course": consultation.pk}).json()
    assert (listed["count"], mine["count"]) == (0, 1)


def test_the_list_is_for_staff(anonymous_api: APIClient) -> None:
    assert anonymous_api.get("/api/v1/appointments/").status_code in (401, 403)


def test_staff_cancel(staff_api: APIClient, consultation) -> None:
    made = staff_api.post("/api/v1/appointments/", _body(consultation), format="json").json()
    answer = staff_api.post(
        f"/api/v1/appointments/{made['id']}/cancel/", {"reason": "ill"}, format="json"
    )
    assert (answer.status_code, answer.json()["status"]) == (200, "cancelled")


def test_cancelling_twice_is_409(staff_api: APIClient, consultation) -> None:
    made = staff_api.post("/api/v1/appointments/", _body(consultation), format="json").json()
    staff_api.post(f"/api/v1/appointments/{made['id']}/cancel/", format="json")
    answer = staff_api.post(f"/api/v1/appointments/{made['id']}/cancel/", format="json")
    assert (answer.status_code, answer.json()["code"]) == (409, "appointment_closed")


def test_another_centres_appointment_is_not_found(staff_api: APIClient, other_centre) -> None:
    elsewhere = slot_course(other_centre)
    stranger = UserFactory(username="konin", staff_of=[other_centre])
    other = APIClient()
    other.force_authenticate(stranger)
    made = other.post("/api/v1/appointments/", _body(elsewhere), format="json").json()
    answer = staff_api.post(f"/api/v1/appointments/{made['id']}/cancel/", format="json")
    assert answer.status_code == 404
