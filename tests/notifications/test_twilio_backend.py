"""The Twilio backend through the real SDK against a local double of Twilio's Messages API:
what is sent, how each answer is classified, and what the dispatcher makes of it."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from courses.services import enrolment as enrolments
from courses.services.participants import ParticipantData, participant_upsert
from notifications.backends import AmbiguousError, PermanentError, TransientError, _backend, twilio
from notifications.backends import get_backend as backend_in_use
from notifications.backends.twilio import TwilioBackend
from notifications.models import MessageKind, MessageStatus, OutboundMessage, PhoneOptOut
from notifications.segments import sms_size
from notifications.services import dispatch, optout
from tests.factories import CourseFactory
from tests.notifications import twilio_double
from tests.notifications.twilio_double import TwilioDouble

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "secret"
SERVICE_SID = "MG" + "2" * 32
PUBLIC_BASE_URL = "https://zapisy.example.org"
CALLBACK = PUBLIC_BASE_URL + "/hooks/twilio/status/"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
CLIENT_TIMEOUT = 0.5  # seconds; the double's slow answers take longer
WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 12, 1, 12, tzinfo=WARSAW)  # the course starts on Tuesday 5 January 2027


@pytest.fixture
def double() -> Iterator[TwilioDouble]:
    server = TwilioDouble(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, slow_seconds=3)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _twilio_settings(settings, double: TwilioDouble) -> Iterator[None]:
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE_SID
    settings.TWILIO_FROM = ""
    settings.TWILIO_API_BASE_URL = double.base_url
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.SMS_QUIET_HOURS = "08:00-21:00"
    _backend.cache_clear()  # get_backend() keeps one backend per name: none from other tests
    yield
    _backend.cache_clear()  # nor one of this test (its double is gone) for the next


def backend() -> TwilioBackend:
    """A backend built from the current settings, not waiting long for answers."""
    made = TwilioBackend()
    made.client.http_client.timeout = CLIENT_TIMEOUT
    return made


def send(to: str = "+48601000001", body: str = "Zażółć gęślą jaźń – СТОП", **kwargs):
    kwargs.setdefault("validity_seconds", 600)
    kwargs.setdefault("status_callback", CALLBACK)
    return backend().send(to=to, body=body, **kwargs)


# --- the backend ------------------------------------------------------------------------------


def test_a_message_goes_through_the_sdk_with_the_messaging_service(double) -> None:
    result = send(to="+48601000001", body="Zażółć gęślą jaźń – СТОП", validity_seconds=600)

    [request] = double.received
    assert request.path == MESSAGES_PATH
    assert (request.username, request.password) == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.fields == {
        "To": "+48601000001",
        "Body": "Zażółć gęślą jaźń – СТОП",
        "MessagingServiceSid": SERVICE_SID,
        "StatusCallback": CALLBACK,
        "ValidityPeriod": "600",
    }
    [created] = double.created
    assert result.provider_id == created["sid"]
    assert result.provider_id.startswith("SM")
    assert result.status == "accepted"


def test_without_a_messaging_service_the_from_number_sends(settings, double) -> None:
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_FROM = twilio_double.TEST_FROM

    result = send(validity_seconds=None)

    [request] = double.received
    assert request.fields["From"] == twilio_double.TEST_FROM
    assert "MessagingServiceSid" not in request.fields
    assert "ValidityPeriod" not in request.fields  # no expiry: Twilio's default applies
    assert request.fields["StatusCallback"] == CALLBACK
    assert result.status == "queued"
    assert result.provider_id == double.created[0]["sid"]


@pytest.mark.parametrize(
    ("validity", "sent"),
    [(0, "1"), (1, "1"), (3600, "3600"), (36000, "36000"), (100000, "36000")],
)
def test_the_validity_period_stays_within_twilios_limits(double, validity, sent) -> None:
    send(validity_seconds=validity)

    assert double.received[0].fields["ValidityPeriod"] == sent


@pytest.mark.parametrize(
    "missing",
    ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_MESSAGING_SERVICE_SID"],
)
def test_the_backend_refuses_to_start_without_credentials_or_a_sender(settings, missing) -> None:
    setattr(settings, missing, "")  # TWILIO_FROM is empty too

    with pytest.raises(ValueError, match="SMS_BACKEND=twilio needs"):
        TwilioBackend()


@pytest.mark.parametrize(
    ("to", "error", "code"),
    [
        (twilio_double.INVALID_NUMBER, PermanentError, "21211"),
        (twilio_double.UNSUBSCRIBED_NUMBER, PermanentError, "21610"),
        (twilio_double.NOT_MOBILE_NUMBER, PermanentError, "21614"),
        (twilio_double.RATE_LIMITED_NUMBER, TransientError, "20429"),
        (twilio_double.SERVER_ERROR_NUMBER, TransientError, "20500"),
    ],
)
def test_twilio_errors_are_classified(double, to, error, code) -> None:
    with pytest.raises(error) as caught:
        send(to=to)

    assert type(caught.value) is error
    assert caught.value.code == code
    assert len(double.posts(to)) == 1  # the SDK does not retry by itself


@pytest.mark.parametrize(
    ("to", "reason"),
    [
        (twilio_double.INVALID_NUMBER, "invalid"),
        (twilio_double.UNSUBSCRIBED_NUMBER, "stop"),  # START by SMS lifts it
        (twilio_double.NOT_MOBILE_NUMBER, "invalid"),
    ],
)
def test_a_refusal_for_the_number_says_why_it_goes_on_the_opt_out_list(double, to, reason) -> None:
    with pytest.raises(PermanentError) as caught:
        send(to=to)

    assert caught.value.opt_out == reason


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("21211", "invalid"),
        ("21614", "invalid"),
        ("30006", "invalid"),
        ("21610", "stop"),
        ("30003", ""),  # handset off: passing
        ("30008", ""),
        ("20003", ""),  # the account, not the number
        ("", ""),
    ],
)
def test_the_readmes_codes_say_what_they_say_about_the_number(code, reason) -> None:
    assert twilio.opt_out_reason(code) == reason


def test_a_read_timeout_is_ambiguous_because_twilio_may_have_the_message(double) -> None:
    with pytest.raises(AmbiguousError) as caught:
        send(to=twilio_double.SLOW_NUMBER)

    assert caught.value.code == "timeout"
    assert len(double.posts(twilio_double.SLOW_NUMBER)) == 1  # it did arrive


def test_a_refused_connection_is_transient(settings) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(TransientError) as caught:
        send()

    assert caught.value.code == "network"


# --- the dispatcher through Twilio ------------------------------------------------------------


@pytest.fixture
def course(centre):
    with time_machine.travel(NOW, tick=True):
        yield CourseFactory(centre=centre, start_date=date(2027, 1, 5), title_pl="Język polski A1")


def enrol(course, phone: str, language: str = "pl") -> OutboundMessage:
    """A self-enrolment with SMS consent: its confirmation is planned in the outbox."""
    person = participant_upsert(
        centre=course.centre,
        data=ParticipantData(name="Olena Kowal", phone=phone, language=language, sms_consent=True),
    )
    enrolment = enrolments.enrolment_create(course=course, participant=person)
    return OutboundMessage.objects.get(
        enrolment=enrolment, kind=MessageKind.ENROLMENT_CONFIRMED, status=MessageStatus.PENDING
    )


def test_the_dispatcher_sends_through_twilio(course, double) -> None:
    message = enrol(course, "+48601000001")

    result = dispatch.dispatch_pass()

    assert result.sent == 1
    message.refresh_from_db()
    [request] = double.received
    [created] = double.created
    assert message.status == MessageStatus.SENT
    assert message.provider_id == created["sid"]
    assert message.attempts == 1
    assert message.sent_at is not None
    assert request.fields == {
        "To": "+48601000001",
        "Body": message.body,
        "MessagingServiceSid": SERVICE_SID,
        "StatusCallback": CALLBACK,
    }  # a confirmation does not expire: no ValidityPeriod
    assert "Język polski A1" in message.body
    size = sms_size(message.body)
    assert (message.segments, message.encoding) == (size.segments, "UCS-2")  # ę is not GSM-7
    assert message.segments >= 1


def test_an_invalid_number_fails_and_is_flagged(course, double) -> None:
    double.behaviours["+48601000002"] = twilio_double.INVALID
    message = enrol(course, "+48601000002")

    result = dispatch.dispatch_pass()
    dispatch.dispatch_pass(now=timezone.now() + timedelta(hours=1))

    assert result.failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error_code == "21211"
    assert message.provider_id == ""
    opt_out = PhoneOptOut.objects.get(phone="+48601000002")
    assert opt_out.reason == "invalid"
    assert opt_out.detail == "provider error 21211"
    assert len(double.posts("+48601000002")) == 1  # never tried again


def test_a_number_that_said_stop_to_twilio_is_opted_out_until_it_says_start(course, double) -> None:
    double.behaviours["+48601000007"] = twilio_double.UNSUBSCRIBED
    message = enrol(course, "+48601000007")

    result = dispatch.dispatch_pass()

    assert result.failed == 1
    message.refresh_from_db()
    assert (message.status, message.error_code) == (MessageStatus.FAILED, "21610")
    opt_out = PhoneOptOut.objects.get(phone="+48601000007")
    assert (opt_out.reason, opt_out.detail) == ("stop", "provider error 21610")
    assert optout.phone_opt_in(phone="+48601000007")  # what an incoming START does


@pytest.mark.parametrize(
    ("behaviour", "code"),
    [(twilio_double.RATE_LIMITED, "20429"), (twilio_double.SERVER_ERROR, "20500")],
)
def test_a_rate_limit_or_server_error_puts_the_message_back_for_later(
    course, double, behaviour, code
) -> None:
    double.behaviours["+48601000003"] = behaviour
    message = enrol(course, "+48601000003")
    now = timezone.now()

    result = dispatch.dispatch_pass(now=now)

    assert result.retried == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert message.error_code == code
    assert message.claimed_at is None
    assert now + timedelta(seconds=15) <= message.due_at <= now + timedelta(seconds=31)
    assert not PhoneOptOut.objects.exists()

    dispatch.dispatch_pass(now=now + timedelta(seconds=5))  # not due yet
    assert len(double.posts("+48601000003")) == 1

    double.behaviours["+48601000003"] = twilio_double.ACCEPT  # Twilio recovers
    dispatch.dispatch_pass(now=message.due_at)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.provider_id == double.created[0]["sid"]
    assert message.error_code == ""  # the first attempt's error is not the sent message's
    assert len(double.posts("+48601000003")) == 2


def test_a_timeout_is_settled_by_asking_twilio_and_never_resent(course, double) -> None:
    """Twilio got the request and created the message, but answered after the client gave up:
    the message is `unknown`, then found by listing Twilio's messages to the number."""
    double.behaviours["+48601000004"] = twilio_double.SLOW
    backend_in_use().client.http_client.timeout = CLIENT_TIMEOUT  # the dispatcher's own backend
    message = enrol(course, "+48601000004")

    result = dispatch.dispatch_pass()

    assert result.unknown == 1
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == ("unknown", "timeout", 1)
    give_up = time.monotonic() + 10
    while not double.created_for("+48601000004"):  # the double answers after 3 s
        assert time.monotonic() < give_up
        time.sleep(0.05)

    later = dispatch.dispatch_pass(now=timezone.now() + timedelta(hours=1))

    assert (later.settled, later.sent) == (1, 0)
    message.refresh_from_db()
    [created] = double.created
    assert (message.status, message.provider_id) == (MessageStatus.SENT, created["sid"])
    assert message.error_code == ""
    assert message.sent_at is not None
    assert len(double.posts("+48601000004")) == 1  # exactly one SMS
    [lookup] = [r for r in double.to("+48601000004") if r.method == "GET"]
    assert lookup.fields["To"] == "+48601000004"
    assert "DateSent>" in lookup.fields
    assert not PhoneOptOut.objects.exists()


