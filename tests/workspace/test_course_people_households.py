"""The desk books a household: the people typed one per line (a child with a comma and the year
of birth), the parent's consent asked, the children of a class with childcare booked into it;
a party the course does not take is told at the field and nothing is stored."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from courses.models import Enrolment, Participant, PartyMember
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(poznan):
    return CourseFactory(
        centre=poznan, capacity=6, max_party=3, title_pl="Warsztaty", start_date=date(2027, 1, 5)
    )


def _enrol(client: Client, course, **fields: str):
    return client.post(
        f"/staff/courses/{course.pk}/people/enrol/",
        {
            "name": "Olena Kowalenko",
            "country": "PL",
            "phone": "601 000 001",
            "language": "uk",
            "sms_consent": "on",
            **fields,
        },
        follow=True,
    )


def test_the_page_shows_the_household_fields_for_a_course_that_takes_several_places(
    coordinator_client: Client, workshop
) -> None:
    html = coordinator_client.get(f"/staff/courses/{workshop.pk}/people/").content.decode()
    assert 'name="party"' in html
    assert 'name="not_attending"' in html


def test_the_desk_books_a_mother_with_her_children(coordinator_client: Client, workshop) -> None:
    response = _enrol(
        coordinator_client,
        workshop,
        party="Sofia Kowalenko, 2019\nMaksym Kowalenko, 2021",
        children_consent="on",
    )

    assert response.status_code == 200
    booking = Enrolment.objects.get(course=workshop)
    assert (booking.places, booking.status) == (3, "confirmed")
    assert list(booking.party.values_list("name", "birth_year")) == [
        ("Sofia Kowalenko", 2019),
        ("Maksym Kowalenko", 2021),
    ]


def test_a_party_over_the_courses_places_is_told_and_nothing_is_stored(
    coordinator_client: Client, workshop
) -> None:
    response = _enrol(
        coordinator_client,
        workshop,
        party="Sofia, 2019\nMaksym, 2021\nIra, 2020",
        children_consent="on",
    )

    assert response.status_code == 400
    assert response.context["new_form"].errors["party"]
    assert not Enrolment.objects.exists()
    assert not PartyMember.objects.exists()
    assert not Participant.objects.exists()


def test_children_need_the_parents_consent(coordinator_client: Client, workshop) -> None:
    response = _enrol(coordinator_client, workshop, party="Sofia, 2019")

    assert response.status_code == 400
    assert response.context["new_form"].errors["children_consent"]
    assert not Enrolment.objects.exists()


def test_the_children_of_a_class_with_childcare_go_to_the_childcare(
    coordinator_client: Client, poznan
) -> None:
    care = CourseFactory(centre=poznan, capacity=5, max_party=3, title_pl="Opieka")
    polish = CourseFactory(centre=poznan, capacity=10, childcare=care, title_pl="Polski dla mam")

    _enrol(coordinator_client, polish, party="Sofia, 2020", children_consent="on")

    mother = Enrolment.objects.get(course=polish)
    children = Enrolment.objects.get(course=care)
    assert (mother.places, children.places, children.childcare_of) == (1, 1, mother)
