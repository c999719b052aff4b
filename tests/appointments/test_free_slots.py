"""Free slots by language: the specialist's own languages, an interpreter's duty hours, an
interpreter booked elsewhere in the network, taken and blocked slots."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from appointments.models import BlockedSlot
from appointments.selectors.slots import day_slots, free_slots
from appointments.services.booking import appointment_book
from courses.models import Course
from scheduling.models import SessionStatus
from tests.appointments.helpers import interpreter, local, person, slot_course, specialist
from tests.factories import CentreFactory, first_session

pytestmark = pytest.mark.django_db


def _free(course: Course, language: str) -> list[Any]:
    now = timezone.now()
    return free_slots(courses=[course], language=language, start=now, end=now + timedelta(days=60))


def _day(course: Course) -> Any:
    return first_session(course).starts_at.astimezone(course.centre.tz).date()


def test_a_polish_speaking_lawyer_offers_every_slot_in_polish(consultation: Course) -> None:
    assert len(_free(consultation, "pl")) == 4 * 6


def test_without_an_interpreter_no_slot_is_offered_in_ukrainian(consultation: Course) -> None:
    assert _free(consultation, "uk") == []


def test_an_interpreter_makes_the_slots_inside_their_hours_bookable(centre, consultation) -> None:
    interpreter(centre, "uk", start=time(11), end=time(12))
    slots = _free(consultation, "uk")
    assert {s.starts_at.astimezone(centre.tz).strftime("%H:%M") for s in slots} == {
        "11:00",
        "11:30",
    }


def test_slots_needing_an_interpreter_say_so(centre, consultation) -> None:
    interpreter(centre, "uk")
    assert {s.interpreter for s in _free(consultation, "uk")} == {True}


def test_a_specialist_speaking_the_language_needs_no_interpreter(centre) -> None:
    course = slot_course(centre, trainers=[specialist("prawniczka", "pl", "uk")])
    assert {s.interpreter for s in _free(course, "uk")} == {False}


def test_an_interpreter_booked_at_another_centre_of_the_network_is_not_free(staff_user) -> None:
    poznan = CentreFactory(slug="p", network="CIC")
    konin = CentreFactory(slug="k", network="CIC")
    poznan.staff.add(staff_user)
    one = slot_course(poznan, trainers=[specialist("a")])
    other = slot_course(konin, trainers=[specialist("b")])
    olena = interpreter(poznan, "uk")
    olena.hours.create(centre=konin, weekday=1, starts_at=time(9), ends_at=time(14))
    day = _day(one)
    appointment_book(
        course=one,
        starts_at=local(one, day, 10),
        language="uk",
        person=person(1),
        actor=staff_user,
        channel="desk",
    )
    taken = {s.starts_at for s in _free(other, "uk")}
    assert local(other, day, 10) not in taken


def test_an_interpreter_of_another_network_is_never_offered(centre) -> None:
    elsewhere = CentreFactory(slug="x", network="Caritas")
    course = slot_course(centre)
    found = interpreter(elsewhere, "uk")
    found.hours.create(centre=centre, weekday=1, starts_at=time(9), ends_at=time(14))
    assert _free(course, "uk") == []


def test_booked_and_blocked_slots_are_not_free(staff_user, consultation) -> None:
    day = _day(consultation)
    appointment_book(
        course=consultation,
        starts_at=local(consultation, day, 10),
        language="pl",
        person=person(1),
        actor=staff_user,
        channel="desk",
    )
    BlockedSlot.objects.create(
        session=first_session(consultation), starts_at=local(consultation, day, 10, 30)
    )
    assert len(_free(consultation, "pl")) == 4 * 6 - 2


def test_a_cancelled_session_offers_no_slots(consultation: Course) -> None:
    session = first_session(consultation)
    session.status = SessionStatus.CANCELLED
    session.save()
    assert len(_free(consultation, "pl")) == 3 * 6


def test_slots_beyond_the_booking_window_are_not_offered(centre, lawyer) -> None:
    course = slot_course(centre, trainers=[lawyer], booking_window_days=5)
    assert _free(course, "pl") == []  # the first duty hours are a week ahead or more


def test_the_day_view_shows_booked_blocked_and_free_slots(staff_user, centre, consultation) -> None:
    interpreter(centre, "uk")
    day = _day(consultation)
    appointment_book(
        course=consultation,
        starts_at=local(consultation, day, 10),
        language="uk",
        person=person(1),
        actor=staff_user,
        channel="desk",
    )
    session = first_session(consultation)
    BlockedSlot.objects.create(session=session, starts_at=local(consultation, day, 12))
    states = [slot.state for slot in day_slots(session=session)]
    assert states == ["booked", "free", "free", "free", "blocked", "free"]


def test_free_slots_cost_the_same_queries_for_one_course_or_many(
    centre, django_assert_num_queries
) -> None:
    one = [slot_course(centre, trainers=[specialist("s0", "en")])]
    interpreter(centre, "uk")
    now = timezone.now()
    with django_assert_num_queries(7) as first:
        free_slots(courses=one, language="uk", start=now, end=now + timedelta(days=60))
    many = [slot_course(centre, trainers=[specialist(f"s{n}", "ru")]) for n in range(1, 5)]
    for n in range(3):
        interpreter(centre, "uk,ka", name=f"T{n}")
    with django_assert_num_queries(len(first.captured_queries)):
        free_slots(courses=one + many, language="uk", start=now, end=now + timedelta(days=60))
