"""Households under load, on PostgreSQL: families booking at the same moment never take more
places than the course has; places freed at the same moment by two cancellations (or by two
children's places given up) add up, so a waiting family of 3 gets them when 3 are free, and
never when 2 are; the promotion is part of the cancellation's transaction.

As in tests/courses/test_enrolment_concurrency.py, each race is made to happen: the threads meet
at a barrier inside the critical section (right after the seats are counted, or right before
the freed places are counted), and each control removes the course row's lock to show that the
same schedule then goes wrong.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction

from courses.models import Course, Enrolment, EnrolmentStatus, Participant
from courses.selectors.seats import seats_taken
from courses.services import enrolment as services
from courses.services import locking
from courses.services.households import party_place_cancel
from tests.factories import CourseFactory, ParticipantRowFactory
from tests.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 1.5
CHILDREN = [{"name": "Sofia", "birth_year": 2019}, {"name": "Maksym", "birth_year": 2021}]
CONFIRMED, WAITLISTED = EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED


@pytest.fixture(autouse=True)
def _patient_lock(settings: Any) -> None:
    settings.ENROLMENT_LOCK_TIMEOUT_SECONDS = 10


def _course(capacity: int) -> Course:
    return CourseFactory(capacity=capacity, max_party=3, start_date=date(2027, 1, 5))


def _person(course: Course) -> Participant:
    return ParticipantRowFactory(centre=course.centre, sms_consent=True)


def _family(course: Course, party: list[dict[str, Any]] = CHILDREN) -> Enrolment:
    return services.enrolment_create(course=course, participant=_person(course), party=party)


def _meet(monkeypatch: pytest.MonkeyPatch, name: str, parties: int, *, after: bool) -> None:
    """The threads meet at `courses.services.enrolment.<name>` (before it, or after it)."""
    barrier = threading.Barrier(parties, timeout=WAIT)
    real = getattr(services, name)

    def meet() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    def meeting(*args: Any, **kwargs: Any) -> Any:
        if not after:
            meet()
        result = real(*args, **kwargs)
        if after:
            meet()
        return result

    monkeypatch.setattr(services, name, meeting)


def _remove_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """`seats_lock` and `seats_lock_and_count` without their SELECT ... FOR UPDATE."""

    def fetch(course: Course, session: Any, *, then: Any = None) -> tuple[Course, None, Any]:
        fetched = Course.objects.select_related("centre").get(pk=course.pk)
        return fetched, None, (locking._count(then) if then is not None else None)

    monkeypatch.setattr(locking, "_lock", fetch)


def _places(course: Course) -> int:
    return seats_taken(course)


def _status(enrolment: Enrolment) -> str:
    return Enrolment.objects.get(pk=enrolment.pk).status


FAMILIES = 8


def _families_at_once(course: Course) -> list[BaseException]:
    people = [_person(course) for _ in range(FAMILIES)]
    _results, errors = all_at_once(
        [
            functools.partial(
                services.enrolment_create, course=course, participant=person, party=CHILDREN
            )
            for person in people
        ]
    )
    return errors


def test_families_booking_at_once_never_take_more_places_than_the_course_has(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert connection.vendor == "postgresql"
    course = _course(capacity=10)
    _meet(monkeypatch, "seats_lock_and_count", FAMILIES, after=True)

    errors = _families_at_once(course)

    assert errors == []
    bookings = Enrolment.objects.filter(course=course)
    assert bookings.filter(status=CONFIRMED).count() == 3  # 9 places; a 4th needs 3 of 1
    assert bookings.filter(status=WAITLISTED).count() == FAMILIES - 3
    assert _places(course) == 9


def test_without_the_lock_the_same_families_overbook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: every family counts the places before any writes, and each sees 10 free."""
    course = _course(capacity=10)
    _meet(monkeypatch, "seats_lock_and_count", FAMILIES, after=True)
    _remove_the_lock(monkeypatch)

    errors = _families_at_once(course)

    assert errors == []
    assert _places(course) > 10, f"{_places(course)} places taken of 10: no overbooking"


