"""Two dispatchers at once (two beat ticks overlapping, two workers) send every message exactly
once: each claims its rows with `SELECT ... FOR UPDATE SKIP LOCKED` and marks them `claimed` in
the same short transaction, so the other one never even sees them as due.

The race is made to happen, not hoped for. Both dispatchers start together at a barrier and meet
again inside their first claim, right after the locking SELECT and before the rows are marked:
both hold their row locks at the same moment, so the second one got past the first one's locked
rows instead of waiting for them. The control replaces the claim by a plain read of the due rows,
the same meeting, then the marking: both read the same rows and each sends them.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus, Participant
from notifications import texts
from notifications.backends import memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch
from tests.factories import CourseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MESSAGES = 200
BATCH = 20  # small, so that the two dispatchers take turns many times
WAIT = 10  # seconds a thread waits at a barrier before going on alone


@pytest.fixture(autouse=True)
def _memory_backend(settings: Any) -> None:
    settings.SMS_BACKEND = "memory"
    memory.outbox.clear()


def _due_messages(count: int) -> list[OutboundMessage]:
    """`count` confirmation notices, one per person with SMS consent, all due a minute ago."""
    course = CourseFactory(capacity=count, start_date=date(2027, 1, 5))
    people = Participant.objects.bulk_create(
        Participant(
            centre=course.centre, name=f"Osoba {n}", phone=f"+48601{n:06d}", sms_consent=True
        )
        for n in range(1, count + 1)
    )
    enrolled = Enrolment.objects.bulk_create(
        Enrolment(participant=person, course=course, status=EnrolmentStatus.CONFIRMED)
        for person in people
    )
    due = timezone.now() - timedelta(minutes=1)
    return OutboundMessage.objects.bulk_create(
        OutboundMessage(
            kind=MessageKind.ENROLMENT_CONFIRMED,
            participant=enrolment.participant,
            enrolment=enrolment,
            dedupe_key=f"{MessageKind.ENROLMENT_CONFIRMED}:e{enrolment.pk}:s-:",
            due_at=due,
            context=texts.message_context(
                course=course, session=None, participant=enrolment.participant
            ),
        )
        for enrolment in enrolled
    )


def _meet(barrier: threading.Barrier) -> bool:
    """Wait for the other dispatcher; False when it never came (the barrier broke)."""
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        return False
    return True


class Race:
    """Two dispatchers, each passing until nothing is due, started at the same moment."""

    def __init__(self) -> None:
        self.start = threading.Barrier(2, timeout=WAIT)
        self.inside = threading.Barrier(2, timeout=WAIT)
        self.met: list[bool] = []
        self.claims: list[tuple[str, list[int]]] = []
        self.errors: list[BaseException] = []

    def hold_first_lock(self) -> Callable[..., Any]:
        """An execute wrapper: right after this connection's first locking SELECT (its row
        locks held, the transaction still open), wait for the other dispatcher."""
        waited = False

        def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal waited
            result = execute(sql, params, many, context)
            if "FOR UPDATE" in sql and not waited:
                waited = True
                self.met.append(_meet(self.inside))
            return result

        return wrapper

    def dispatcher(self) -> None:
        try:
            connection.ensure_connection()  # connected first: the start is really together
            self.start.wait()
            with connection.execute_wrapper(self.hold_first_lock()):
                while True:
                    result = dispatch.dispatch_pass(batch=BATCH)
                    handled = result.sent + result.skipped + result.failed + result.retried
                    if not handled + result.unknown:
                        break
        except BaseException as exc:  # collected for the assertions
            self.errors.append(exc)
        finally:
            connections.close_all()

    def run(self, monkeypatch: pytest.MonkeyPatch) -> None:
        claim = dispatch._claim  # the one in force: the real one, or the control's

        def recorded(now: datetime, batch: int) -> list[int]:
            ids = claim(now, batch)
            self.claims.append((threading.current_thread().name, ids))
            return ids

        monkeypatch.setattr(dispatch, "_claim", recorded)
        threads = [
            threading.Thread(target=self.dispatcher, name=name) for name in ("first", "second")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)


def test_two_dispatchers_at_once_send_every_message_exactly_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert connection.vendor == "postgresql"
    messages = _due_messages(MESSAGES)
    race = Race()

    race.run(monkeypatch)

    assert race.errors == []
    # Both held their first batch's row locks at the same moment: the second skipped the
    # first one's rows instead of waiting for them.
    assert race.met == [True, True]
    claimed = Counter(pk for _thread, ids in race.claims for pk in ids)
    assert sorted(claimed) == sorted(m.pk for m in messages)
    assert set(claimed.values()) == {1}  # no row claimed twice
    by_thread = Counter(thread for thread, ids in race.claims for _pk in ids)
    assert by_thread["first"] >= BATCH  # both did the work
    assert by_thread["second"] >= BATCH

    assert len(memory.outbox) == MESSAGES
    assert len({sms.provider_id for sms in memory.outbox}) == MESSAGES
    assert Counter(sms.to for sms in memory.outbox) == Counter(
        m.participant.phone for m in messages
    )
    rows = OutboundMessage.objects.all()
    assert Counter(rows.values_list("status", flat=True)) == {MessageStatus.SENT: MESSAGES}
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert sorted(rows.values_list("provider_id", flat=True)) == sorted(
        sms.provider_id for sms in memory.outbox
    )


def test_without_the_claim_two_dispatchers_send_the_same_messages_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Control: read the due rows without locking them, meet, then mark them `claimed`, and
    hand each over for sending whatever its status now is. Both dispatchers read the same
    batch before either marks it, and both send it."""
    messages = _due_messages(MESSAGES)
    race = Race()

    def claim_without_lock(now: datetime, batch: int) -> list[int]:
        ids = list(
            OutboundMessage.objects.filter(status=MessageStatus.PENDING, due_at__lte=now)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        race.met.append(_meet(race.inside))
        if ids:
            OutboundMessage.objects.filter(pk__in=ids).update(
                status=MessageStatus.CLAIMED, claimed_at=now
            )
        return ids

    def hand_over_unchecked(message: OutboundMessage, now: datetime) -> bool:
        message.save()
        return True

    monkeypatch.setattr(dispatch, "_claim", claim_without_lock)
    monkeypatch.setattr(dispatch, "_hand_over", hand_over_unchecked)

    race.run(monkeypatch)

    assert race.errors == []
    assert race.met[:2] == [True, True]  # the first batch was read by both before marking
    (first, ids_first), (second, ids_second) = race.claims[:2]
    assert {first, second} == {"first", "second"}
    assert ids_first == ids_second  # the very same rows
    assert len(ids_first) == BATCH
    sent_to = Counter(sms.to for sms in memory.outbox)
    twice = [phone for phone, times in sent_to.items() if times > 1]
    assert len(memory.outbox) > MESSAGES, "no message sent twice: the race did not happen"
    assert len(twice) >= BATCH
    assert set(sent_to) == {m.participant.phone for m in messages}  # none lost, some doubled
