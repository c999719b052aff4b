"""Appointments under load, on PostgreSQL: a slot is never booked twice, an interpreter never
twice at overlapping times (across specialists and centres), and a move or a cancel racing a
booking of the slot it frees or takes never loses or doubles a slot.

Each race is made to happen: the threads start together and meet again at a barrier right
after the slot (or the interpreter) was checked free, before anything is written. With the
locks, the first thread waits there alone until the barrier gives up (WAIT) while the others
queue on the lock; then they go one at a time and each sees what the one before wrote. The
control tests remove the locks (and, where it would catch the collision, the one-per-slot
constraint, the last guard) and show the same schedule then double-books."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.db import connection

from appointments.errors import InterpreterUnavailable, SlotTaken
from appointments.models import ACTIVE_STATUSES, Appointment, Interpreter
from appointments.services import checks
from appointments.services.booking import appointment_book, appointment_cancel, appointment_move
from appointments.services.waitlist import day_waitlist_join
from courses.models import Course
from courses.services.participants import participant_upsert
from scheduling.models import Session
from tests.appointments.helpers import interpreter, local, person, slot_course, specialist
from tests.factories import CentreFactory, UserFactory, first_session
from tests.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 1.5  # seconds a thread waits at the barrier before going on without the others
PEOPLE = 50


@pytest.fixture(autouse=True)
def _patient_lock(settings: Any) -> None:
    """Whoever queues on a lock waits longer than WAIT, so nobody is turned away as busy."""
    settings.ENROLMENT_LOCK_TIMEOUT_SECONDS = 20


def _meet(monkeypatch: pytest.MonkeyPatch, name: str, parties: int) -> None:
    """Make the threads meet once `appointments.services.checks.<name>` returned."""
    barrier = threading.Barrier(parties, timeout=WAIT)
    real = getattr(checks, name)

    def meeting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    monkeypatch.setattr(checks, name, meeting)


def _sessions_without_lock(ids: Sequence[int]) -> dict[int, Session]:
    rows = Session.objects.select_related("course__centre").filter(pk__in=ids)
    return {row.pk: row for row in rows}


def _remove_the_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "_lock_sessions", _sessions_without_lock)
    monkeypatch.setattr(checks, "_lock_interpreters", lambda ids: None)


@contextlib.contextmanager
def _without_the_constraint() -> Iterator[None]:
    """Drop `appointment_one_per_slot` for the test (added again after it)."""
    constraint = next(
        c for c in Appointment._meta.constraints if c.name == "appointment_one_per_slot"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Appointment, constraint)
    try:
        yield
    finally:
        Appointment.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Appointment, constraint)


def _staff_course(**fields: Any) -> tuple[Course, Any]:
    centre = CentreFactory(network="CIC")
    staff = UserFactory(username=f"staff-{centre.slug}", staff_of=[centre])
    return slot_course(centre, trainers=[specialist(f"lawyer-{centre.slug}")], **fields), staff


def _ten(course: Course, minute: int = 0) -> Any:
    day = first_session(course).starts_at.astimezone(course.centre.tz).date()
    return local(course, day, 10, minute)


def _book_all(course: Course, staff: Any, count: int) -> tuple[list[Any], list[BaseException]]:
    return all_at_once(
        [
            functools.partial(
                appointment_book,
                course=course,
                starts_at=_ten(course),
                language="pl",
                person=person(n),
                actor=staff,
                channel="api",
            )
            for n in range(count)
        ]
    )


def _kinds(errors: list[BaseException]) -> Counter[str]:
    return Counter(type(error).__name__ for error in errors)


def test_fifty_bookings_of_one_slot_give_one_appointment_and_49_clean_refusals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert connection.vendor == "postgresql"
    course, staff = _staff_course()
    _meet(monkeypatch, "check_slot", PEOPLE)

    results, errors = _book_all(course, staff, PEOPLE)

    assert (len(results), _kinds(errors)) == (1, Counter({"SlotTaken": PEOPLE - 1}))
    assert Appointment.objects.filter(course=course, status__in=ACTIVE_STATUSES).count() == 1


def test_without_the_lock_the_constraint_still_gives_one_appointment_and_clean_409s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last guard alone: the collisions are `slot_taken`, never an IntegrityError."""
    course, staff = _staff_course()
    _meet(monkeypatch, "check_slot", PEOPLE)
    _remove_the_locks(monkeypatch)

    results, errors = _book_all(course, staff, PEOPLE)

    assert (len(results), _kinds(errors)) == (1, Counter({"SlotTaken": PEOPLE - 1}))


