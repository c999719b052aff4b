"""Booking, cancelling, moving, marking and blocking, through the services: what is stored, what
is refused (with nothing stored), and the day waitlist."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from appointments import signals
from appointments.errors import (
    AlreadyBooked,
    InterpreterUnavailable,
    LanguageUnavailable,
    SlotBlocked,
    SlotBooked,
    SlotNotBookable,
    SlotNotFound,
    SlotTaken,
)
from appointments.models import (
    Appointment,
    AppointmentSource,
    AppointmentStatus,
    BlockedSlot,
    DayWaitlistEntry,
    DayWaitlistStatus,
)
from appointments.services.booking import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_move,
)
from appointments.services.slots import slot_block, slot_unblock
from appointments.services.waitlist import day_waitlist_join
from courses.errors import DomainError, PhoneNotVerified
from courses.models import AuditEntry, Course, Participant
from tests.appointments.helpers import interpreter, local, person, slot_course
from tests.factories import first_session

pytestmark = pytest.mark.django_db


def _day(course: Course) -> Any:
    return first_session(course).starts_at.astimezone(course.centre.tz).date()


def _book(course: Course, hour: int, minute: int = 0, *, n: int = 1, **kwargs: Any) -> Appointment:
    values: dict[str, Any] = {"language": "pl", "channel": "desk"}
    values.update(kwargs)
    return appointment_book(
        course=course,
        starts_at=local(course, _day(course), hour, minute),
        person=values.pop("person", person(n)),
        **values,
    )


@pytest.fixture
def received() -> Iterator[list[str]]:
    seen: list[str] = []

    def on(name: str) -> Any:
        return lambda sender, **kwargs: seen.append(name)

    handlers = {
        signal: on(name)
        for name, signal in [
            ("booked", signals.appointment_booked),
            ("cancelled", signals.appointment_cancelled),
            ("moved", signals.appointment_moved),
            ("offered", signals.appointment_offered),
        ]
    }
    for signal, handler in handlers.items():
        signal.connect(handler, weak=False)
    yield seen
    for signal, handler in handlers.items():
        signal.disconnect(handler)


def rows() -> tuple[int, int, int]:
    return Appointment.objects.count(), Participant.objects.count(), AuditEntry.objects.count()


def test_staff_book_a_slot_with_the_interpreter(staff_user, centre, consultation) -> None:
    olena = interpreter(centre, "uk")
    appointment = _book(consultation, 10, language="uk", actor=staff_user)
    assert (appointment.status, appointment.interpreter, appointment.source) == (
        AppointmentStatus.BOOKED,
        olena,
        AppointmentSource.STAFF,
    )


def test_a_booking_in_the_specialists_language_takes_no_interpreter(
    staff_user, centre, consultation
) -> None:
    interpreter(centre, "uk,pl")
    assert _book(consultation, 10, actor=staff_user).interpreter is None


def test_a_booking_is_audited_and_announced(staff_user, consultation, received) -> None:
    appointment = _book(consultation, 10, actor=staff_user)
    entry = AuditEntry.objects.get(action="appointment.booked")
    assert (entry.target_id, received) == (appointment.pk, ["booked"])


def test_a_self_booking_needs_a_proven_phone(consultation) -> None:
    before = rows()
    with pytest.raises(PhoneNotVerified):
        _book(consultation, 10, channel="web")
    assert rows() == before


def test_a_proven_self_booking_is_booked_online(consultation) -> None:
    appointment = _book(consultation, 10, channel="web", verified=True)
    assert appointment.source == AppointmentSource.WEB


def test_one_self_booking_a_day_with_the_specialist(consultation) -> None:
    _book(consultation, 10, channel="web", verified=True)
    with pytest.raises(AlreadyBooked):
        _book(consultation, 11, channel="web", verified=True)


@pytest.mark.parametrize(
    ("hour", "minute", "error"),
    [
        (9, 0, SlotNotFound),  # before the duty hours
        (13, 0, SlotNotFound),  # when they end
        (10, 15, SlotNotFound),  # between two slot starts
    ],
)
def test_a_time_that_is_not_a_slot_is_refused_and_nothing_stored(
    staff_user, consultation, hour, minute, error
) -> None:
    before = rows()
    with pytest.raises(error):
        _book(consultation, hour, minute, actor=staff_user)
    assert rows() == before


def test_a_slot_in_the_past_is_refused_even_to_staff(staff_user, consultation) -> None:
    start = local(consultation, _day(consultation), 10)
    before = rows()
    with time_machine.travel(start + timedelta(minutes=5)), pytest.raises(SlotNotBookable):
        _book(consultation, 10, actor=staff_user)
    assert rows() == before


def test_a_slot_beyond_the_booking_window_is_refused_to_the_person(centre, lawyer) -> None:
    course = slot_course(centre, trainers=[lawyer], booking_window_days=3)
    before = rows()
    with pytest.raises(SlotNotBookable):
        _book(course, 10, channel="web", verified=True)
    assert rows() == before


def test_staff_may_book_beyond_the_window(staff_user, centre, lawyer) -> None:
    course = slot_course(centre, trainers=[lawyer], booking_window_days=3)
    assert _book(course, 10, actor=staff_user).pk is not None


def test_a_slot_after_the_cutoff_is_refused_to_the_person(consultation) -> None:
    start = local(consultation, _day(consultation), 10)
    before = rows()
    with time_machine.travel(start - timedelta(hours=1)), pytest.raises(SlotNotBookable):
        _book(consultation, 10, channel="web", verified=True)
    assert rows() == before


def test_a_language_nobody_covers_is_refused(staff_user, centre, consultation) -> None:
    interpreter(centre, "uk")
    before = rows()
    with pytest.raises(LanguageUnavailable):
        _book(consultation, 10, language="ka", actor=staff_user)
    assert rows() == before


def test_an_unknown_language_is_refused(staff_user, consultation) -> None:
    before = rows()
    with pytest.raises(DomainError):
        _book(consultation, 10, language="xx", actor=staff_user)
    assert rows() == before


def test_a_blocked_slot_is_refused(staff_user, consultation) -> None:
    slot_block(
        session=first_session(consultation),
        starts_at=local(consultation, _day(consultation), 10),
        actor=staff_user,
    )
    before = rows()
    with pytest.raises(SlotBlocked):
        _book(consultation, 10, actor=staff_user)
    assert rows() == before


def test_a_taken_slot_is_refused(staff_user, consultation) -> None:
    _book(consultation, 10, actor=staff_user)
    before = rows()
    with pytest.raises(SlotTaken):
        _book(consultation, 10, n=2, actor=staff_user)
    assert rows() == before


def test_the_only_interpreter_is_never_booked_twice_at_once(staff_user, centre, lawyer) -> None:
    interpreter(centre, "uk")
    one, two = slot_course(centre, trainers=[lawyer]), slot_course(centre, trainers=[lawyer])
    _book(one, 10, language="uk", actor=staff_user)
    with pytest.raises(InterpreterUnavailable):
        _book(two, 10, n=2, language="uk", actor=staff_user)


def test_cancel_frees_the_slot_and_the_interpreter(staff_user, centre, consultation) -> None:
    interpreter(centre, "uk")
    first = _book(consultation, 10, language="uk", actor=staff_user)
    appointment_cancel(appointment=first, actor=staff_user, reason="ill")
    again = _book(consultation, 10, n=2, language="uk", actor=staff_user)
    assert again.interpreter_id == first.interpreter_id


def test_the_person_cannot_cancel_after_the_start(consultation) -> None:
    appointment = _book(consultation, 10, channel="web", verified=True)
    later = appointment.starts_at + timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(DomainError):
        appointment_cancel(appointment=appointment, by_person=True)


def test_move_takes_the_new_slot_and_frees_the_old(staff_user, consultation, received) -> None:
    appointment = _book(consultation, 10, actor=staff_user)
    moved = appointment_move(
        appointment=appointment,
        starts_at=local(consultation, _day(consultation), 11),
        by_person=True,
    )
    free_again = _book(consultation, 10, n=2, actor=staff_user)
    assert (moved.pk, moved.starts_at, free_again.starts_at, received[-2]) == (
        appointment.pk,
        local(consultation, _day(consultation), 11),
        local(consultation, _day(consultation), 10),
        "moved",
    )


def test_a_move_to_a_taken_slot_changes_nothing(staff_user, consultation) -> None:
    appointment = _book(consultation, 10, actor=staff_user)
    _book(consultation, 11, n=2, actor=staff_user)
    with pytest.raises(SlotTaken):
        appointment_move(
            appointment=appointment,
            starts_at=local(consultation, _day(consultation), 11),
            actor=staff_user,
        )
    appointment.refresh_from_db()
    assert (appointment.status, appointment.starts_at) == (
        AppointmentStatus.BOOKED,
        local(consultation, _day(consultation), 10),
    )


def test_a_move_keeps_the_interpreter_when_free(staff_user, centre, consultation) -> None:
    interpreter(centre, "uk", name="A")
    chosen = _book(consultation, 10, language="uk", actor=staff_user).interpreter
    interpreter(centre, "uk", name="B")
    moved = appointment_move(
        appointment=Appointment.objects.get(),
        starts_at=local(consultation, _day(consultation), 12),
        actor=staff_user,
    )
    assert moved.interpreter == chosen


def test_staff_mark_an_appointment_attended_after_its_start(staff_user, consultation) -> None:
    appointment = _book(consultation, 10, actor=staff_user)
    with time_machine.travel(appointment.starts_at + timedelta(minutes=10)):
        marked = appointment_mark(
            appointment=appointment, status=AppointmentStatus.ATTENDED, actor=staff_user
        )
    assert marked.status == AppointmentStatus.ATTENDED


def test_an_appointment_is_not_marked_before_it_starts(staff_user, consultation) -> None:
    appointment = _book(consultation, 10, actor=staff_user)
    with pytest.raises(DomainError):
        appointment_mark(
            appointment=appointment, status=AppointmentStatus.NO_SHOW, actor=staff_user
        )


def test_a_booked_slot_cannot_be_blocked(staff_user, consultation) -> None:
    appointment = _book(consultation, 10, actor=staff_user)
    with pytest.raises(SlotBooked):
        slot_block(session=appointment.session, starts_at=appointment.starts_at, actor=staff_user)


def test_another_centres_staff_cannot_block(other_centre, consultation) -> None:
    from tests.factories import UserFactory

    stranger = UserFactory(username="konin", staff_of=[other_centre])
    with pytest.raises(DomainError):
        slot_block(
            session=first_session(consultation),
            starts_at=local(consultation, _day(consultation), 10),
            actor=stranger,
        )
    assert BlockedSlot.objects.count() == 0


def _fill_day(course: Course, staff_user: Any) -> list[Appointment]:
    return [_book(course, 10 + i // 2, 30 * (i % 2), n=100 + i, actor=staff_user) for i in range(6)]


def test_the_waitlist_is_only_for_a_full_day(staff_user, consultation) -> None:
    someone = Participant.objects.create(centre=consultation.centre, name="X", phone="+48698111111")
    with pytest.raises(DomainError):
        day_waitlist_join(session=first_session(consultation), participant=someone, language="pl")


def test_a_cancel_books_the_freed_slot_for_the_first_person_waiting(
    staff_user, consultation, received
) -> None:
    booked = _fill_day(consultation, staff_user)
    session = first_session(consultation)
    first, second = (
        Participant.objects.create(centre=consultation.centre, name=n, phone=p)
        for n, p in (("A", "+48698111111"), ("B", "+48698111112"))
    )
    day_waitlist_join(session=session, participant=first, language="pl")
    day_waitlist_join(session=session, participant=second, language="pl")
    appointment_cancel(appointment=booked[2], actor=staff_user)
    entry = DayWaitlistEntry.objects.get(participant=first)
    assert (entry.status, entry.appointment.starts_at, received[-1]) == (
        DayWaitlistStatus.BOOKED,
        booked[2].starts_at,
        "offered",
    )


def test_the_freed_slot_goes_to_the_first_person_whose_language_fits(
    staff_user, centre, consultation
) -> None:
    """Nobody interprets Russian then: the person waiting for Polish after them gets it."""
    booked = _fill_day(consultation, staff_user)
    session = first_session(consultation)
    russian, polish = (
        Participant.objects.create(centre=centre, name=n, phone=p)
        for n, p in (("R", "+48698111111"), ("P", "+48698111112"))
    )
    day_waitlist_join(session=session, participant=russian, language="ru")
    day_waitlist_join(session=session, participant=polish, language="pl")
    appointment_cancel(appointment=booked[1], actor=staff_user)
    statuses = {entry.participant_id: entry.status for entry in DayWaitlistEntry.objects.all()}
    assert statuses == {
        russian.pk: DayWaitlistStatus.WAITING,
        polish.pk: DayWaitlistStatus.BOOKED,
    }


def test_a_freed_slot_inside_the_cutoff_is_not_given_out(staff_user, consultation) -> None:
    booked = _fill_day(consultation, staff_user)
    someone = Participant.objects.create(centre=consultation.centre, name="X", phone="+48698111111")
    day_waitlist_join(session=first_session(consultation), participant=someone, language="pl")
    with time_machine.travel(booked[0].starts_at - timedelta(hours=1)):
        appointment_cancel(appointment=booked[0], actor=staff_user)
    assert DayWaitlistEntry.objects.get().status == DayWaitlistStatus.WAITING


def test_unblocking_gives_the_slot_to_the_waitlist(staff_user, consultation) -> None:
    session = first_session(consultation)
    start = local(consultation, _day(consultation), 12, 30)
    slot_block(session=session, starts_at=start, actor=staff_user)
    for i in range(5):
        _book(consultation, 10 + i // 2, 30 * (i % 2), n=200 + i, actor=staff_user)
    someone = Participant.objects.create(centre=consultation.centre, name="X", phone="+48698111111")
    day_waitlist_join(session=session, participant=someone, language="pl")
    slot_unblock(session=session, starts_at=start, actor=staff_user)
    assert Appointment.objects.get(participant=someone).starts_at == start
