"""/api/v1/enrolments/: anonymous self-enrolment (throttled), staff at the desk, cancel."""

from __future__ import annotations

from datetime import date

import pytest

from courses.models import Enrolment, Participant
from tests.factories import CourseFactory
from tests.verification import api_enrol, sms_code

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
    first = api_enrol(api, body(course))
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "confirmed"
    assert first.json()["position"] is None
    token = Participant.objects.get().token
    assert first.json()["personal_url"].endswith(f"/me/{token}/")
    second = api_enrol(api, body(course, "+48601000002"))
    assert (second.json()["status"], second.json()["position"]) == ("waitlisted", 1)
    assert Enrolment.objects.get(pk=second.json()["id"]).source == "api"


def test_national_numbers_are_read_in_the_given_country(api, course) -> None:
    response = api_enrol(api, body(course, "050 123 4567", country="UA"))
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
    api_enrol(api, body(course))
    again = api_enrol(api, body(course), HTTP_ACCEPT_LANGUAGE="uk")
    assert again.status_code == 409
    assert again.json()["code"] == "already_enrolled"
    english = api_enrol(api, body(course), HTTP_ACCEPT_LANGUAGE="en")
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
    assert codes == [202, 202, 202, 429, 429]
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
    made = api_enrol(api, body(course)).json()["id"]
    assert anonymous_api.get("/api/v1/enrolments/").status_code in (401, 403)
    assert anonymous_api.post(f"/api/v1/enrolments/{made}/cancel/").status_code in (401, 403)
    other_course = CourseFactory(centre=other_centre, start_date=date(2027, 1, 5))
    response = api_enrol(anonymous_api, body(other_course))
    theirs = response.json()["id"]
    assert staff_api.get(f"/api/v1/enrolments/{theirs}/").status_code == 404
    assert staff_api.post(f"/api/v1/enrolments/{theirs}/cancel/").status_code == 404
    assert Enrolment.objects.get(pk=theirs).status == "confirmed"


def test_a_known_and_an_unknown_number_get_the_same_answer(api, course) -> None:
    """Knowing a number tells a stranger nothing: same status, same shape, nothing changed."""
    known = api_enrol(api, body(course, "+48601000001", language="uk"))
    assert known.status_code == 201
    person = Participant.objects.get()
    for_known = api.post(
        "/api/v1/enrolments/", body(course, "+48601000001", language="ru"), format="json"
    )
    for_unknown = api.post("/api/v1/enrolments/", body(course, "+48601000002"), format="json")
    assert for_known.status_code == for_unknown.status_code == 202
    assert set(for_known.json()) == set(for_unknown.json()) == {"verification", "expires_at"}
    person.refresh_from_db()
    assert person.language == "uk"  # a stranger's request changes nothing about her
    assert "personal_url" not in for_known.json()
    assert Participant.objects.count() == 1


def test_a_wrong_code_counts_and_five_end_the_request(api, course) -> None:
    asked = api.post("/api/v1/enrolments/", body(course), format="json").json()
    tries = [
        api.post(
            "/api/v1/enrolments/verify/",
            {"verification": asked["verification"], "code": "000000"},
            format="json",
        )
        for _n in range(5)
    ]
    right = sms_code(asked["verification"])
    if right == "000000":  # one chance in a million: the first try was right
        return
    assert [t.status_code for t in tries] == [400] * 5
    assert tries[0].json()["code"] == "wrong_code"
    assert "4" in tries[0].json()["detail"]
    late = api.post(
        "/api/v1/enrolments/verify/",
        {"verification": asked["verification"], "code": right},
        format="json",
    )
    assert late.status_code == 400
    assert not Enrolment.objects.exists()
    assert not Participant.objects.exists()


def test_the_code_goes_by_sms_to_the_number_in_the_chosen_language(api, course) -> None:
    from notifications.models import OutboundMessage

    asked = api.post("/api/v1/enrolments/", body(course, language="uk"), format="json").json()
    message = OutboundMessage.objects.get(verification__public_id=asked["verification"])
    assert (message.phone, message.participant, message.context["language"]) == (
        "+48601000001",
        None,
        "uk",
    )


def test_after_the_code_an_already_enrolled_person_gets_their_own_link(api, course) -> None:
    api_enrol(api, body(course))
    again = api_enrol(api, body(course))
    assert again.status_code == 409
    token = Participant.objects.get().token
    assert again.json()["personal_url"].endswith(f"/me/{token}/")


def test_an_unknown_or_expired_verification_is_refused(api, course, settings) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    response = api.post(
        "/api/v1/enrolments/verify/", {"verification": "nope", "code": "123456"}, format="json"
    )
    assert response.status_code == 400
    asked = api.post("/api/v1/enrolments/", body(course), format="json").json()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        late = api.post(
            "/api/v1/enrolments/verify/",
            {"verification": asked["verification"], "code": sms_code(asked["verification"])},
            format="json",
        )
    assert late.status_code == 400
    assert not Enrolment.objects.exists()


def test_codes_to_one_number_are_limited(api, course, settings) -> None:
    settings.VERIFICATION_CODES_PER_NUMBER = "2/hour"
    statuses = [
        api.post("/api/v1/enrolments/", body(course), format="json").status_code for _n in range(3)
    ]
    assert statuses == [202, 202, 429]


def test_a_code_typed_in_persian_digits_confirms_the_enrolment(api, course) -> None:
    """A person whose phone has a Persian keyboard types ۴۸۱۵۱۶ for the code 481516."""
    asked = api.post("/api/v1/enrolments/", body(course), format="json")
    verification = asked.json()["verification"]
    typed = sms_code(verification).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    done = api.post(
        "/api/v1/enrolments/verify/",
        {"verification": verification, "code": typed},
        format="json",
    )
    assert done.status_code == 201, done.json()
    assert Enrolment.objects.get().status == "confirmed"