def test_control_without_the_lock_and_the_constraint_the_rush_double_books(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course, staff = _staff_course()
    _meet(monkeypatch, "check_slot", PEOPLE)
    _remove_the_locks(monkeypatch)

    with _without_the_constraint():
        _results, _errors = _book_all(course, staff, PEOPLE)
        booked = Appointment.objects.filter(course=course, status__in=ACTIVE_STATUSES).count()

    assert booked > 1, f"{booked} appointment(s) in one slot: no double booking"


def _two_specialists_one_interpreter() -> tuple[Course, Course, Any, Interpreter]:
    """Two centres of a network, a Polish-speaking specialist's duty hours at each, at the same
    time, and one Ukrainian interpreter on duty for both."""
    poznan = CentreFactory(slug="cic-poznan", network="CIC")
    konin = CentreFactory(slug="cic-konin", network="CIC")
    staff = UserFactory(username="coordinator", staff_of=[poznan, konin])
    one = slot_course(poznan, trainers=[specialist("lawyer")])
    two = slot_course(konin, trainers=[specialist("tax-advisor")], start_date=one.start_date)
    olena = interpreter(poznan, "uk")
    olena.hours.create(centre=konin, weekday=1, starts_at=one.start_time, ends_at="14:00")
    return one, two, staff, olena


def _book_both(one: Course, two: Course, staff: Any) -> tuple[list[Any], list[BaseException]]:
    return all_at_once(
        [
            functools.partial(
                appointment_book,
                course=course,
                starts_at=_ten(course),
                language="uk",
                person=person(n),
                actor=staff,
                channel="desk",
            )
            for n, course in enumerate((one, two))
        ]
    )


def test_the_one_ukrainian_interpreter_goes_to_one_of_two_specialists_at_the_same_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one, two, staff, olena = _two_specialists_one_interpreter()
    _meet(monkeypatch, "choose_interpreter", 2)

    results, errors = _book_both(one, two, staff)

    assert [a.interpreter_id for a in results] == [olena.pk]
    assert [type(error) for error in errors] == [InterpreterUnavailable]


def test_control_without_the_interpreter_lock_the_interpreter_is_booked_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one, two, staff, olena = _two_specialists_one_interpreter()
    _meet(monkeypatch, "choose_interpreter", 2)
    monkeypatch.setattr(checks, "_lock_interpreters", lambda ids: None)

    _results, _errors = _book_both(one, two, staff)

    twice = Appointment.objects.filter(interpreter=olena, status__in=ACTIVE_STATUSES).count()
    assert twice == 2, f"the interpreter has {twice} appointment(s) at 10:00: no double booking"


def _move_and_book(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Course, Appointment, Callable[[], Any]]:
    """A person at 10:00 moves to 10:30 while someone else books 10:30 (the threads meet
    once each saw 10:30 free)."""
    course, staff = _staff_course()
    mover = appointment_book(
        course=course, starts_at=_ten(course), language="pl", person=person(900), actor=staff
    )
    _meet(monkeypatch, "check_slot", 2)

    def race() -> tuple[list[Any], list[BaseException]]:
        return all_at_once(
            [
                functools.partial(
                    appointment_move, appointment=mover, starts_at=_ten(course, 30), by_person=True
                ),
                functools.partial(
                    appointment_book,
                    course=course,
                    starts_at=_ten(course, 30),
                    language="pl",
                    person=person(901),
                    actor=staff,
                ),
            ]
        )

    return course, mover, race


def _active(course: Course) -> Counter[Any]:
    return Counter(
        Appointment.objects.filter(course=course, status__in=ACTIVE_STATUSES).values_list(
            "starts_at", flat=True
        )
    )


def test_a_move_racing_a_booking_of_its_new_slot_never_loses_or_doubles_a_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course, mover, race = _move_and_book(monkeypatch)

    _results, errors = race()

    mine = Appointment.objects.filter(participant=mover.participant, status__in=ACTIVE_STATUSES)
    assert [type(error) for error in errors] == [SlotTaken]
    assert mine.count() == 1  # the mover keeps one appointment: the old one or the new one
    assert _active(course)[_ten(course, 30)] == 1
    # Whoever lost: the mover is still at 10:00, or 10:00 is free (and offered) again.
    assert _active(course)[_ten(course)] == (0 if mine.get().starts_at == _ten(course, 30) else 1)


def test_control_without_the_lock_and_the_constraint_the_move_doubles_a_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course, _mover, race = _move_and_book(monkeypatch)
    _remove_the_locks(monkeypatch)

    with _without_the_constraint():
        race()
        doubled = _active(course)[_ten(course, 30)]

    assert doubled == 2, f"{doubled} appointment(s) at 10:30: no double booking"


def _cancel_and_book(waiting: bool) -> tuple[Course, Appointment, Any, Callable[[], Any]]:
    """A day of one slot (10:00), booked; its appointment is cancelled while someone else books
    10:00 (and, with `waiting`, a person waits for that day)."""
    course, staff = _staff_course(duration_minutes=30)
    held = appointment_book(
        course=course, starts_at=_ten(course), language="pl", person=person(800), actor=staff
    )
    entry = None
    if waiting:
        who = participant_upsert(centre=course.centre, data=person(802))
        entry = day_waitlist_join(session=held.session, participant=who, language="pl")

    def race() -> tuple[list[Any], list[BaseException]]:
        return all_at_once(
            [
                functools.partial(appointment_cancel, appointment=held, by_person=True),
                functools.partial(
                    appointment_book,
                    course=course,
                    starts_at=_ten(course),
                    language="pl",
                    person=person(801),
                    actor=staff,
                ),
            ]
        )

    return course, held, entry, race


def test_a_cancel_racing_a_booking_of_the_slot_never_loses_or_doubles_it() -> None:
    """The booking either comes before the cancel (the slot is taken: 409) or after it (the
    slot is free: booked); never two appointments, and the cancel always goes through."""
    course, held, _entry, race = _cancel_and_book(waiting=False)

    results, errors = race()

    held.refresh_from_db()
    assert held.status == "cancelled"
    assert all(isinstance(error, SlotTaken) for error in errors), errors
    assert _active(course)[_ten(course)] == len(results) - 1  # 1 when the booking won, else 0
    assert _active(course)[_ten(course)] <= 1


def test_a_cancel_racing_a_booking_gives_the_slot_to_the_person_waiting_once() -> None:
    """With a person waiting for the day, the freed slot is theirs in the cancel's own
    transaction: the booking racing it is a clean 409 whichever goes first."""
    course, _held, entry, race = _cancel_and_book(waiting=True)

    _results, errors = race()

    assert [type(error) for error in errors] == [SlotTaken]
    active = Appointment.objects.filter(course=course, status__in=ACTIVE_STATUSES)
    assert active.count() == 1
    assert active.get().participant_id == entry.participant_id
