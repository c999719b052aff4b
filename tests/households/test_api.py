"""/api/v1/enrolments/ for a household: `party`, `attending` and `min_places` in, `places` out;
the list shows each booking's places and people; a party the course does not take is a 400
that stores nothing, for staff and for someone proving their phone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from courses.models import Enrolment, Participant, PartyMember, PhoneVerification
from courses.services.verification import verification_confirm, verification_resend
from tests.factories import CourseFactory
from tests.verification import api_enrol, sms_code

pytestmark = pytest.mark.django_db

CHILDREN = [{"name": "Sofia", "birth_year": 2019}, {"name": "Maksym", "birth_year": 2021}]


@pytest.fixture
def workshop(centre: Any) -> Any:
    return CourseFactory(
        centre=centre, capacity=4, max_party=3, min_age=4, max_age=12, start_date=date(2027, 1, 5)
    )


def body(course: Any, phone: str = "+48601000001", **household: Any) -> dict[str, Any]:
    return {
        "course": course.pk,
        "participant": {"name": "Olena", "phone": phone, "language": "uk", "sms_consent": True},
        **household,
    }


def test_a_mother_books_her_two_children_and_is_answered_with_the_places(
    api: Any, workshop: Any
) -> None:
    response = api_enrol(api, body(workshop, party=CHILDREN, attending=False))

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed"
    assert response.json()["places"] == 2
    assert response.json()["childcare"] is None
    booking = Enrolment.objects.get(pk=response.json()["id"])
    assert (booking.places, booking.attending) == (2, False)
    assert sorted(booking.party.values_list("name", flat=True)) == ["Maksym", "Sofia"]


def test_staff_list_each_bookings_places_and_party(staff_api: Any, workshop: Any) -> None:
    made = staff_api.post("/api/v1/enrolments/", body(workshop, party=CHILDREN), format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["places"] == 3

    listed = staff_api.get("/api/v1/enrolments/", {"course": workshop.pk}).json()["results"]

    assert [(e["places"], e["attending"]) for e in listed] == [(3, True)]
    assert [(p["name"], p["birth_year"], p["status"]) for p in listed[0]["party"]] == [
        ("Sofia", 2019, "active"),
        ("Maksym", 2021, "active"),
    ]


def test_a_waiting_family_may_accept_fewer_places(staff_api: Any, workshop: Any) -> None:
    staff_api.post(
        "/api/v1/enrolments/", body(workshop, "+48601000009", party=CHILDREN[:1]), format="json"
    )
    made = staff_api.post(
        "/api/v1/enrolments/", body(workshop, party=CHILDREN, min_places=2), format="json"
    )
    assert made.json()["status"] == "waitlisted"  # 3 wanted, 2 free, nobody passes
    assert Enrolment.objects.get(pk=made.json()["id"]).min_places == 2


@pytest.mark.parametrize(
    ("household", "field"),
    [
        ({"party": [*CHILDREN, {"name": "Ira", "birth_year": 2018}]}, "party"),  # 4 > 3
        ({"party": [{"name": "Maksym", "birth_year": 2024}]}, "party"),  # 3 years old
        ({"party": [{"name": "Sofia"}]}, "party"),  # no year in an activity with ages
        ({"party": [{"name": "", "birth_year": 2019}]}, "party"),
        ({"party": [{"name": "Sofia", "birth_year": "2019 or so"}]}, "party"),
        ({"party": [{"name": "Sofia", "birth_year": 2019}], "min_places": 0}, "min_places"),
        ({"party": "Sofia"}, "party"),
        ({"attending": False}, "party"),  # nobody
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_a_party_the_course_does_not_take_is_a_400_and_nothing_is_stored(
    api: Any, staff_user: Any, workshop: Any, household: dict[str, Any], field: str, who: str
) -> None:
    if who == "staff":
        api.force_authenticate(staff_user)

    response = api.post("/api/v1/enrolments/", body(workshop, **household), format="json")

    assert response.status_code == 400, response.json()
    answer = response.json()
    assert field in answer, answer
    if "code" in answer:
        assert answer["code"] == "party_invalid"
        assert answer["detail"]
    assert not Enrolment.objects.exists()
    assert not PartyMember.objects.exists()
    assert not Participant.objects.exists()
    assert not PhoneVerification.objects.exists()  # no code sent either


def test_one_place_per_booking_takes_no_party(staff_api: Any, centre: Any) -> None:
    course = CourseFactory(centre=centre)

    refused = staff_api.post("/api/v1/enrolments/", body(course, party=CHILDREN[:1]), format="json")
    alone = staff_api.post("/api/v1/enrolments/", body(course), format="json")

    assert refused.status_code == 400
    assert refused.json()["code"] == "party_invalid"
    assert refused.json()["party"] == [refused.json()["detail"]]
    assert alone.status_code == 201
    assert alone.json()["places"] == 1


def test_the_party_waits_with_the_code_and_a_new_code_keeps_it(api: Any, workshop: Any) -> None:
    asked = api.post("/api/v1/enrolments/", body(workshop, party=CHILDREN), format="json")
    assert asked.status_code == 202
    assert not Enrolment.objects.exists()  # nothing is booked before the code
    waiting = PhoneVerification.objects.get()
    assert waiting.party == CHILDREN

    again = verification_resend(verification=waiting.public_id, client="test")
    public_id = again.verification.public_id
    booking = verification_confirm(verification=public_id, code=sms_code(public_id))

    assert booking.places == 3
    assert sorted(booking.party.values_list("name", flat=True)) == ["Maksym", "Sofia"]


def test_a_class_with_childcare_answers_the_childrens_booking_too(api: Any, centre: Any) -> None:
    care = CourseFactory(centre=centre, capacity=1, max_party=3, max_age=10)
    polish = CourseFactory(centre=centre, childcare=care)

    response = api_enrol(api, body(polish, party=CHILDREN))

    assert response.status_code == 201, response.json()
    assert response.json()["places"] == 1
    childcare = response.json()["childcare"]
    assert (childcare["course"], childcare["places"]) == (care.pk, 2)
    assert (childcare["status"], childcare["position"]) == ("waitlisted", 1)  # 1 place, 2 asked


def test_staff_give_up_one_persons_place_through_the_api(staff_api: Any, workshop: Any) -> None:
    made = staff_api.post("/api/v1/enrolments/", body(workshop, party=CHILDREN), format="json")
    booking = Enrolment.objects.get(pk=made.json()["id"])
    maksym = booking.party.get(name="Maksym")
    url = f"/api/v1/enrolments/{booking.pk}/cancel/"

    stranger = staff_api.post(url, {"member": maksym.pk + 100}, format="json")
    answer = staff_api.post(url, {"member": maksym.pk}, format="json")

    assert stranger.status_code == 400
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["status"], answer.json()["places"]) == ("confirmed", 2)
    assert [p["status"] for p in answer.json()["party"]] == ["active", "cancelled"]
