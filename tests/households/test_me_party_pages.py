"""The personal page of a household's booking: its people and places, and one person's place
given up through a confirmation page, as giving up the whole place is."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from courses.models import Enrolment, EnrolmentStatus, MemberStatus, PartyMember
from tests.factories import CourseFactory, EnrolmentRowFactory

pytestmark = pytest.mark.django_db


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


@pytest.fixture
def family(centre) -> Enrolment:
    """A mother and her two children in a family workshop: three places."""
    course = CourseFactory(
        centre=centre,
        slug="warsztaty-rodzinne",
        title_pl="Warsztaty rodzinne",
        title_uk="Сімейні майстерні",
        max_party=4,
        capacity=10,
        start_date=date(2027, 1, 5),
    )
    booking = EnrolmentRowFactory(
        course=course, participant__name="Olena Kowalenko", participant__language="uk", places=3
    )
    PartyMember.objects.create(enrolment=booking, name="Sofia", birth_year=2019, position=0)
    PartyMember.objects.create(enrolment=booking, name="Maksym", birth_year=2021, position=1)
    return booking


def _give_up_url(booking: Enrolment, who: object) -> str:
    return f"{booking.participant.get_absolute_url()}enrolments/{booking.pk}/people/{who}/give-up/"


def test_the_personal_page_lists_the_bookings_people_and_its_places(client, family) -> None:
    html = client.get(family.participant.get_absolute_url()).content.decode()
    card = html.split(f'id="enrolment-{family.pk}"')[1].split('class="sms"')[0]
    assert "3 місця" in card
    assert "Sofia" in card
    assert "Maksym" in card
    assert uk("You") in card
    sofia = PartyMember.objects.get(name="Sofia")
    assert _give_up_url(family, sofia.pk) in card
    assert _give_up_url(family, "me") in card


def test_giving_up_a_childs_place_is_explained_first_and_done_only_by_its_button(
    client, family
) -> None:
    sofia = PartyMember.objects.get(name="Sofia")
    page = client.get(_give_up_url(family, sofia.pk))
    assert page.status_code == 200
    html = page.content.decode()
    heading = uk("Give up the place of %(name)s?") % {"name": "Sofia"}
    assert f"<h1>{heading}</h1>" in html
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["Cache-Control"] == "private, no-store"
    family.refresh_from_db()
    assert family.places == 3  # looking changes nothing

    # A POST without the page's confirmation is sent to the page, nothing changes.
    unconfirmed = client.post(_give_up_url(family, sofia.pk))
    assert unconfirmed.status_code == 302
    assert unconfirmed["Location"] == _give_up_url(family, sofia.pk)
    assert PartyMember.objects.get(pk=sofia.pk).status == MemberStatus.ACTIVE

    done = client.post(_give_up_url(family, sofia.pk), {"confirm": "1"}, follow=True)
    sofia.refresh_from_db()
    family.refresh_from_db()
    assert sofia.status == MemberStatus.CANCELLED
    assert family.places == 2
    assert family.status == EnrolmentStatus.CONFIRMED  # the others keep theirs
    html = done.content.decode()
    assert uk("Done: the place of %(name)s is given up.") % {"name": "Sofia"} in html
    assert "2 місця" in html
    assert uk("place given up") in html


def test_the_booking_person_may_give_up_their_own_place_and_keep_the_childrens(
    client, family
) -> None:
    client.post(_give_up_url(family, "me"), {"confirm": "1"})
    family.refresh_from_db()
    assert (family.attending, family.places, family.status) == (
        False,
        2,
        EnrolmentStatus.CONFIRMED,
    )
    assert PartyMember.objects.filter(enrolment=family, status=MemberStatus.ACTIVE).count() == 2


def test_a_place_of_another_booking_or_a_made_up_person_is_not_found(client, family) -> None:
    other = EnrolmentRowFactory(course=family.course, places=2)
    stranger = PartyMember.objects.create(enrolment=other, name="Obcy", birth_year=2018)
    assert client.get(_give_up_url(family, stranger.pk)).status_code == 404
    assert client.post(_give_up_url(family, stranger.pk), {"confirm": "1"}).status_code == 404
    assert client.get(_give_up_url(family, "x1")).status_code == 404
    assert PartyMember.objects.get(pk=stranger.pk).status == MemberStatus.ACTIVE
    # Another person's token does not reach this booking.
    foreign = f"{other.participant.get_absolute_url()}enrolments/{family.pk}/people/me/give-up/"
    assert client.get(foreign).status_code == 404


def test_a_booking_of_one_place_is_given_up_whole_on_its_own_page(client, centre) -> None:
    course = CourseFactory(centre=centre, max_party=3)
    single = EnrolmentRowFactory(course=course, participant__language="uk")
    html = client.get(single.participant.get_absolute_url()).content.decode()
    assert "/people/" not in html
    response = client.get(_give_up_url(single, "me"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#enrolment-{single.pk}")
    single.refresh_from_db()
    assert single.status == EnrolmentStatus.CONFIRMED