def test_a_connection_dropped_before_twilio_created_it_is_sent_once_after_the_safe_delay(
    course, double, settings
) -> None:
    double.behaviours["+48601000005"] = twilio_double.HANG_UP
    message = enrol(course, "+48601000005")
    settle_after = timedelta(seconds=settings.SMS_UNKNOWN_SETTLE_AFTER_SECONDS)

    dispatch.dispatch_pass()
    double.behaviours["+48601000005"] = twilio_double.ACCEPT
    soon = dispatch.dispatch_pass(now=timezone.now() + settle_after / 2)

    message.refresh_from_db()
    assert soon.settled == soon.sent == 0
    assert message.status == MessageStatus.UNKNOWN  # Twilio may not list it yet: wait
    assert len(double.posts("+48601000005")) == 1

    later = dispatch.dispatch_pass(now=timezone.now() + settle_after + timedelta(seconds=5))

    message.refresh_from_db()
    assert (later.retried, later.sent) == (1, 1)
    [created] = double.created
    assert (message.status, message.provider_id) == (MessageStatus.SENT, created["sid"])
    assert (message.attempts, message.error_code) == (2, "")
    assert len(double.posts("+48601000005")) == 2  # the first never reached a message


def test_an_account_error_does_not_flag_the_recipients_phone(settings, course, double) -> None:
    settings.TWILIO_AUTH_TOKEN = "rotated-token"  # Twilio answers 401, code 20003
    message = enrol(course, "+48601000006")

    dispatch.dispatch_pass()

    message.refresh_from_db()
    assert double.received  # Twilio refused it
    assert message.status != MessageStatus.SENT
    assert not PhoneOptOut.objects.filter(phone="+48601000006").exists()
