"""/api/v1/enrolments/: anonymous self-enrolment (throttled), staff at the desk, cancel."""

from __future__ import annotations

from datetime import date

import pytest

from courses.models import Enrolment, Participant
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, capacity=1, start_date=date(2027, 1, 5))


def body(course, phone: str = "+48601000001", **participant) -> dict:
    return {
        "course": course.pk,
        "participant": {
            "name": "Olena",
            "phone": phone,
            "language": "uk",
            "sms_consent": True,
            **participant,
        },
    }


def test_anonymous_enrolment_answers_status_position_and_personal_link(api, course) -> None:
    first = api.post("/api/v1/enrolments/", body(course), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "confirmed"
    assert first.json()["position"] is None
    token = Participant.objects.get().token
    assert first.json()["personal_url"].endswith(f"/me/{token}/")
    second = api.post("/api/v1/enrolments/", body(course, "+48601000002"), format="json")
    assert (second.json()["status"], second.json()["position"]) == ("waitlisted", 1)
    assert Enrolment.objects.get(pk=second.json()["id"]).source == "api"


def test_national_numbers_are_read_in_the_given_country(api, course) -> None:
    response = api.post(
        "/api/v1/enrolments/", body(course, "050 123 4567", country="UA"), format="json"
    )
    assert response.status_code == 201
    assert Participant.objects.get().phone == "+380501234567"


@pytest.mark.parametrize(
    ("payload_change", "status", "field"),
    [
        ({"phone": "22 123 45 67"}, 400, "phone"),
        ({"phone": "abc"}, 400, "phone"),
        ({"sms_consent": False}, 400, "sms_consent"),
        ({"name": ""}, 400, "participant"),
        ({"language": "de"}, 400, "participant"),
        ({"country": "XX"}, 400, "participant"),
    ],
)
def test_bad_input_is_refused_with_a_field_message(
    api, course, payload_change, status, field
) -> None:
    response = api.post("/api/v1/enrolments/", body(course, **payload_change), format="json")
    assert response.status_code == status
    assert field in response.json()
    assert not Enrolment.objects.exists()


def test_refusals_are_409_with_a_code_and_translated(api, course) -> None:
    api.post("/api/v1/enrolments/", body(course), format="json")
    again = api.post("/api/v1/enrolments/", body(course), format="json", HTTP_ACCEPT_LANGUAGE="uk")
    assert again.status_code == 409
    assert again.json()["code"] == "already_enrolled"
    english = api.post(
        "/api/v1/enrolments/", body(course), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert again.json()["detail"] != english.json()["detail"]
    assert Enrolment.objects.count() == 1


def test_unpublished_courses_are_unknown_to_the_public(api, centre) -> None:
    draft = CourseFactory(centre=centre, published=False, start_date=date(2027, 1, 5))
    response = api.post("/api/v1/enrolments/", body(draft), format="json")
    assert response.status_code == 400
    assert "course" in response.json()


def test_anonymous_enrolment_is_throttled_but_staff_are_not(
    api, anonymous_api, staff_api, course, settings
) -> None:
    settings.ENROLMENT_RATE = "3/hour"
    codes = [
        anonymous_api.post(
            "/api/v1/enrolments/", body(course, f"+4860100000{n}"), format="json"
        ).status_code
        for n in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    staff_codes = [
        staff_api.post(
            "/api/v1/enrolments/", body(course, f"+4860200000{n}"), format="json"
        ).status_code
        for n in range(5)
    ]
    assert staff_codes == [201] * 5


def test_staff_enrol_walk_ins_with_priority_and_list_positions(staff_api, course) -> None:
    for n in range(3):
        staff_api.post("/api/v1/enrolments/", body(course, f"+4860100000{n}"), format="json")
    urgent = staff_api.post(
        "/api/v1/enrolments/",
        {**body(course, "+48601000009", sms_consent=False), "priority": 10, "walk_in": True},
        format="json",
    )
    assert urgent.status_code == 201
    assert urgent.json()["position"] == 1
    listing = staff_api.get("/api/v1/enrolments/", {"course": course.pk}).json()
    by_phone = {e["participant"]["phone"]: e for e in listing["results"]}
    assert by_phone["+48601000009"]["position"] == 1
    assert by_phone["+48601000009"]["source"] == "walk_in"
    assert by_phone["+48601000001"]["position"] == 2
    assert by_phone["+48601000000"]["status"] == "confirmed"


def test_cancel_through_the_api_promotes_the_next_person(staff_api, course) -> None:
    ids = [
        staff_api.post(
            "/api/v1/enrolments/", body(course, f"+4860100000{n}"), format="json"
        ).json()["id"]
        for n in range(2)
    ]
    response = staff_api.post(f"/api/v1/enrolments/{ids[0]}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Enrolment.objects.get(pk=ids[1]).status == "confirmed"


def test_enrolments_are_private_to_the_centres_staff(
    api, anonymous_api, staff_api, course, other_centre
) -> None:
    made = api.post("/api/v1/enrolments/", body(course), format="json").json()["id"]
    assert anonymous_api.get("/api/v1/enrolments/").status_code in (401, 403)
    assert anonymous_api.post(f"/api/v1/enrolments/{made}/cancel/").status_code in (401, 403)
    other_course = CourseFactory(centre=other_centre, start_date=date(2027, 1, 5))
    response = anonymous_api.post("/api/v1/enrolments/", body(other_course), format="json")
    theirs = response.json()["id"]
    assert staff_api.get(f"/api/v1/enrolments/{theirs}/").status_code == 404
    assert staff_api.post(f"/api/v1/enrolments/{theirs}/cancel/").status_code == 404
    assert Enrolment.objects.get(pk=theirs).status == "confirmed"
