"""Booking places for a household through the enrolment services: places counted as seats, a
party checked before anything is written, a waiting family promoted only when all its places
(or the fewest it accepts) are free, offers for the whole party."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from courses.models import (
    Enrolment,
    EnrolmentStatus,
    MemberStatus,
    Participant,
    PartyMember,
    WaitlistMode,
)
from courses.party import NEXT, PartyInvalid
from courses.selectors.seats import seats_left, seats_taken
from courses.services.enrolment import enrolment_cancel, enrolment_create, waitlist_promote
from courses.services.households import party_place_cancel
from courses.services.offers import offer_accept, offer_decline
from courses.services.party import PARTY_CONSENT_TEXT_VERSION
from tests.factories import CourseFactory, ParticipantRowFactory

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED = EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED
CHILDREN = [{"name": "Sofia", "birth_year": 2019}, {"name": "Maksym", "birth_year": 2021}]


@pytest.fixture
def workshop(centre: Any) -> Any:
    """A family workshop: 5 places, at most 4 per booking."""
    return CourseFactory(centre=centre, capacity=5, max_party=4, start_date=date(2027, 1, 5))


def _person(centre: Any) -> Participant:
    return ParticipantRowFactory(centre=centre, sms_consent=True)


def _book(course: Any, **kwargs: Any) -> Enrolment:
    return enrolment_create(course=course, participant=_person(course.centre), **kwargs)


def _fresh(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.get(pk=enrolment.pk)


def test_a_mother_with_two_children_takes_three_places(workshop: Any) -> None:
    booking = _book(workshop, party=CHILDREN)

    assert booking.status == CONFIRMED
    assert booking.places == 3
    assert booking.attending
    members = list(booking.party.order_by("position"))
    assert [(m.name, m.birth_year) for m in members] == [("Sofia", 2019), ("Maksym", 2021)]
    assert all(m.consent_text == PARTY_CONSENT_TEXT_VERSION and m.consent_at for m in members)
    assert seats_taken(workshop) == 3
    assert seats_left(workshop).left == 2


def test_a_parent_who_does_not_attend_books_only_the_children(workshop: Any) -> None:
    booking = _book(workshop, party=CHILDREN, attending=False)

    assert booking.places == 2
    assert not booking.attending


def test_a_family_of_three_waits_when_two_places_are_free(workshop: Any) -> None:
    _book(workshop, party=CHILDREN)  # 3 of 5

    family = _book(workshop, party=CHILDREN)

    assert family.status == WAITLISTED
    assert seats_taken(workshop) == 3


def test_with_wait_a_single_person_queues_behind_a_waiting_family(workshop: Any) -> None:
    _book(workshop, party=CHILDREN)
    _book(workshop, party=CHILDREN)  # waits for 3; 2 are free

    single = _book(workshop)

    assert single.status == WAITLISTED
    assert seats_taken(workshop) == 3


def test_with_next_a_single_person_takes_a_place_the_family_cannot_use(workshop: Any) -> None:
    workshop.waitlist_fit = NEXT
    workshop.save(update_fields=["waitlist_fit"])
    _book(workshop, party=CHILDREN)
    family = _book(workshop, party=CHILDREN)

    single = _book(workshop)

    assert single.status == CONFIRMED
    assert _fresh(family).status == WAITLISTED
    assert seats_taken(workshop) == 4


@pytest.mark.parametrize(
    ("kwargs", "told"),
    [
        ({"party": [{"name": f"Child {n}", "birth_year": 2019} for n in range(4)]}, "at most 4"),
        ({"party": [*CHILDREN, CHILDREN[0]]}, "listed twice"),
        ({"party": [{"name": "Sofia", "birth_year": 2099}]}, "is not a year"),
        ({"party": CHILDREN, "min_places": 4}, "cannot be more than"),
        ({"party": [{"name": " ", "birth_year": 2019}]}, "has no name"),
        ({"party": [{"name": "Sofia", "birth_year": "soon"}]}, "is not a year"),
        ({"party": [], "attending": False}, "covers nobody"),
        ({"party": CHILDREN, "min_places": 0}, "fewest places"),
    ],
)
def test_a_party_the_course_does_not_take_is_refused_and_nothing_is_stored(
    workshop: Any, kwargs: dict[str, Any], told: str
) -> None:
    with translation.override("en"):
        with pytest.raises(PartyInvalid) as refused:
            _book(workshop, **kwargs)
        assert told in str(refused.value.message)

    assert not Enrolment.objects.exists()
    assert not PartyMember.objects.exists()


def test_a_child_outside_the_ages_is_refused(centre: Any) -> None:
    course = CourseFactory(centre=centre, max_party=3, min_age=6, max_age=12)

    with translation.override("en"), pytest.raises(PartyInvalid, match="outside the ages"):
        _book(course, party=[{"name": "Maksym", "birth_year": 2024}], attending=False)

    assert not Enrolment.objects.exists()


def test_one_place_per_booking_keeps_todays_behaviour(centre: Any) -> None:
    course = CourseFactory(centre=centre, capacity=1)

    first, second = _book(course), _book(course)

    assert (first.status, first.places) == (CONFIRMED, 1)
    assert second.status == WAITLISTED
    with translation.override("en"), pytest.raises(PartyInvalid, match="at most 1 place"):
        _book(course, party=CHILDREN[:1])


def test_two_freed_places_do_not_promote_a_waiting_family_of_three_three_do(
    workshop: Any,
) -> None:
    couple = _book(workshop, party=CHILDREN[:1])  # 2
    single = _book(workshop)  # 3
    other = _book(workshop, party=CHILDREN[:1])  # 5: full
    family = _book(workshop, party=CHILDREN)  # waits for 3

    enrolment_cancel(enrolment=couple)  # 2 free
    assert _fresh(family).status == WAITLISTED

    enrolment_cancel(enrolment=single)  # 3 free
    assert _fresh(family).status == CONFIRMED
    assert seats_taken(workshop) == 5
    assert _fresh(other).status == CONFIRMED


def test_a_family_that_accepts_fewer_is_promoted_with_the_places_that_are_free(
    workshop: Any,
) -> None:
    blocker = _book(workshop, party=[*CHILDREN, {"name": "Ira", "birth_year": 1990}])  # 4
    family = _book(workshop, party=CHILDREN, min_places=2)  # 3 wanted, 2 accepted; 1 free
    assert family.status == WAITLISTED

    party_place_cancel(enrolment=blocker, member=blocker.party.get(name="Ira"))  # 2 free

    promoted = _fresh(family)
    assert (promoted.status, promoted.places, promoted.attending) == (CONFIRMED, 2, True)
    # The booking person keeps theirs, then the people in the order given: the last gives up.
    kept = dict(promoted.party.values_list("name", "status"))
    assert kept == {"Sofia": MemberStatus.ACTIVE, "Maksym": MemberStatus.CANCELLED}
    assert seats_taken(workshop) == 5


def test_giving_up_one_childs_place_frees_one_and_promotes_who_fits(workshop: Any) -> None:
    family = _book(workshop, party=CHILDREN)  # 3
    _book(workshop, party=CHILDREN[:1])  # 5
    single = _book(workshop)

    party_place_cancel(enrolment=family, member=family.party.get(name="Maksym"))

    assert _fresh(family).places == 2
    assert _fresh(single).status == CONFIRMED
    assert seats_taken(workshop) == 5


def test_capacity_raised_promotes_a_waiting_family_when_all_fit(workshop: Any) -> None:
    _book(workshop, party=[*CHILDREN, {"name": "Ira", "birth_year": 1990}])  # 4
    family = _book(workshop, party=CHILDREN)
    workshop.capacity = 6
    workshop.save(update_fields=["capacity"])
    waitlist_promote(course=workshop)
    assert _fresh(family).status == WAITLISTED

    workshop.capacity = 7
    workshop.save(update_fields=["capacity"])
    waitlist_promote(course=workshop)
    assert _fresh(family).status == CONFIRMED


def test_an_offer_covers_the_whole_party(workshop: Any) -> None:
    workshop.waitlist_mode = WaitlistMode.OFFER
    workshop.save(update_fields=["waitlist_mode"])
    first = _book(workshop, party=CHILDREN)
    _book(workshop, party=CHILDREN[:1])  # full
    family = _book(workshop, party=CHILDREN)
    second = _book(workshop, party=CHILDREN)

    enrolment_cancel(enrolment=first)
    offered = _fresh(family)
    assert (offered.status, offered.places) == (EnrolmentStatus.OFFERED, 3)
    assert seats_taken(workshop) == 5  # the offer holds its three places

    offer_decline(enrolment=offered)
    assert _fresh(second).status == EnrolmentStatus.OFFERED
    accepted = offer_accept(enrolment=_fresh(second))
    assert (accepted.status, accepted.places) == (CONFIRMED, 3)
