"""Enrolment under load: when many people enrol, cancel or see their offers run out at the same
moment, a course (or a session) never gives more seats than it has, nobody holds two places in
it, nobody gets a seat twice, and the waitlist keeps the order in which people arrived.

Each race is made to happen, not hoped for. The threads start together at a barrier and meet
again at a second barrier inside the critical section: right after the seats are counted, or
right before a seat is handed on. With the lock on the course (or session) row, the first thread
waits there alone until that barrier gives up (WAIT) while the others queue on the lock, and then
everyone goes on one at a time. The control tests remove the lock and show that the very same
schedule then overbooks or hands one seat out several times.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from courses.errors import AlreadyEnrolled
from courses.models import (
    ACTIVE_STATUSES,
    BookingMode,
    Centre,
    Course,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Participant,
    WaitlistMode,
)
from courses.selectors.seats import seats_taken, waitlist_position
from courses.services import enrolment as services
from courses.services import locking, offers
from scheduling.models import Session
from tests.factories import CourseFactory, ParticipantRowFactory, first_session
from tests.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 1.5  # seconds a thread waits at the inner barrier before going on without the others
CAPACITY = 5
PEOPLE = 40

CONFIRMED = EnrolmentStatus.CONFIRMED
WAITLISTED = EnrolmentStatus.WAITLISTED
OFFERED = EnrolmentStatus.OFFERED
EXPIRED = EnrolmentStatus.EXPIRED

per_course_and_per_session = pytest.mark.parametrize(
    "booking_mode", [BookingMode.COURSE, BookingMode.SESSION], ids=["per-course", "per-session"]
)


@pytest.fixture(autouse=True)
def _patient_lock(settings: Any) -> None:
    """Whoever queues on the lock waits longer than WAIT, so nobody is turned away as busy."""
    settings.ENROLMENT_LOCK_TIMEOUT_SECONDS = 10


def _course(booking_mode: str = BookingMode.COURSE, **fields: Any) -> tuple[Course, Session | None]:
    """A published course of the future; for per-session booking also its first session."""
    course = CourseFactory(booking_mode=booking_mode, start_date=date(2027, 1, 5), **fields)
    if booking_mode != BookingMode.SESSION:
        return course, None
    return course, first_session(course)


def _people(centre: Centre, count: int) -> list[Participant]:
    return ParticipantRowFactory.create_batch(count, centre=centre, sms_consent=True)


def _enrol_one_by_one(course: Course, people: list[Participant]) -> list[Enrolment]:
    return [services.enrolment_create(course=course, participant=person) for person in people]


def _meet(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    parties: int,
    *,
    after: bool = False,
    when: Callable[..., bool] | None = None,
) -> None:
    """Make the threads meet at `courses.services.enrolment.<name>`: before the call or, with
    `after`, once it returned; with `when`, only at the calls it picks. Unless something
    serialises them, every thread then does all that comes before that point before any does
    what comes after."""
    barrier = threading.Barrier(parties, timeout=WAIT)
    real = getattr(services, name)

    def meet() -> None:
        # A thread held up by the lock never comes: the barrier breaks, each goes on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    def meeting(*args: Any, **kwargs: Any) -> Any:
        picked = when is None or when(*args, **kwargs)
        if picked and not after:
            meet()
        result = real(*args, **kwargs)
        if picked and after:
            meet()
        return result

    monkeypatch.setattr(services, name, meeting)


def _read_without_lock(
    course: Course, session: Session | None, *, then: Any = None
) -> tuple[Course, Session | None, Any]:
    """The lock of `seats_lock` and `seats_lock_and_count` (`courses.services.locking._lock`)
    without its SELECT ... FOR UPDATE: the seat counts are no longer guarded."""
    if course.booking_mode == BookingMode.SESSION:
        assert session is not None
        fetched = Session.objects.select_related("course__centre").get(pk=session.pk)
        fetched_course, fetched_session = fetched.course, fetched
    else:
        fetched_course, fetched_session = (
            Course.objects.select_related("centre").get(pk=course.pk),
            None,
        )
    return fetched_course, fetched_session, (locking._count(then) if then is not None else None)


def _remove_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locking, "_lock", _read_without_lock)


def _enrolall_at_once(
    course: Course, session: Session | None, people: list[Participant]
) -> list[BaseException]:
    _results, errors = all_at_once(
        [
            functools.partial(
                services.enrolment_create, course=course, participant=person, session=session
            )
            for person in people
        ]
    )
    return errors


def _in_arrival_order(course: Course, session: Session | None = None) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(course=course, session=session)
        .select_related("course", "session")
        .order_by("created_at", "id")
    )


def _with(status: str, enrolments: list[Enrolment]) -> list[Enrolment]:
    return [enrolment for enrolment in enrolments if enrolment.status == status]


def _promotions(course: Course) -> Counter[int]:
    """How many times each enrolment of the course went from the waitlist to a seat."""
    return Counter(
        EnrolmentEvent.objects.filter(
            enrolment__course=course, from_status=WAITLISTED, to_status__in=(CONFIRMED, OFFERED)
        ).values_list("enrolment_id", flat=True)
    )


@per_course_and_per_session
def test_forty_people_at_once_fill_the_five_seats_and_queue_the_rest_in_arrival_order(
    booking_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert connection.vendor == "postgresql"
    course, session = _course(booking_mode, capacity=CAPACITY)
    people = _people(course.centre, PEOPLE)
    _meet(monkeypatch, "seats_lock_and_count", PEOPLE, after=True)

    errors = _enrolall_at_once(course, session, people)

    assert errors == []
    enrolments = _in_arrival_order(course, session)
    assert Enrolment.objects.filter(course=course).count() == PEOPLE  # all in the one target
    assert sorted(e.participant_id for e in enrolments) == sorted(p.pk for p in people)
    confirmed, waitlisted = _with(CONFIRMED, enrolments), _with(WAITLISTED, enrolments)
    assert len(confirmed) == CAPACITY
    assert len(waitlisted) == PEOPLE - CAPACITY
    assert enrolments[:CAPACITY] == confirmed  # first come, first served
    assert [waitlist_position(e) for e in waitlisted] == list(range(1, PEOPLE - CAPACITY + 1))


@per_course_and_per_session
def test_without_the_lock_the_same_rush_overbooks(
    booking_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: every thread counts the seats before any writes, and each sees one free."""
    course, session = _course(booking_mode, capacity=CAPACITY)
    people = _people(course.centre, PEOPLE)
    _meet(monkeypatch, "seats_lock_and_count", PEOPLE, after=True)
    _remove_the_lock(monkeypatch)

    errors = _enrolall_at_once(course, session, people)

    assert errors == []
    confirmed = len(_with(CONFIRMED, _in_arrival_order(course, session)))
    assert confirmed > CAPACITY, f"{confirmed} confirmed for {CAPACITY} seats: no overbooking"


