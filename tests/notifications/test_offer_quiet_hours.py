"""A seat offered during the SMS quiet hours: its SMS goes when they end, and its deadline
counts from the sending, so it never runs out during the night. The confirmation, promotion
and offer SMS name the centre and the first session's day and time, with a link in the
person's language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment as enrolments
from courses.services import offers
from courses.services.participants import ParticipantData, participant_upsert
from notifications.backends import memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch
from tests.factories import CourseFactory

WARSAW = ZoneInfo("Europe/Warsaw")
EVENING = datetime(2027, 1, 1, 22, 40, tzinfo=WARSAW)  # after the 21:00 end of the window
MORNING = datetime(2027, 1, 2, 8, 0, tzinfo=WARSAW)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_backend(settings):
    settings.SMS_BACKEND = "memory"
    settings.SMS_QUIET_HOURS = "08:00-21:00"
    memory.outbox.clear()


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre,
        capacity=1,
        waitlist_mode="offer",
        offer_hours=12,
        start_date=date(2027, 1, 12),
        title_uk="Польська A1",
    )


def enrol(course, n: int, language: str = "uk") -> Enrolment:
    person = participant_upsert(
        centre=course.centre,
        data=ParticipantData(
            name=f"Osoba {n}", phone=f"+4860100{n:04d}", language=language, sms_consent=True
        ),
    )
    return enrolments.enrolment_create(course=course, participant=person)


def offer_at(course, moment: datetime) -> Enrolment:
    with time_machine.travel(moment - timedelta(hours=3), tick=False):
        seat, waiting = enrol(course, 1), enrol(course, 2)
        dispatch.dispatch_pass()  # their confirmation and waitlist SMS
    memory.outbox.clear()
    with time_machine.travel(moment, tick=False):
        enrolments.enrolment_cancel(enrolment=seat)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.OFFERED
    return waiting


def offer_sms(enrolment: Enrolment) -> OutboundMessage:
    return OutboundMessage.objects.get(enrolment=enrolment, kind=MessageKind.OFFER_MADE)


def test_an_offer_made_at_night_goes_in_the_morning_and_counts_from_then(course) -> None:
    offered = offer_at(course, EVENING)
    assert offered.offer_expires_at == MORNING + timedelta(hours=12)  # not 10:40 tomorrow
    message = offer_sms(offered)
    assert message.due_at == MORNING

    with time_machine.travel(EVENING + timedelta(minutes=5), tick=False):
        assert dispatch.dispatch_pass().sent == 0
    with time_machine.travel(datetime(2027, 1, 2, 3, tzinfo=WARSAW), tick=False):
        assert offers.offers_expire() == 0  # the night passes: nothing runs out
        assert dispatch.dispatch_pass().sent == 0
    assert memory.outbox == []

    sending = MORNING + timedelta(minutes=7)  # the dispatcher's pass comes a little later
    with time_machine.travel(sending, tick=False):
        assert dispatch.dispatch_pass().sent == 1
    offered.refresh_from_db()
    assert offered.offer_expires_at == sending + timedelta(hours=12)
    message.refresh_from_db()
    assert message.expires_at == offered.offer_expires_at
    [sms] = memory.outbox
    assert "2.01 20:07" in sms.body  # the deadline the person reads is the real one
    assert sms.body.endswith("?lang=uk")

    with time_machine.travel(MORNING + timedelta(hours=12, minutes=1), tick=False):
        assert offers.offers_expire() == 0  # twelve hours from the SMS, not from 08:00
    with time_machine.travel(sending + timedelta(hours=12), tick=False):
        assert offers.offers_expire() == 1


def test_an_offer_by_day_goes_at_once_with_the_course_hours(course) -> None:
    noon = datetime(2027, 1, 4, 12, tzinfo=WARSAW)
    offered = offer_at(course, noon)
    assert offered.offer_expires_at == noon + timedelta(hours=12)
    assert offer_sms(offered).due_at == noon
    with time_machine.travel(noon, tick=False):
        assert dispatch.dispatch_pass().sent == 1
    offered.refresh_from_db()
    assert offered.offer_expires_at == noon + timedelta(hours=12)


def test_an_offer_waiting_past_the_window_waits_again_rather_than_being_skipped(
    course,
) -> None:
    course.offer_hours = 48
    course.save(update_fields=["offer_hours"])
    noon = datetime(2027, 1, 4, 12, tzinfo=WARSAW)
    offered = offer_at(course, noon)
    late = datetime(2027, 1, 4, 21, 30, tzinfo=WARSAW)  # the dispatcher was down until then
    with time_machine.travel(late, tick=False):
        assert dispatch.dispatch_pass().sent == 0
    message = offer_sms(offered)
    assert message.status == MessageStatus.PENDING
    assert message.due_at == datetime(2027, 1, 5, 8, tzinfo=WARSAW)
    with time_machine.travel(datetime(2027, 1, 5, 8, 1, tzinfo=WARSAW), tick=False):
        assert dispatch.dispatch_pass().sent == 1
    offered.refresh_from_db()
    assert offered.offer_expires_at == datetime(2027, 1, 7, 8, 1, tzinfo=WARSAW)


def test_an_offer_answered_before_the_morning_is_not_sent(course) -> None:
    offered = offer_at(course, EVENING)
    with time_machine.travel(EVENING + timedelta(minutes=30), tick=False):
        offers.offer_decline(enrolment=offered)
    with time_machine.travel(MORNING, tick=False):
        dispatch.dispatch_pass()
    assert offer_sms(offered).status == MessageStatus.SKIPPED
    assert not [s for s in memory.outbox if "до" in s.body and s.to == "+48601000002"]


def test_a_fixed_deadline_is_not_moved(course) -> None:
    """An offer with a deadline of its own (a new term's invitation) keeps it."""
    offered = offer_at(course, EVENING)
    offered.offer_expires_at = datetime(2027, 1, 3, 23, 59, tzinfo=WARSAW)
    offered.save(update_fields=["offer_expires_at"])
    message = offer_sms(offered)
    message.context = {k: v for k, v in message.context.items() if k != "offer_hours"}
    message.save(update_fields=["context"])
    with time_machine.travel(MORNING, tick=False):
        assert dispatch.dispatch_pass().sent == 1
    offered.refresh_from_db()
    assert offered.offer_expires_at == datetime(2027, 1, 3, 23, 59, tzinfo=WARSAW)


def test_confirmation_names_the_centre_and_the_first_sessions_day_and_time(course) -> None:
    with time_machine.travel(datetime(2027, 1, 4, 12, tzinfo=WARSAW), tick=False):
        enrol(course, 1, language="uk")
        assert dispatch.dispatch_pass().sent == 1
    [sms] = memory.outbox
    assert "CIC Poznań" in sms.body
    assert "12.01 18:00" in sms.body  # Tuesday 12 January, the first session
    assert "Польська A1" in sms.body
    assert "?lang=uk" in sms.body
