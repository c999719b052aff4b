"""A Polish class with a childcare beside it: the mother's place in the class and her children's
in the childcare booked in one step (the form, through the SMS code), the children waiting when
the childcare is full while the class place stands, both given up together, one child's place
given up alone; erasing the mother erases the children's names; her export lists them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from courses.models import Enrolment, EnrolmentStatus, MemberStatus, PartyMember
from courses.party import PartyInvalid
from courses.selectors.seats import seats_taken
from courses.services.enrolment import enrolment_cancel
from courses.services.enrolment_request import enrolment_request
from courses.services.households import childcare_booking, party_place_cancel
from courses.services.participants import ParticipantData
from courses.services.privacy import participant_erase, participant_export
from tests.factories import CourseFactory
from tests.verification import form_enrol

pytestmark = pytest.mark.django_db

URL = "/centres/cic-poznan/courses/polski-dla-mam/enrol/"
CHILDREN = [{"name": "Sofia", "birth_year": 2020}, {"name": "Maksym", "birth_year": 2022}]


@pytest.fixture
def care(centre: Any) -> Any:
    return CourseFactory(
        centre=centre,
        slug="opieka",
        title_pl="Opieka nad dziećmi",
        capacity=3,
        max_party=3,
        max_age=10,
        start_date=date(2027, 1, 5),
    )


@pytest.fixture
def polish(centre: Any, care: Any) -> Any:
    return CourseFactory(
        centre=centre,
        slug="polski-dla-mam",
        title_pl="Polski dla mam",
        capacity=10,
        childcare=care,
        start_date=date(2027, 1, 5),
    )


def _book(course: Any, staff_user: Any, phone: str, party: Any = CHILDREN) -> Enrolment:
    return enrolment_request(
        course=course,
        person=ParticipantData(name="Olena", phone=phone, language="uk", sms_consent=True),
        channel="desk",
        actor=staff_user,
        party=party,
    )


def test_the_class_and_its_childcare_are_booked_in_one_step(
    polish: Any, care: Any, staff_user: Any
) -> None:
    booking = _book(polish, staff_user, "+48601000001")

    children = childcare_booking(booking)
    assert (booking.course, booking.places, booking.status) == (polish, 1, "confirmed")
    assert children is not None
    assert (children.course, children.places, children.attending) == (care, 2, False)
    assert children.childcare_of == booking
    assert sorted(children.party.values_list("name", flat=True)) == ["Maksym", "Sofia"]
    assert not booking.party.exists()
    assert (seats_taken(polish), seats_taken(care)) == (1, 2)


def test_when_the_childcare_is_full_the_children_wait_and_the_class_place_stands(
    polish: Any, care: Any, staff_user: Any
) -> None:
    _book(polish, staff_user, "+48601000001")  # 2 of 3 childcare places

    booking = _book(polish, staff_user, "+48601000002")

    assert booking.status == EnrolmentStatus.CONFIRMED
    children = childcare_booking(booking)
    assert children is not None
    assert children.status == EnrolmentStatus.WAITLISTED
    assert seats_taken(care) == 2


def test_a_child_outside_the_childcares_ages_refuses_the_whole_booking(
    polish: Any, staff_user: Any
) -> None:
    with pytest.raises(PartyInvalid):
        _book(polish, staff_user, "+48601000001", [{"name": "Ira", "birth_year": 2014}])

    assert not Enrolment.objects.exists()
    assert not PartyMember.objects.exists()


def test_cancelling_the_class_gives_up_the_childcare_too_and_the_next_children_get_it(
    polish: Any, care: Any, staff_user: Any
) -> None:
    first = _book(polish, staff_user, "+48601000001")
    second = _book(polish, staff_user, "+48601000002")
    waiting = childcare_booking(second)
    assert waiting is not None

    enrolment_cancel(enrolment=first)

    assert Enrolment.objects.get(pk=childcare_booking(first).pk).status == "cancelled"
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.CONFIRMED


def test_giving_up_one_childs_place_frees_one_childcare_place(
    polish: Any, care: Any, staff_user: Any
) -> None:
    booking = _book(polish, staff_user, "+48601000001")
    children = childcare_booking(booking)
    assert children is not None

    party_place_cancel(enrolment=children, member=children.party.get(name="Maksym"))

    assert seats_taken(care) == 1
    assert Enrolment.objects.get(pk=children.pk).places == 1
    assert seats_taken(polish) == 1


def test_a_mother_books_herself_and_her_children_through_the_form(
    client: Any, polish: Any, care: Any
) -> None:
    data = {
        "name": "Olena Kowalenko",
        "country": "PL",
        "phone": "601 000 001",
        "language": "uk",
        "sms_consent": "on",
        "website": "",
        "child_rows": "2",
        "child_0_name": "Sofia",
        "child_0_birth_year": "2020",
        "child_1_name": "Maksym",
        "child_1_birth_year": "2022",
        "children_consent": "on",
    }

    response = form_enrol(client, URL, data)

    assert response.status_code == 302
    mother = Enrolment.objects.get(course=polish)
    children = Enrolment.objects.get(course=care)
    assert (mother.places, children.places, children.childcare_of) == (1, 2, mother)


def test_the_form_asks_for_the_parents_consent_and_stores_nothing_without_it(
    client: Any, polish: Any
) -> None:
    data = {
        "name": "Olena",
        "country": "PL",
        "phone": "601 000 001",
        "language": "uk",
        "sms_consent": "on",
        "child_rows": "1",
        "child_0_name": "Sofia",
        "child_0_birth_year": "2020",
    }

    response = client.post(URL, data)

    assert response.status_code == 400
    assert "children_consent" in response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_add_another_child_shows_one_more_row_and_stores_nothing(client: Any, polish: Any) -> None:
    response = client.post(
        URL, {"name": "Olena", "child_rows": "1", "child_0_name": "Sofia", "more_people": "child"}
    )

    assert response.status_code == 200
    assert len(response.context["form"].childcare_rows) == 2
    assert not response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_erasing_the_mother_erases_her_childrens_names_and_her_export_lists_them(
    polish: Any, care: Any, staff_user: Any
) -> None:
    booking = _book(polish, staff_user, "+48601000001")
    export = participant_export(participant=booking.participant)
    party = next(e for e in export["enrolments"] if e["course"] == str(care.title))["party"]
    assert [(p["name"], p["birth_year"]) for p in party] == [("Sofia", 2020), ("Maksym", 2022)]
    assert all(p["consent_text_version"] for p in party)

    participant_erase(participant=booking.participant)

    assert list(PartyMember.objects.values_list("name", flat=True)) == ["", ""]
    assert set(PartyMember.objects.values_list("status", flat=True)) == {MemberStatus.ACTIVE}
    assert not Enrolment.objects.filter(status__in=("confirmed", "waitlisted")).exists()


def test_a_class_booked_per_session_books_the_childcares_session_at_the_same_time(
    centre: Any, staff_user: Any
) -> None:
    care = CourseFactory(
        centre=centre, slug="opieka-sesje", booking_mode="session", capacity=4, max_party=3
    )
    polish = CourseFactory(
        centre=centre, slug="polski-sesje", booking_mode="session", capacity=8, childcare=care
    )
    session = polish.sessions.order_by("starts_at")[2]

    booking = enrolment_request(
        course=polish,
        session=session,
        person=ParticipantData(name="Olena", phone="+48601000001", language="uk", sms_consent=True),
        channel="desk",
        actor=staff_user,
        party=CHILDREN,
    )

    children = childcare_booking(booking)
    assert children is not None
    assert children.session is not None
    assert children.session.course == care
    assert children.session.starts_at == session.starts_at
    assert (children.places, booking.places) == (2, 1)
