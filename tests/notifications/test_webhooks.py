"""Twilio's webhooks, signed exactly as Twilio signs them: delivery reports (idempotent, never
backwards) and incoming SMS (STOP/START in the languages participants write in)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from twilio.request_validator import RequestValidator

from courses.models import Participant
from courses.services import enrolment as enrolments
from courses.services.participants import ParticipantData, participant_upsert
from notifications import views
from notifications.backends import _backend, memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage, PhoneOptOut
from notifications.services import dispatch, optout
from tests.factories import CourseFactory

PUBLIC_BASE_URL = "https://zapisy.example.org"
AUTH_TOKEN = "secret"
ACCOUNT_SID = "AC" + "1" * 32
SERVICE_SID = "MG" + "2" * 32
OUR_NUMBER = "+48732100200"
STATUS = "/hooks/twilio/status/"
INBOUND = "/hooks/twilio/inbound/"
STOPPED = "You will get no more SMS from us. Send START to get them again."
RESTARTED = "SMS are on again. Send STOP to stop them."
WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 12, 1, 12, tzinfo=WARSAW)  # the course starts on Tuesday 5 January 2027
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _twilio(settings) -> Iterator[None]:
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SMS_BACKEND = "memory"
    settings.SMS_QUIET_HOURS = "08:00-21:00"
    _backend.cache_clear()
    memory.outbox.clear()
    with time_machine.travel(NOW, tick=True):
        yield
    _backend.cache_clear()


def sign(path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params)


def post(client, path: str, params: dict[str, str], signature: str | None = ""):
    """POST a form like Twilio; signature "" signs it right, None sends no signature."""
    if signature == "":
        signature = sign(path, params)
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    return client.post(
        path,
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def person(centre, phone: str, language: str = "pl") -> Participant:
    return participant_upsert(
        centre=centre,
        data=ParticipantData(name="Olena Kowal", phone=phone, language=language, sms_consent=True),
    )


def enrol(course, participant: Participant) -> OutboundMessage:
    enrolment = enrolments.enrolment_create(course=course, participant=participant)
    return OutboundMessage.objects.get(enrolment=enrolment, kind=MessageKind.ENROLMENT_CONFIRMED)


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, start_date=date(2027, 1, 5))


@pytest.fixture
def message(course) -> OutboundMessage:
    """A confirmation the dispatcher has handed to the provider."""
    planned = enrol(course, person(course.centre, "+48601000001"))
    dispatch.dispatch_pass()
    planned.refresh_from_db()
    assert planned.status == MessageStatus.SENT
    assert planned.provider_id
    return planned


def report(message: OutboundMessage, status: str, error_code: str = "") -> dict[str, str]:
    """A delivery report as Twilio posts it."""
    params = {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "From": OUR_NUMBER,
        "MessageSid": message.provider_id,
        "MessageStatus": status,
        "MessagingServiceSid": SERVICE_SID,
        "SmsSid": message.provider_id,
        "SmsStatus": status,
        "To": message.phone,
    }
    if error_code:
        params["ErrorCode"] = error_code
    return params


def snapshot(message: OutboundMessage) -> tuple:
    fresh = OutboundMessage.objects.get(pk=message.pk)
    return fresh.status, fresh.error_code, fresh.status_changed_at


# --- delivery reports -------------------------------------------------------------------------


def test_a_signed_report_updates_the_status(client, message) -> None:
    response = post(client, STATUS, report(message, "delivered"))

    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


@pytest.mark.parametrize("debug", [False, True])
def test_a_report_without_signature_is_refused(client, settings, message, debug) -> None:
    settings.DEBUG = debug
    before = snapshot(message)

    response = post(client, STATUS, report(message, "failed", "21610"), signature=None)

    assert response.status_code == 403
    assert snapshot(message) == before
    assert not PhoneOptOut.objects.exists()


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda p: (p, sign(STATUS, p, token="guessed")), id="another-token"),
        pytest.param(
            lambda p: ({**p, "MessageStatus": "failed", "ErrorCode": "21610"}, sign(STATUS, p)),
            id="changed-after-signing",
        ),
        pytest.param(
            lambda p: (
                p,
                RequestValidator(AUTH_TOKEN).compute_signature("http://testserver" + STATUS, p),
            ),
            id="signed-for-another-address",
        ),
        pytest.param(lambda p: (p, sign(INBOUND, p)), id="signed-for-another-hook"),
        pytest.param(lambda p: (p, "bm90IGEgc2lnbmF0dXJl"), id="garbage"),
    ],
)
def test_a_forged_report_is_refused(client, message, forge) -> None:
    before = snapshot(message)
    params, signature = forge(report(message, "delivered"))

    response = post(client, STATUS, params, signature=signature)

    assert response.status_code == 403
    assert snapshot(message) == before
    assert not PhoneOptOut.objects.exists()


def test_a_replayed_report_changes_nothing_the_second_time(client, message) -> None:
    params = report(message, "delivered")

    first = post(client, STATUS, params)
    after_first = snapshot(message)
    second = post(client, STATUS, params)

    assert first.status_code == second.status_code == 204
    assert after_first[0] == MessageStatus.DELIVERED
    assert snapshot(message) == after_first  # same status, same time of change


@pytest.mark.parametrize("late", ["sent", "sending", "queued", "accepted", "failed"])
def test_a_late_report_never_moves_the_status_back(client, message, late) -> None:
    post(client, STATUS, report(message, "delivered"))
    before = snapshot(message)

    response = post(client, STATUS, report(message, late, "30008" if late == "failed" else ""))

    assert response.status_code == 204
    assert snapshot(message) == before
    assert before[0] == MessageStatus.DELIVERED


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        ("failed", "21610", "stop"),
        ("failed", "21211", "invalid"),
        ("undelivered", "30006", "invalid"),
        ("undelivered", "30005", "invalid"),  # the backend's one list: refused or reported
    ],
)
def test_a_failure_for_the_number_flags_the_phone(client, message, status, code, reason) -> None:
    response = post(client, STATUS, report(message, status, code))

    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == status
    assert message.error_code == code
    opt_out = PhoneOptOut.objects.get(phone=message.phone)
    assert opt_out.reason == reason
    assert opt_out.detail == f"provider error {code}"


def test_a_passing_failure_does_not_flag_the_phone(client, message) -> None:
    post(client, STATUS, report(message, "undelivered", "30003"))  # handset off

    message.refresh_from_db()
    assert message.status == MessageStatus.UNDELIVERED
    assert not PhoneOptOut.objects.exists()


def test_a_report_for_an_unknown_message_is_acknowledged_and_ignored(client, message) -> None:
    before = snapshot(message)
    params = {**report(message, "failed", "21610"), "MessageSid": "SM" + "f" * 32}
    params["SmsSid"] = params["MessageSid"]

    response = post(client, STATUS, params)

    assert response.status_code == 204  # Twilio must not retry it
    assert snapshot(message) == before
    assert not PhoneOptOut.objects.exists()


# --- incoming SMS -----------------------------------------------------------------------------


def incoming(phone: str, body: str) -> dict[str, str]:
    """An incoming SMS as Twilio posts it."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "Body": body,
        "From": phone,
        "FromCountry": "UA" if phone.startswith("+380") else "PL",
        "MessageSid": "SM" + "a" * 32,
        "MessagingServiceSid": SERVICE_SID,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsMessageSid": "SM" + "a" * 32,
        "SmsSid": "SM" + "a" * 32,
        "SmsStatus": "received",
        "To": OUR_NUMBER,
        "ToCountry": "PL",
    }


