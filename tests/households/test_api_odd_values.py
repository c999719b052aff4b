"""Odd values in /api/v1/enrolments/'s household fields: a clear 400 naming the field, nothing
stored, never a 500, for staff (who book at once) and for anyone (who would get a code)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from courses.models import Enrolment, Participant, PartyMember, PhoneVerification
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(centre: Any) -> Any:
    return CourseFactory(centre=centre, capacity=6, max_party=3, start_date=date(2027, 1, 5))


def body(course: Any, **household: Any) -> dict[str, Any]:
    return {
        "course": course.pk,
        "participant": {"name": "Olena", "phone": "+48601000001", "sms_consent": True},
        **household,
    }


@pytest.mark.parametrize(
    ("household", "field"),
    [
        ({"party": "Sofia"}, "party"),
        ({"party": {"name": "Sofia"}}, "party"),
        ({"party": [{"name": "Sofia", "birth_year": "twenty"}]}, "party"),
        ({"party": [{"name": "Sofia", "birth_year": 2019.5}]}, "party"),
        ({"party": [{"name": "Sofia", "birth_year": 2090}]}, "party"),
        ({"party": ["Sofia"]}, "party"),
        ({"party": [{"name": ""}]}, "party"),
        ({"party": [{"name": "Sofia"}, {"name": "Sofia"}]}, "party"),
        ({"party": [{"name": f"P{n}"} for n in range(40)]}, "party"),
        ({"attending": "maybe"}, "attending"),
        ({"party": [{"name": "Sofia"}], "min_places": 0}, "min_places"),
        ({"party": [{"name": "Sofia"}], "min_places": 3}, "min_places"),
        ({"party": [{"name": "Sofia"}], "min_places": "two"}, "min_places"),
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_an_odd_household_value_is_a_400_naming_its_field_and_nothing_is_stored(
    api: Any, staff_user: Any, workshop: Any, household: dict[str, Any], field: str, who: str
) -> None:
    if who == "staff":
        api.force_authenticate(staff_user)

    response = api.post("/api/v1/enrolments/", body(workshop, **household), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Enrolment.objects.exists()
    assert not PartyMember.objects.exists()
    assert not Participant.objects.exists()
    assert not PhoneVerification.objects.exists()


@pytest.mark.parametrize("birth_year", [None, 2019])
def test_a_year_of_birth_may_be_left_out_where_no_ages_are_checked(
    staff_api: Any, workshop: Any, birth_year: Any
) -> None:
    response = staff_api.post(
        "/api/v1/enrolments/",
        body(workshop, party=[{"name": "Sofia", "birth_year": birth_year}]),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["places"] == 2


def test_another_centres_unpublished_course_answers_as_one_that_does_not_exist(
    staff_api: Any, other_centre: Any
) -> None:
    course = CourseFactory(centre=other_centre, published=False)

    answer = staff_api.post("/api/v1/enrolments/", body(course), format="json")
    made_up = staff_api.post(
        "/api/v1/enrolments/", {**body(course), "course": course.pk + 1000}, format="json"
    )

    assert answer.status_code == made_up.status_code == 400
    said = made_up.json()["course"][0].replace(str(course.pk + 1000), str(course.pk))
    assert answer.json()["course"] == [said]
    assert not Enrolment.objects.exists()


def test_a_person_of_another_booking_is_not_given_up_through_this_one(
    staff_api: Any, workshop: Any
) -> None:
    def family(phone: str) -> Enrolment:
        made = staff_api.post(
            "/api/v1/enrolments/",
            {
                **body(workshop, party=[{"name": "Sofia", "birth_year": 2019}]),
                "participant": {"name": "Olena", "phone": phone, "sms_consent": True},
            },
            format="json",
        )
        assert made.status_code == 201, made.json()
        return Enrolment.objects.get(pk=made.json()["id"])

    mine, theirs = family("+48601000001"), family("+48601000002")
    their_child = theirs.party.get()
    url = f"/api/v1/enrolments/{mine.pk}/cancel/"

    other = staff_api.post(url, {"member": their_child.pk}, format="json")
    made_up = staff_api.post(url, {"member": their_child.pk + 1000}, format="json")

    assert other.status_code == made_up.status_code == 400
    assert other.json() == made_up.json()
    their_child.refresh_from_db()
    mine.refresh_from_db()
    assert (their_child.status, mine.places) == ("active", 2)


def test_another_courses_session_answers_as_one_that_does_not_exist(
    api: Any, centre: Any, other_centre: Any
) -> None:
    ours = CourseFactory(centre=centre, booking_mode="session")
    theirs = CourseFactory(centre=other_centre, booking_mode="session", published=False)
    session = theirs.sessions.first()
    unknown = session.pk + 1000

    answer = api.post("/api/v1/enrolments/", {**body(ours), "session": session.pk}, format="json")
    made_up = api.post("/api/v1/enrolments/", {**body(ours), "session": unknown}, format="json")

    assert answer.status_code == made_up.status_code == 400
    said = made_up.json()["session"][0].replace(str(unknown), str(session.pk))
    assert answer.json() == {"session": [said]}
    assert not PhoneVerification.objects.exists()