def _waitlist_of_six_behind_three_seats() -> tuple[Course, list[Enrolment]]:
    course, _session = _course(capacity=3)
    enrolments = _enrol_one_by_one(course, _people(course.centre, 9))
    assert [e.status for e in enrolments] == [CONFIRMED] * 3 + [WAITLISTED] * 6
    return course, enrolments


def _cancelall_at_once(enrolments: list[Enrolment], monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel the enrolments at once; the threads meet just before handing on a freed seat,
    when each has counted the seats and read the head of the waitlist."""

    def is_promotion(enrolment: Enrolment, status: str, *args: Any, **kwargs: Any) -> bool:
        return enrolment.status == WAITLISTED and status in (CONFIRMED, OFFERED)

    _meet(monkeypatch, "_move", len(enrolments), when=is_promotion)

    def cancel(pk: int) -> Enrolment:
        return services.enrolment_cancel(enrolment=Enrolment.objects.get(pk=pk))

    _results, errors = all_at_once([functools.partial(cancel, e.pk) for e in enrolments])
    assert errors == []


def test_three_cancelling_at_once_hand_their_seats_to_the_next_three_in_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course, enrolments = _waitlist_of_six_behind_three_seats()
    seated, waiting = enrolments[:3], enrolments[3:]

    _cancelall_at_once(seated, monkeypatch)

    result = _in_arrival_order(course)
    assert [e.pk for e in _with(EnrolmentStatus.CANCELLED, result)] == [e.pk for e in seated]
    assert [e.pk for e in _with(CONFIRMED, result)] == [e.pk for e in waiting[:3]]
    still_waiting = _with(WAITLISTED, result)
    assert [e.pk for e in still_waiting] == [e.pk for e in waiting[3:]]
    assert [waitlist_position(e) for e in still_waiting] == [1, 2, 3]
    assert seats_taken(course) == course.capacity
    promotions = _promotions(course)
    assert promotions == Counter({e.pk: 1 for e in waiting[:3]})  # each seat given once
    assert set(
        EnrolmentEvent.objects.filter(enrolment__in=waiting[:3]).values_list(
            "from_status", "to_status"
        )
    ) == {("", WAITLISTED), (WAITLISTED, CONFIRMED)}


def test_without_the_lock_three_cancelling_at_once_give_one_seat_three_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Control: each canceller sees two seats still taken and the same head of the waitlist."""
    course, enrolments = _waitlist_of_six_behind_three_seats()
    _remove_the_lock(monkeypatch)

    _cancelall_at_once(enrolments[:3], monkeypatch)

    promotions = _promotions(course)
    assert max(promotions.values()) > 1, f"no seat given twice: {promotions}"
    assert seats_taken(course) < course.capacity  # and seats were lost


def test_the_same_person_twice_at_once_is_enrolled_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course, _session = _course(capacity=CAPACITY)
    (person,) = _people(course.centre, 1)
    _meet(monkeypatch, "seats_lock_and_count", 2, after=True)

    errors = _enrolall_at_once(course, None, [person, person])

    assert [type(error) for error in errors] == [AlreadyEnrolled]
    assert errors[0].__cause__ is None  # the check saw the first one, once it had the lock
    active = Enrolment.objects.filter(participant=person, status__in=ACTIVE_STATUSES)
    assert active.count() == 1
    assert Enrolment.objects.filter(participant=person).count() == 1


def test_without_the_lock_the_constraint_still_enrols_the_same_person_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both pass the "already enrolled?" check; the unique constraint refuses the second."""
    course, _session = _course(capacity=CAPACITY)
    (person,) = _people(course.centre, 1)
    _meet(monkeypatch, "seats_lock_and_count", 2, after=True)
    _remove_the_lock(monkeypatch)

    errors = _enrolall_at_once(course, None, [person, person])

    assert [type(error) for error in errors] == [AlreadyEnrolled]
    assert isinstance(errors[0].__cause__, IntegrityError)
    assert Enrolment.objects.filter(participant=person).count() == 1


def test_an_offer_expired_by_two_workers_at_once_expires_once_and_passes_on_once(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.SMS_QUIET_HOURS = ""  # the offer counts from now at any hour this test runs
    course, _session = _course(capacity=1, waitlist_mode=WaitlistMode.OFFER, offer_hours=24)
    seated, first, second = _enrol_one_by_one(course, _people(course.centre, 3))
    assert (seated.status, first.status, second.status) == (CONFIRMED, WAITLISTED, WAITLISTED)

    before = timezone.now()
    services.enrolment_cancel(enrolment=seated)
    after = timezone.now()

    first.refresh_from_db()
    assert first.status == OFFERED
    assert before + timedelta(hours=24) <= first.offer_expires_at <= after + timedelta(hours=24)

    later = first.offer_expires_at + timedelta(minutes=1)
    # Both workers have listed the offer as due before either locks anything.
    _meet(monkeypatch, "_locked_enrolment", 2)
    results, errors = all_at_once([functools.partial(offers.offers_expire, now=later)] * 2)

    assert errors == []
    assert sorted(results) == [0, 1]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EXPIRED
    assert second.status == OFFERED
    assert second.offer_expires_at == later + timedelta(hours=24)
    events = EnrolmentEvent.objects.filter(enrolment__course=course)
    assert events.filter(enrolment=first, to_status=EXPIRED).count() == 1
    assert events.filter(enrolment=second, to_status=OFFERED).count() == 1
    assert events.filter(to_status=OFFERED).count() == 2  # one offer each, never more
    assert seats_taken(course) == 1
