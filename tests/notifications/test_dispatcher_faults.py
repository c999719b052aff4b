"""A dispatcher that dies, freezes or works slowly (memory backend, a clock moved by hand): who
gets which SMS, when, and how many times. Each test fails without the protection it names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus, Participant
from notifications import texts
from notifications.backends import TransientError, memory
from notifications.backends.memory import MemoryBackend
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch
from tests.factories import CourseFactory

WARSAW = ZoneInfo("Europe/Warsaw")
START = datetime(2026, 12, 1, 12, tzinfo=WARSAW)
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(settings: Any) -> Iterator[time_machine.Coordinates]:
    settings.SMS_BACKEND = "memory"
    memory.outbox.clear()
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def due_notices(count: int) -> list[OutboundMessage]:
    """`count` confirmation notices, one per person with SMS consent, due now."""
    course = CourseFactory(capacity=count, start_date=date(2027, 1, 5))
    people = Participant.objects.bulk_create(
        Participant(
            centre=course.centre, name=f"Osoba {n}", phone=f"+48603{n:06d}", sms_consent=True
        )
        for n in range(1, count + 1)
    )
    enrolled = Enrolment.objects.bulk_create(
        Enrolment(participant=person, course=course, status=EnrolmentStatus.CONFIRMED)
        for person in people
    )
    return OutboundMessage.objects.bulk_create(
        OutboundMessage(
            kind=MessageKind.ENROLMENT_CONFIRMED,
            participant=enrolment.participant,
            enrolment=enrolment,
            dedupe_key=f"{MessageKind.ENROLMENT_CONFIRMED}:e{enrolment.pk}:s-:",
            due_at=timezone.now(),
            context=texts.message_context(
                course=course, session=None, participant=enrolment.participant
            ),
        )
        for enrolment in enrolled
    )


def sent_to() -> Counter[str]:
    return Counter(sms.to for sms in memory.outbox)


def test_a_dispatcher_that_died_holding_a_batch_gives_it_back_within_two_minutes(
    clock, settings
) -> None:
    """Found: a crashed worker's whole claimed batch waited for a 10-minute recovery. A pass
    claims 200 notices and dies before sending any; the beat's next passes leave them alone
    while the lease holds (its dispatcher may be alive), then send each one exactly once."""
    notices = due_notices(200)
    assert len(dispatch._claim(timezone.now(), 200)) == 200  # ... and the process is killed
    lease = timedelta(seconds=settings.SMS_CLAIM_LEASE_SECONDS)
    assert lease <= timedelta(minutes=1)

    sent_at: dict[str, datetime] = {}
    for _minute in range(3):
        clock.shift(timedelta(minutes=1) if _minute else lease / 2)
        result = dispatch.dispatch_pass()
        sent_at.update({sms.to: timezone.now() for sms in memory.outbox if sms.to not in sent_at})
        if _minute == 0:
            assert (result.recovered, result.sent) == (0, 0)  # within the lease: left alone

    assert sent_to() == {m.participant.phone: 1 for m in notices}
    assert max(sent_at.values()) - START <= timedelta(minutes=2)
    assert Counter(OutboundMessage.objects.values_list("status", flat=True)) == {"sent": 200}


def test_a_slow_dispatcher_keeps_its_claims_while_it_works(clock, monkeypatch) -> None:
    """The lease is renewed during the pass: a pass that needs 20 s a message for 10 messages
    (longer than the lease in all) still holds the rest when another pass starts halfway."""
    notices = due_notices(10)
    send = MemoryBackend.send
    others: list[dispatch.PassResult] = []

    def slow_send(self: MemoryBackend, **kwargs: Any) -> Any:
        clock.shift(timedelta(seconds=20))
        if len(memory.outbox) == 5:
            others.append(dispatch.dispatch_pass())  # the beat's next pass, meanwhile
        return send(self, **kwargs)

    monkeypatch.setattr(MemoryBackend, "send", slow_send)
    result = dispatch.dispatch_pass()

    [other] = others
    assert (other.recovered, other.sent) == (0, 0)
    assert result.sent == 10
    assert [sms.to for sms in memory.outbox] == [m.participant.phone for m in notices]


def test_each_message_is_stamped_when_it_is_sent(clock, monkeypatch) -> None:
    """Found: `sent_at` and retry times were the start of the pass (up to 106 s early)."""
    due_notices(4)
    send = MemoryBackend.send

    def send_taking_30_seconds(self: MemoryBackend, **kwargs: Any) -> Any:
        clock.shift(timedelta(seconds=30))
        return send(self, **kwargs)

    monkeypatch.setattr(MemoryBackend, "send", send_taking_30_seconds)
    dispatch.dispatch_pass()

    stamps = list(OutboundMessage.objects.order_by("pk").values_list("sent_at", flat=True))
    assert stamps == [START + timedelta(seconds=30 * n) for n in (1, 2, 3, 4)]
    assert stamps == [sms.sent_at for sms in memory.outbox]


def test_each_retry_is_scheduled_from_its_own_failure(clock, monkeypatch, settings) -> None:
    due_notices(3)

    def failing_after_30_seconds(self: MemoryBackend, **kwargs: Any) -> Any:
        clock.shift(timedelta(seconds=30))
        raise TransientError("20500", "Internal Server Error")

    monkeypatch.setattr(MemoryBackend, "send", failing_after_30_seconds)
    dispatch.dispatch_pass()

    base = timedelta(seconds=settings.SMS_RETRY_BACKOFF_SECONDS)
    rows = list(OutboundMessage.objects.order_by("pk"))
    for n, row in enumerate(rows, start=1):
        failed_at = START + timedelta(seconds=30 * n)
        assert row.status_changed_at == failed_at
        assert failed_at + base / 2 <= row.due_at <= failed_at + base
        assert (row.status, row.error_code) == (MessageStatus.PENDING, "20500")


def test_a_message_sent_at_last_keeps_no_error(clock, monkeypatch) -> None:
    """Found: a message finally sent kept the error code of an earlier failed attempt."""
    [notice] = due_notices(1)
    send = MemoryBackend.send
    answers = iter([TransientError("20429", "Too Many Requests")])

    def rate_limited_once(self: MemoryBackend, **kwargs: Any) -> Any:
        for error in answers:
            raise error
        return send(self, **kwargs)

    monkeypatch.setattr(MemoryBackend, "send", rate_limited_once)
    dispatch.dispatch_pass()
    notice.refresh_from_db()
    assert (notice.status, notice.error_code) == (MessageStatus.PENDING, "20429")

    clock.shift(timedelta(minutes=1))
    dispatch.dispatch_pass()

    notice.refresh_from_db()
    assert (notice.status, notice.error_code, notice.attempts) == (MessageStatus.SENT, "", 2)
    assert sent_to() == {notice.participant.phone: 1}