def _two_pairs_and_a_waiting_family(course: Course) -> tuple[Enrolment, Enrolment, Enrolment]:
    """A course of 4 places held by two bookings of 2; a family of 3 waits."""
    first, second = _family(course, CHILDREN[:1]), _family(course, CHILDREN[:1])
    family = _family(course)
    assert _status(family) == WAITLISTED
    return first, second, family


def _cancel_both_at_once(first: Enrolment, second: Enrolment) -> list[BaseException]:
    _results, errors = all_at_once(
        [functools.partial(services.enrolment_cancel, enrolment=e) for e in (first, second)]
    )
    return errors


def test_two_cancellations_at_once_free_four_places_and_the_waiting_family_gets_three(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = _course(capacity=4)
    first, second, family = _two_pairs_and_a_waiting_family(course)
    _meet(monkeypatch, "seats_taken", 2, after=False)

    assert _cancel_both_at_once(first, second) == []

    assert _status(family) == CONFIRMED
    assert _places(course) == 3


def test_without_the_lock_each_cancellation_sees_two_free_and_the_family_keeps_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Control: each counts the free places before the other's cancellation is committed (they
    meet after counting: meeting before, one could count after the other's commit)."""
    course = _course(capacity=4)
    first, second, family = _two_pairs_and_a_waiting_family(course)
    _meet(monkeypatch, "seats_taken", 2, after=True)
    _remove_the_lock(monkeypatch)

    assert _cancel_both_at_once(first, second) == []

    assert _status(family) == WAITLISTED, "the family was promoted: the race did not happen"
    assert _places(course) == 0


def test_two_freed_places_leave_a_family_of_3_waiting_more_promote_it_in_one_transaction() -> None:
    course = _course(capacity=5)
    pair, trio = _family(course, CHILDREN[:1]), _family(course)
    family = _family(course)
    services.enrolment_cancel(enrolment=pair)  # 2 free
    assert _status(family) == WAITLISTED

    with contextlib.suppress(RuntimeError), transaction.atomic():
        services.enrolment_cancel(enrolment=trio)  # 5 free
        assert _status(family) == CONFIRMED  # already, inside the cancellation's transaction
        raise RuntimeError  # rolled back: the promotion goes with the cancellation

    assert (_status(trio), _status(family)) == (CONFIRMED, WAITLISTED)
    services.enrolment_cancel(enrolment=trio)
    assert _status(family) == CONFIRMED


def _two_families_full_and_a_waiting_pair(course: Course) -> tuple[Enrolment, Enrolment, Enrolment]:
    """A course of 6 places held by two families of 3; a pair waits."""
    one, two = _family(course), _family(course)
    pair = _family(course, CHILDREN[:1])
    assert _status(pair) == WAITLISTED
    return one, two, pair


def _give_up_a_child_each_at_once(one: Enrolment, two: Enrolment) -> list[BaseException]:
    _results, errors = all_at_once(
        [
            functools.partial(party_place_cancel, enrolment=e, member=e.party.get(name="Maksym"))
            for e in (one, two)
        ]
    )
    return errors


def test_two_children_given_up_at_once_free_one_place_each_and_the_waiting_pair_gets_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = _course(capacity=6)
    one, two, pair = _two_families_full_and_a_waiting_pair(course)
    _meet(monkeypatch, "seats_taken", 2, after=False)

    assert _give_up_a_child_each_at_once(one, two) == []

    assert [Enrolment.objects.get(pk=e.pk).places for e in (one, two)] == [2, 2]
    assert _status(pair) == CONFIRMED
    assert _places(course) == 6


def test_without_the_lock_each_child_given_up_sees_one_free_and_the_pair_keeps_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Control: the same two give-ups, each counting before the other is committed (they meet
    after counting)."""
    course = _course(capacity=6)
    one, two, pair = _two_families_full_and_a_waiting_pair(course)
    _meet(monkeypatch, "seats_taken", 2, after=True)
    _remove_the_lock(monkeypatch)

    assert _give_up_a_child_each_at_once(one, two) == []

    assert _status(pair) == WAITLISTED, "the pair was promoted: the race did not happen"
    assert _places(course) == 4
