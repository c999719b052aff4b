"""Twilio down for a while (5xx, 429, no answer), then back: what participants get.

The dispatcher runs every minute on a moving clock (time_machine) against the local Twilio double
spoken to by the real SDK; the double records every message it created, so "exactly once" is
what a phone would show. Each test fails without the protection it names.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Enrolment
from courses.services import enrolment as enrolments
from courses.services.participants import ParticipantData, participant_upsert
from notifications.backends import _backend
from notifications.backends import get_backend as backend_in_use
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch
from scheduling import services as sessions
from tests.factories import CourseFactory
from tests.notifications import twilio_double
from tests.notifications.twilio_double import TwilioDouble

ACCOUNT_SID = "AC" + "3" * 32
AUTH_TOKEN = "secret"
SERVICE_SID = "MG" + "4" * 32
CLIENT_TIMEOUT = 0.3  # seconds; the double's slow answers take longer
WARSAW = ZoneInfo("Europe/Warsaw")
START = datetime(2026, 12, 1, 12, tzinfo=WARSAW)  # the course starts on Tuesday 5 January 2027
MINUTE = timedelta(minutes=1)


@pytest.fixture
def double() -> Iterator[TwilioDouble]:
    server = TwilioDouble(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, slow_seconds=0.6)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def clock(settings: Any, double: TwilioDouble) -> Iterator[time_machine.Coordinates]:
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE_SID
    settings.TWILIO_FROM = ""
    settings.TWILIO_API_BASE_URL = double.base_url
    settings.PUBLIC_BASE_URL = "https://zapisy.example.org"
    settings.SMS_QUIET_HOURS = ""
    _backend.cache_clear()
    backend_in_use().client.http_client.timeout = CLIENT_TIMEOUT
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller
    _backend.cache_clear()


def enrol(course: Any, n: int) -> Enrolment:
    person = participant_upsert(
        centre=course.centre,
        data=ParticipantData(
            name=f"Osoba {n}", phone=f"+4860200{n:04d}", language="pl", sms_consent=True
        ),
    )
    return enrolments.enrolment_create(course=course, participant=person)


def every_minute(clock: time_machine.Coordinates, minutes: int) -> None:
    """The beat: one dispatcher pass a minute, `minutes` times."""
    for _ in range(minutes):
        dispatch.dispatch_pass()
        clock.shift(MINUTE)


def created_at(message: dict[str, Any]) -> datetime:
    return parsedate_to_datetime(message["date_created"])


def wait_created(double: TwilioDouble, phone: str) -> None:
    give_up = time.monotonic() + 10
    while not double.created_for(phone):
        assert time.monotonic() < give_up, f"the double never created the SMS to {phone}"
        time.sleep(0.05)


@pytest.mark.parametrize(
    "failure", [twilio_double.SERVER_ERROR, twilio_double.RATE_LIMITED, twilio_double.SLOW]
)
def test_a_twilio_outage_of_20_minutes_still_delivers_every_notice_once(
    clock, double, centre, failure
) -> None:
    """Found: after 6 attempts (about 13 minutes) a notice was `failed` for good. Now it is
    tried until it is no longer useful, at most SMS_RETRY_BACKOFF_MAX_SECONDS apart, so it
    arrives soon after Twilio is back. With timeouts, Twilio creates the message but the
    answer never comes: it is found by asking, and not sent a second time."""
    course = CourseFactory(centre=centre, capacity=3, start_date=date(2027, 1, 5))
    people = [enrol(course, n).participant for n in (1, 2, 3)]
    back_at = START + timedelta(minutes=20)
    double.down(failure, until=back_at.timestamp())

    every_minute(clock, 35)

    for person in people:
        [sms] = double.created_for(person.phone)  # exactly one SMS each
        message = OutboundMessage.objects.get(
            participant=person, kind=MessageKind.ENROLMENT_CONFIRMED
        )
        assert message.status == MessageStatus.SENT
        assert message.provider_id == sms["sid"]
        assert message.error_code == ""
        if failure == twilio_double.SLOW:  # created during the outage, found once it ended
            assert message.attempts == 1
        else:
            assert message.attempts > 6
            assert back_at <= created_at(sms) <= back_at + timedelta(minutes=6)
            assert message.sent_at == created_at(sms)


def test_a_notice_about_a_session_is_not_sent_once_the_session_has_started(
    clock, double, centre
) -> None:
    """A moved session starts 30 minutes from now, and Twilio is down for 45: the notice of
    the move is given up, not delivered after the class began."""
    course = CourseFactory(centre=centre, capacity=3, start_date=date(2027, 1, 5))
    person = enrol(course, 1).participant
    dispatch.dispatch_pass()  # the confirmation goes while Twilio is up
    session = course.sessions.order_by("starts_at").first()
    new_start = START + timedelta(minutes=30)
    sessions.session_move(
        session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )
    double.down(twilio_double.SERVER_ERROR, until=(START + timedelta(minutes=45)).timestamp())

    every_minute(clock, 60)

    moved = OutboundMessage.objects.get(participant=person, kind=MessageKind.SESSION_MOVED)
    assert moved.status in (MessageStatus.FAILED, MessageStatus.SKIPPED)
    assert moved.sent_at is None
    assert [sms["body"] for sms in double.created_for(person.phone)] == [
        OutboundMessage.objects.get(participant=person, kind=MessageKind.ENROLMENT_CONFIRMED).body
    ]
    assert moved.status_changed_at <= new_start  # it stopped being tried by the session's start


def test_a_notice_older_than_the_maximum_age_is_given_up(clock, double, centre, settings) -> None:
    settings.SMS_RETRY_MAX_AGE_HOURS = 1
    course = CourseFactory(centre=centre, capacity=1, start_date=date(2027, 1, 5))
    enrol(course, 1)
    waiting = enrol(course, 2).participant
    OutboundMessage.objects.filter(kind=MessageKind.ENROLMENT_CONFIRMED).update(
        status=MessageStatus.CANCELLED
    )
    double.down(twilio_double.SERVER_ERROR, until=(START + timedelta(minutes=90)).timestamp())

    every_minute(clock, 120)

    notice = OutboundMessage.objects.get(participant=waiting, kind=MessageKind.WAITLISTED)
    assert (notice.status, notice.error_code) == (MessageStatus.FAILED, "20500")
    assert notice.status_changed_at <= START + timedelta(hours=1)
    assert double.created == []  # "you are on the waitlist" is not sent 90 minutes late


def test_an_unknown_message_stays_unknown_while_twilio_cannot_be_asked(
    clock, double, centre, settings
) -> None:
    """The send timed out (Twilio created the message), then Twilio's API is down for longer
    than the safe delay: not being able to ask is not "not found", so it is never resent; once
    Twilio answers, the message is recorded as sent with its sid."""
    course = CourseFactory(centre=centre, capacity=3, start_date=date(2027, 1, 5))
    person = enrol(course, 1).participant
    double.behaviours[person.phone] = twilio_double.SLOW
    dispatch.dispatch_pass()
    message = OutboundMessage.objects.get(participant=person)
    assert message.status == MessageStatus.UNKNOWN
    wait_created(double, person.phone)  # the double answers late, but it did create it
    double.behaviours[person.phone] = twilio_double.ACCEPT
    down_for = timedelta(seconds=settings.SMS_UNKNOWN_SETTLE_AFTER_SECONDS) * 2
    double.down(twilio_double.SERVER_ERROR, until=(START + down_for).timestamp())

    every_minute(clock, int(down_for / MINUTE) - 1)

    message.refresh_from_db()
    assert message.status == MessageStatus.UNKNOWN
    lookups = [r for r in double.to(person.phone) if r.method == "GET"]
    assert len(lookups) >= 10  # asked on every pass
    assert len(double.posts(person.phone)) == 1

    every_minute(clock, 3)

    message.refresh_from_db()
    [sms] = double.created_for(person.phone)
    assert (message.status, message.provider_id, message.error_code) == ("sent", sms["sid"], "")
    assert len(double.posts(person.phone)) == 1
