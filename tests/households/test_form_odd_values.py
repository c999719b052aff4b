"""Odd values in the enrolment form's household fields (rows beyond the course's places, a year
of birth in the future or in words, the same child twice, an adult's year for the childcare, a
fewest-places count in words): the form again with a translated error, status 400, nothing
stored and no code sent; never a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone, translation

from courses.models import Enrolment, Participant, PartyMember, PhoneVerification
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

URL = "/centres/cic-poznan/courses/polski-dla-mam/enrol/"


@pytest.fixture
def polish(centre: Any) -> Any:
    care = CourseFactory(
        centre=centre,
        slug="opieka",
        capacity=3,
        max_party=3,
        max_age=10,
        start_date=date(2027, 1, 5),
    )
    return CourseFactory(
        centre=centre,
        slug="polski-dla-mam",
        capacity=10,
        max_party=2,
        childcare=care,
        start_date=date(2027, 1, 5),
    )


def _data(**rows: str) -> dict[str, str]:
    return {
        "name": "Olena Kowalenko",
        "country": "PL",
        "phone": "601 000 001",
        "language": "uk",
        "sms_consent": "on",
        "website": "",
        "children_consent": "on",
        **rows,
    }


@pytest.mark.parametrize(
    "rows",
    [
        {"child_rows": "1", "child_0_name": "Sofia", "child_0_birth_year": "2090"},
        {"child_rows": "1", "child_0_name": "Sofia", "child_0_birth_year": "twenty"},
        {"child_rows": "1", "child_0_name": "Sofia", "child_0_birth_year": "1990"},  # an adult
        {
            "child_rows": "2",
            "child_0_name": "Sofia",
            "child_0_birth_year": "2020",
            "child_1_name": "sofia ",
            "child_1_birth_year": "2020",
        },
        {"person_rows": "1", "person_0_name": "Taras", "person_0_birth_year": "x"},
        {"person_rows": "1", "person_0_name": "Taras", "min_places": "many"},
        {"person_rows": "1", "person_0_name": "Taras", "person_0_birth_year": "2099"},
    ],
)
def test_an_odd_party_is_told_and_nothing_is_stored(client: Any, polish: Any, rows: Any) -> None:
    with translation.override("en"):
        response = client.post(URL, _data(**rows), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400, response.status_code
    assert response.context["form"].errors
    assert not Enrolment.objects.exists()
    assert not PartyMember.objects.exists()
    assert not Participant.objects.exists()
    assert not PhoneVerification.objects.exists()


def test_rows_beyond_the_courses_places_are_never_read(client: Any, polish: Any) -> None:
    """A crafted form claiming 99999 rows: the form reads at most the childcare's places (3),
    and the code waits for those only."""
    children = {f"child_{n}_name": f"Child {n}" for n in range(5)}
    years = {f"child_{n}_birth_year": "2020" for n in range(5)}

    response = client.post(URL, _data(child_rows="99999", **children, **years))

    assert response.status_code == 200
    waiting = PhoneVerification.objects.get()
    assert [p["name"] for p in waiting.party] == ["Child 0", "Child 1", "Child 2"]
    assert not Enrolment.objects.exists()


def test_no_year_of_birth_still_to_come_is_offered(client: Any, centre: Any) -> None:
    """A childcare of a class next year (ages from 0) offers this year as the newest."""
    next_year = date(timezone.localdate().year + 1, 3, 2)
    care = CourseFactory(
        centre=centre, slug="opieka-2", max_party=3, min_age=0, max_age=10, start_date=next_year
    )
    CourseFactory(centre=centre, slug="polski-2", childcare=care, start_date=next_year)

    form = client.get("/centres/cic-poznan/courses/polski-2/enrol/").context["form"]
    years = [y for y, _label in form.fields["child_0_birth_year"].choices if y != ""]

    assert max(years) == timezone.localdate().year
