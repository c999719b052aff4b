"""Enrolment and the waitlist: confirmed while seats last, then FIFO with staff priority;
a freed seat moves the list by itself (at once, or as an offer that can expire)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.errors import (
    AlreadyEnrolled,
    ConsentRequired,
    DomainError,
    EnrolmentClosed,
    InvalidTransition,
    SessionUnavailable,
)
from courses.models import Enrolment, EnrolmentEvent, EnrolmentStatus, Participant
from courses.phones import InvalidPhone
from courses.selectors.seats import waitlist_position
from courses.services import enrolment as services
from courses.services import offers
from courses.services.catalogue import course_update
from courses.services.participants import ParticipantData, participant_new_token, participant_upsert
from scheduling.services import session_cancel, session_update_details
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, UserFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, capacity=2, start_date=date(2027, 1, 5))


def test_seats_are_confirmed_then_people_wait_in_arrival_order(course) -> None:
    results = EnrolmentFactory.create_batch(5, course=course)
    assert [e.status for e in results] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [waitlist_position(e) for e in results] == [None, None, 1, 2, 3]


def test_staff_priority_goes_first_on_the_waitlist(course) -> None:
    staff = UserFactory(username="desk", staff_of=[course.centre])
    EnrolmentFactory.create_batch(4, course=course)
    urgent = EnrolmentFactory(course=course, source="staff", actor=staff, priority=5)
    assert waitlist_position(urgent) == 1
    anonymous_priority = EnrolmentFactory(course=course, priority=5)  # ignored without staff
    assert waitlist_position(anonymous_priority) == 4


def test_cancelling_a_seat_confirms_the_head_of_the_list_at_once(course) -> None:
    first, _second, head, next_one = EnrolmentFactory.create_batch(4, course=course)
    services.enrolment_cancel(enrolment=first)
    head.refresh_from_db()
    next_one.refresh_from_db()
    assert head.status == EnrolmentStatus.CONFIRMED
    assert waitlist_position(next_one) == 1
    kinds = list(
        EnrolmentEvent.objects.filter(enrolment=head).values_list("to_status", "actor_kind")
    )
    assert kinds == [("waitlisted", "participant"), ("confirmed", "system")]


@time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=WARSAW), tick=False)
def test_offer_mode_holds_the_seat_until_accepted_declined_or_expired(centre) -> None:
    course = CourseFactory(
        centre=centre,
        capacity=1,
        waitlist_mode="offer",
        offer_hours=24,
        start_date=date(2027, 1, 5),
    )
    first, second, third, fourth = EnrolmentFactory.create_batch(4, course=course)
    services.enrolment_cancel(enrolment=first)
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.OFFERED
    assert second.offer_expires_at == datetime(2026, 12, 2, 12, tzinfo=WARSAW)
    newcomer = ParticipantFactory(centre=centre, sms_consent=True)
    assert services.enrolment_create(course=course, participant=newcomer).status == (
        "waitlisted"
    )  # the offered seat is held

    offers.offer_decline(enrolment=second)
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.OFFERED

    with time_machine.travel(datetime(2026, 12, 2, 13, tzinfo=WARSAW), tick=False):
        with pytest.raises(InvalidTransition):
            offers.offer_accept(enrolment=third)  # too late: passes on
        third.refresh_from_db()
        fourth.refresh_from_db()
        assert third.status == EnrolmentStatus.EXPIRED
        assert fourth.status == EnrolmentStatus.OFFERED
        offers.offer_accept(enrolment=fourth)
    fourth.refresh_from_db()
    assert fourth.status == EnrolmentStatus.CONFIRMED


@time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=WARSAW), tick=False)
def test_the_periodic_task_expires_offers_and_passes_them_on(centre) -> None:
    course = CourseFactory(
        centre=centre, capacity=1, waitlist_mode="offer", offer_hours=2, start_date=date(2027, 1, 5)
    )
    first, second, third = EnrolmentFactory.create_batch(3, course=course)
    services.enrolment_cancel(enrolment=first)
    assert offers.offers_expire() == 0
    with time_machine.travel(datetime(2026, 12, 1, 14, 1, tzinfo=WARSAW), tick=False):
        assert offers.offers_expire() == 1
        assert offers.offers_expire() == 0
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("expired", "offered")


def test_leaving_the_waitlist_moves_the_others_up(course) -> None:
    entries = EnrolmentFactory.create_batch(5, course=course)
    services.enrolment_cancel(enrolment=entries[2])
    assert [waitlist_position(Enrolment.objects.get(pk=e.pk)) for e in entries[3:]] == [
        1,
        2,
    ]
    assert Enrolment.objects.filter(status="confirmed").count() == 2


def test_raising_capacity_promotes_as_many_as_fit(course) -> None:
    entries = EnrolmentFactory.create_batch(6, course=course)
    course_update(course=course, capacity=4)
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in entries]
    assert statuses == ["confirmed"] * 4 + ["waitlisted"] * 2


def test_per_session_booking_has_its_own_seats(centre) -> None:
    course = CourseFactory(
        centre=centre, booking_mode="session", capacity=1, start_date=date(2027, 1, 5)
    )
    first, second = course.sessions.order_by("starts_at")[:2]
    both = ParticipantFactory(centre=centre, sms_consent=True)  # in both sessions
    assert EnrolmentFactory(course=course, session=first).status == "confirmed"
    assert EnrolmentFactory(course=course, session=first, participant=both).status == "waitlisted"
    assert EnrolmentFactory(course=course, session=second, participant=both).status == "confirmed"
    session_update_details(session=first, capacity=2)
    assert Enrolment.objects.filter(session=first, status="confirmed").count() == 2
    with pytest.raises(DomainError) as excinfo:
        EnrolmentFactory(course=course)  # no date chosen
    assert excinfo.value.field == "session"


def test_refusals_change_nothing(centre, course) -> None:
    enrolled = EnrolmentFactory(course=course)
    with pytest.raises(AlreadyEnrolled):
        EnrolmentFactory(course=course, participant=enrolled.participant)
    other = ParticipantFactory(centre=centre, sms_consent=True)
    draft = CourseFactory(centre=centre, published=False, start_date=date(2027, 1, 5))
    with pytest.raises(EnrolmentClosed):
        EnrolmentFactory(course=draft, participant=other)
    closed = CourseFactory(centre=centre, enrolment_open=False, start_date=date(2027, 1, 5))
    with pytest.raises(EnrolmentClosed):
        EnrolmentFactory(course=closed, participant=other)
    drop_in = CourseFactory(centre=centre, booking_mode="open", start_date=date(2027, 1, 5))
    with pytest.raises(EnrolmentClosed):
        EnrolmentFactory(course=drop_in, participant=other)
    finished = CourseFactory(centre=centre, start_date=date(2026, 1, 6))
    with pytest.raises(EnrolmentClosed):
        EnrolmentFactory(course=finished, participant=other)
    per_session = CourseFactory(centre=centre, booking_mode="session", start_date=date(2027, 1, 5))
    cancelled = per_session.sessions.order_by("starts_at").first()
    session_cancel(session=cancelled)
    with pytest.raises(SessionUnavailable):
        EnrolmentFactory(course=per_session, participant=other, session=cancelled)
    no_consent = ParticipantFactory(centre=centre, name="X", phone="+48601999999")
    with pytest.raises(ConsentRequired):
        services.enrolment_create(course=course, participant=no_consent)
    assert Enrolment.objects.count() == 1


def test_staff_may_enrol_without_consent_into_a_closed_course(centre) -> None:
    staff = UserFactory(username="desk")
    closed = CourseFactory(centre=centre, enrolment_open=False, start_date=date(2027, 1, 5))
    walk_in = ParticipantFactory(centre=centre, name="Walk In", phone="601 555 444")
    made = services.enrolment_create(
        course=closed, participant=walk_in, source="walk_in", actor=staff
    )
    assert made.status == "confirmed"
    assert made.events.get().actor == staff


def test_the_same_phone_in_the_same_centre_is_the_same_person(centre) -> None:
    first = participant_upsert(
        centre=centre,
        data=ParticipantData(name="Olena", phone="050 123 4567", country="UA"),
    )
    again = participant_upsert(
        centre=centre,
        data=ParticipantData(
            name="Olena K.", phone="+380501234567", language="uk", sms_consent=True
        ),
    )
    assert again.pk == first.pk
    assert again.phone == "+380501234567"
    assert (again.name, again.language, again.sms_consent) == ("Olena", "uk", True)
    assert again.sms_consent_at is not None


@pytest.mark.parametrize(
    ("phone", "country"),
    [("050 123 4567", "PL"), ("22 123 45 67", "PL"), ("hello", "PL"), ("+48 12", "PL")],
)
def test_invalid_or_landline_numbers_are_refused(centre, phone: str, country: str) -> None:
    with pytest.raises(InvalidPhone):
        participant_upsert(
            centre=centre,
            data=ParticipantData(name="X", phone=phone, country=country),
        )
    assert not Participant.objects.exists()


def test_new_personal_link_replaces_the_old_one(centre) -> None:
    participant = ParticipantFactory(centre=centre, sms_consent=True)
    old = participant.token
    participant_new_token(participant=participant)
    assert participant.token != old
    assert not Participant.objects.filter(token=old).exists()
