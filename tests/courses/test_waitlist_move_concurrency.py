"""Two staff move the same waiting person up at the same moment (two desks, or a double click
on two tabs): each move starts from the order the other left, so the person goes up twice.

The threads meet right after the queue is read. With the lock on the course (or session) row
the second waits on the lock, the meeting gives up after WAIT, and the moves run one after the
other. The control takes the lock away and shows the same schedule losing one move.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest

from courses.models import BookingMode, Enrolment, EnrolmentStatus
from courses.selectors.seats import waitlist_queue
from courses.services import waitlist as services
from tests.factories import CourseFactory, EnrolmentRowFactory, UserFactory, first_session
from tests.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 1.5

per_course_and_per_session = pytest.mark.parametrize(
    "booking_mode", [BookingMode.COURSE, BookingMode.SESSION], ids=["per-course", "per-session"]
)


@pytest.fixture(autouse=True)
def _patient_lock(settings: Any) -> None:
    settings.ENROLMENT_LOCK_TIMEOUT_SECONDS = 10


def _meet_after_reading_the_queue(monkeypatch: pytest.MonkeyPatch, parties: int) -> None:
    barrier = threading.Barrier(parties, timeout=WAIT)
    real = services._queue

    def meeting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    monkeypatch.setattr(services, "_queue", meeting)


def _without_lock(enrolment: Enrolment) -> Any:
    """`_locked_enrolment` without SELECT ... FOR UPDATE."""
    fresh = Enrolment.objects.select_related("participant", "course__centre", "session").get(
        pk=enrolment.pk
    )
    return fresh, fresh.course, fresh.session


def _queue_of_three(booking_mode: str) -> tuple[Any, Any, dict[str, Enrolment]]:
    course = CourseFactory(capacity=1, booking_mode=booking_mode)
    session = first_session(course) if booking_mode == BookingMode.SESSION else None
    places = {
        name: EnrolmentRowFactory(
            course=course,
            session=session,
            status=EnrolmentStatus.WAITLISTED,
            priority=priority,
            participant__name=name,
        )
        for name, priority in (("Anna", 2), ("Borys", 1), ("Celina", 0))
    }
    return course, session, places


def _two_moves_up(places: dict[str, Enrolment]) -> tuple[list[Any], list[BaseException]]:
    staff = [UserFactory(username="desk-1"), UserFactory(username="desk-2")]
    celina = places["Celina"]
    return all_at_once(
        [
            lambda user=user: services.waitlist_move(
                enrolment=celina, direction=services.UP, reason="pilne", actor=user
            )
            for user in staff
        ]
    )


def _order(course: Any, session: Any) -> list[str]:
    queue = waitlist_queue(course, session).select_related("participant")
    return [e.participant.name for e in queue]


@per_course_and_per_session
def test_two_moves_up_at_once_move_twice(monkeypatch: pytest.MonkeyPatch, booking_mode) -> None:
    course, session, places = _queue_of_three(booking_mode)
    _meet_after_reading_the_queue(monkeypatch, 2)

    _results, errors = _two_moves_up(places)

    assert not errors
    assert _order(course, session) == ["Celina", "Anna", "Borys"]


@per_course_and_per_session
def test_control_without_the_lock_one_move_is_lost(
    monkeypatch: pytest.MonkeyPatch, booking_mode
) -> None:
    course, session, places = _queue_of_three(booking_mode)
    _meet_after_reading_the_queue(monkeypatch, 2)
    monkeypatch.setattr(services, "_locked_enrolment", _without_lock)

    _results, errors = _two_moves_up(places)

    assert not errors
    assert _order(course, session) == ["Anna", "Celina", "Borys"]