def replies(response) -> list[ElementTree.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own view's answer
    assert root.tag == "Response"
    return list(root)


def in_language(language: str, text: str) -> str:
    """What the reply says in `language` (the English msgid until the catalogue has it)."""
    with translation.override(language):
        return translation.gettext(text)


UKRAINIAN_MOBILE = "+380501234567"


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "СТОП", "ні", "NIE", "НЕТ", " Stop. ", "stop please"]
)
def test_a_stop_word_opts_the_phone_out_and_answers_in_their_language(client, centre, word) -> None:
    person(centre, UKRAINIAN_MOBILE, language="uk")

    response = post(client, INBOUND, incoming(UKRAINIAN_MOBILE, word))

    [reply] = replies(response)
    assert reply.tag == "Message"
    assert reply.text == in_language("uk", STOPPED)
    opt_out = PhoneOptOut.objects.get(phone=UKRAINIAN_MOBILE)
    assert opt_out.reason == "stop"
    assert opt_out.detail == word.split()[0].strip(".!").upper()
    assert optout.is_opted_out(UKRAINIAN_MOBILE)


def test_the_reply_is_rendered_in_the_persons_language(client, centre, monkeypatch) -> None:
    """Whatever the catalogues hold yet: the text is looked up with their language active."""
    monkeypatch.setattr(views, "_", lambda text: f"[{translation.get_language()}] {text}")
    person(centre, UKRAINIAN_MOBILE, language="ru")
    person(centre, "+48601000009", language="en")

    [to_ru] = replies(post(client, INBOUND, incoming(UKRAINIAN_MOBILE, "СТОП")))
    [to_en] = replies(post(client, INBOUND, incoming("+48601000009", "START")))
    [to_stranger] = replies(post(client, INBOUND, incoming("+48601000010", "STOP")))

    assert to_ru.text == f"[ru] {STOPPED}"
    assert to_en.text == f"[en] {RESTARTED}"
    assert to_stranger.text == f"[pl] {STOPPED}"  # nobody known: the site's language


def test_start_opts_the_phone_back_in(client, centre) -> None:
    person(centre, UKRAINIAN_MOBILE, language="uk")
    optout.phone_opt_out(phone=UKRAINIAN_MOBILE, reason="stop", detail="STOP")

    response = post(client, INBOUND, incoming(UKRAINIAN_MOBILE, "START"))

    [reply] = replies(response)
    assert reply.tag == "Message"
    assert reply.text == in_language("uk", RESTARTED)
    assert not optout.is_opted_out(UKRAINIAN_MOBILE)


def test_other_texts_get_an_empty_answer(client, centre) -> None:
    person(centre, UKRAINIAN_MOBILE, language="uk")

    response = post(client, INBOUND, incoming(UKRAINIAN_MOBILE, "Hello"))

    assert replies(response) == []
    assert not PhoneOptOut.objects.exists()


@pytest.mark.parametrize("signature", [None, "bm90IGEgc2lnbmF0dXJl"], ids=["unsigned", "forged"])
def test_an_unsigned_or_forged_stop_is_refused(client, centre, signature) -> None:
    person(centre, UKRAINIAN_MOBILE, language="uk")

    response = post(client, INBOUND, incoming(UKRAINIAN_MOBILE, "STOP"), signature=signature)

    assert response.status_code == 403
    assert not PhoneOptOut.objects.exists()


def test_an_opted_out_phone_gets_nothing(client, course) -> None:
    memory.outbox.clear()
    olena = person(course.centre, UKRAINIAN_MOBILE, language="uk")
    replies(post(client, INBOUND, incoming(UKRAINIAN_MOBILE, "СТОП")))
    message = enrol(course, olena)  # planned: consent is still given

    result = dispatch.dispatch_pass()

    assert result.skipped == 1
    assert result.sent == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SKIPPED
    assert message.error_code == "opted out"
    assert memory.outbox == []
