"""The waitlist rule for parties, without a database: who gets the places that were freed."""

from __future__ import annotations

import pytest

from courses.party import (
    NEXT,
    WAIT,
    Person,
    Promotion,
    Waiting,
    keep_first,
    newcomer_fits,
    party_check,
    party_read,
    promotions,
    split_for_childcare,
)
from courses.party import PartyInvalid as Refused

FAMILY_OF_3 = Waiting("family", 3)
SINGLE = Waiting("single", 1)


def test_two_free_places_do_not_promote_a_party_of_three() -> None:
    assert promotions([FAMILY_OF_3], 2, WAIT) == []


def test_three_free_places_promote_a_party_of_three_whole() -> None:
    assert promotions([FAMILY_OF_3], 3, WAIT) == [Promotion("family", 3)]


def test_by_default_nobody_passes_a_family_at_the_head() -> None:
    assert promotions([FAMILY_OF_3, SINGLE], 2, WAIT) == []


def test_with_next_the_single_behind_takes_a_place_the_family_cannot_use() -> None:
    assert promotions([FAMILY_OF_3, SINGLE], 2, NEXT) == [Promotion("single", 1)]


def test_with_next_the_family_still_goes_first_when_it_fits() -> None:
    assert promotions([FAMILY_OF_3, SINGLE], 3, NEXT) == [Promotion("family", 3)]


def test_a_family_that_accepts_fewer_takes_what_is_free() -> None:
    assert promotions([Waiting("family", 3, least=2), SINGLE], 2, WAIT) == [Promotion("family", 2)]


def test_a_family_that_accepts_fewer_still_takes_all_when_all_are_free() -> None:
    assert promotions([Waiting("family", 3, least=2)], 5, WAIT) == [Promotion("family", 3)]


def test_order_is_kept_while_places_last() -> None:
    queue = [Waiting("a", 2), Waiting("b", 1), Waiting("c", 2)]
    assert promotions(queue, 4, WAIT) == [Promotion("a", 2), Promotion("b", 1)]


def test_no_free_places_promote_nobody() -> None:
    assert promotions([SINGLE], 0, NEXT) == []


def test_one_person_bookings_move_one_by_one_as_before() -> None:
    queue = [Waiting(i, 1) for i in range(5)]
    assert [p.key for p in promotions(queue, 2, WAIT)] == [0, 1]


def test_a_newcomer_waits_behind_a_waiting_family_by_default() -> None:
    assert not newcomer_fits([FAMILY_OF_3], 2, 1, WAIT)


def test_a_newcomer_that_fits_passes_a_family_with_next() -> None:
    assert newcomer_fits([FAMILY_OF_3], 2, 1, NEXT)


def test_a_newcomer_takes_free_places_when_nobody_waits() -> None:
    assert newcomer_fits([], 3, 3, WAIT)


def test_a_newcomer_larger_than_the_free_places_waits() -> None:
    assert not newcomer_fits([], 2, 3, WAIT)


def test_a_party_over_max_party_is_refused() -> None:
    with pytest.raises(Refused):
        party_check([Person("A"), Person("B")], attending=True, max_party=2, year=2026)


def test_a_party_within_max_party_takes_its_places() -> None:
    assert party_check([Person("A")], attending=True, max_party=2, year=2026) == 2


def test_a_booking_person_who_does_not_attend_takes_no_place() -> None:
    assert party_check([Person("A", 2018)], attending=False, max_party=2, year=2026) == 1


def test_a_booking_of_nobody_is_refused() -> None:
    with pytest.raises(Refused):
        party_check([], attending=False, max_party=3, year=2026)


@pytest.mark.parametrize("birth_year", [2022, 2012])
def test_a_child_outside_the_age_range_is_refused(birth_year: int) -> None:
    with pytest.raises(Refused):
        party_check(
            [Person("Ola", birth_year)],
            attending=False,
            max_party=3,
            year=2026,
            min_age=6,
            max_age=12,
        )


@pytest.mark.parametrize("birth_year", [2020, 2014])
def test_a_child_at_the_edges_of_the_age_range_is_taken(birth_year: int) -> None:
    places = party_check(
        [Person("Ola", birth_year)], attending=False, max_party=3, year=2026, min_age=6, max_age=12
    )
    assert places == 1


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(Refused):
        party_read([{"name": "  ", "birth_year": 2018}])


def test_a_year_that_is_not_a_year_is_refused() -> None:
    with pytest.raises(Refused):
        party_read([{"name": "Ola", "birth_year": "soon"}])


def test_names_are_tidied_to_one_line() -> None:
    assert party_read([{"name": " Ola\n Kowalska ", "birth_year": "2018"}]) == [
        Person("Ola Kowalska", 2018)
    ]


def test_children_go_to_the_childcare_and_adults_to_the_class() -> None:
    people = [Person("Ola", 2019), Person("Babcia", 1958), Person("Max", 2021)]
    assert split_for_childcare(people, 2026) == (
        [Person("Babcia", 1958)],
        [Person("Ola", 2019), Person("Max", 2021)],
    )


def test_a_party_promoted_with_fewer_places_keeps_the_booking_person_first() -> None:
    assert keep_first(2, attending=True, members=2) == (True, 1)


def test_a_party_without_its_booking_person_keeps_the_first_members() -> None:
    assert keep_first(2, attending=False, members=3) == (False, 2)
