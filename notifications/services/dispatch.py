"""The dispatcher: claiming due rows under a renewed lease, handing each over, sending, retries
with capped backoff while a message is still useful, recovery, settling `unknown` messages."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from courses.models import Course, EnrolmentStatus
from courses.services.offers import offer_deadline_extend
from notifications import texts
from notifications.backends import AmbiguousError, PermanentError, TransientError, get_backend
from notifications.models import APPOINTMENT_KINDS, MessageKind, MessageStatus, OutboundMessage
from notifications.segments import sms_size
from notifications.selectors import told_by_class
from notifications.services.optout import is_opted_out, phone_opt_out
from notifications.services.planning import OFFER_HOURS, quiet_window, sending_time
from notifications.services.reconcile import unknown_messages_settle
from scheduling.models import SessionStatus

logger = logging.getLogger(__name__)
Clock = Callable[[], datetime]


@dataclass
class PassResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0
    unknown: int = 0
    recovered: int = 0
    settled: int = 0  # `unknown` ones the provider turned out to have


def lease() -> timedelta:
    """How long a dispatcher's claim (and a hand-over) holds without being renewed."""
    return timedelta(seconds=settings.SMS_CLAIM_LEASE_SECONDS)


def _clock(now: datetime | None) -> Clock:
    """The time, read afresh for each message: `now` (tests, a pass "at" another time) shifts
    the clock, it does not stop it."""
    if now is None:
        return timezone.now
    offset = now - timezone.now()
    return lambda: timezone.now() + offset


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential backoff with jitter after `attempts` tries."""
    base = timedelta(seconds=settings.SMS_RETRY_BACKOFF_SECONDS)
    cap = timedelta(seconds=settings.SMS_RETRY_BACKOFF_MAX_SECONDS)
    delay = min(cap, base * 2 ** min(max(attempts - 1, 0), 20))
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security


def useful_until(message: OutboundMessage) -> datetime | None:
    """When trying stops: the message's own deadline (the session's start, the offer's or the
    code's end), else SMS_RETRY_MAX_AGE_HOURS after it was planned (notices are due at once)."""
    if message.expires_at:
        return message.expires_at
    hours = settings.SMS_RETRY_MAX_AGE_HOURS
    return message.created_at + timedelta(hours=hours) if hours and message.created_at else None


def _claim(now: datetime, batch: int) -> list[int]:
    with transaction.atomic():
        ids = list(
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(status=MessageStatus.PENDING, due_at__lte=now)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            OutboundMessage.objects.filter(pk__in=ids).update(
                status=MessageStatus.CLAIMED, claimed_at=now
            )
    return ids


def _renew(ids: list[int], now: datetime) -> None:
    """Extend the lease of the rows this pass still holds (a live pass keeps its claims)."""
    OutboundMessage.objects.filter(pk__in=ids, status=MessageStatus.CLAIMED).update(claimed_at=now)


def recover_stuck(*, now: datetime | None = None) -> int:
    """Rows whose lease ran out: a dispatcher died (or froze) holding them."""
    now = now or timezone.now()
    before = now - lease()
    back = OutboundMessage.objects.filter(
        status=MessageStatus.CLAIMED, claimed_at__lte=before
    ).update(status=MessageStatus.PENDING, claimed_at=None)
    unknown = OutboundMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lte=before
    ).update(status=MessageStatus.UNKNOWN, status_changed_at=now, error_code="no answer")
    return back + unknown


def _too_late(message: OutboundMessage, now: datetime) -> bool:
    until = useful_until(message)
    return until is not None and until <= now


def _why_not(message: OutboundMessage, now: datetime) -> str:
    """Empty when the message is still wanted; else why not."""
    if message.kind == MessageKind.VERIFICATION_CODE:
        if is_opted_out(message.phone):
            return "opted out"
        if _too_late(message, now):
            return "too late"
        if message.verification is None or message.verification.used_at is not None:
            return "not needed"
        return ""
    participant = message.participant
    if participant is None:
        return "nobody"
    if not participant.sms_consent:
        return "no consent"
    if is_opted_out(participant.phone):
        return "opted out"
    if _too_late(message, now):
        return "too late"
    if message.kind in APPOINTMENT_KINDS:
        return _why_not_appointment(message, now)
    enrolment = message.enrolment
    if message.kind == MessageKind.REMINDER:
        session = message.session
        if session is None or session.status != SessionStatus.SCHEDULED:
            return "session not on"
        if enrolment is None or enrolment.status != EnrolmentStatus.CONFIRMED:
            return "not enrolled"
        # Read with the message (`of_childcare`): a class's childcare's reminder asks again.
        if getattr(message, "of_childcare", True) and told_by_class(
            session, [participant.pk], reminders=True
        ):
            return "told with the class"  # one family's booking, one set of reminders
        later = OutboundMessage.objects.filter(
            enrolment=enrolment,
            session=session,
            kind=MessageKind.REMINDER,
            status__in=[MessageStatus.PENDING, MessageStatus.CLAIMED],
            due_at__gt=message.due_at,
            due_at__lte=now,
        )
        if later.exists():
            return "a later reminder is due"
        window = quiet_window(now, session.course.centre.tz)
        if window is not None and not (window[0] <= now < window[1]):
            return "quiet hours"
    if message.kind == MessageKind.OFFER_MADE and (
        enrolment is None or enrolment.status != EnrolmentStatus.OFFERED
    ):
        return "offer no longer open"
    return ""


def _why_not_appointment(message: OutboundMessage, now: datetime) -> str:
    """An appointment's SMS goes while the appointment is as it tells: a cancellation always;
    the others only while it is booked, a reminder only for the time it was planned for (and
    outside the quiet hours)."""
    appointment = message.appointment
    if appointment is None:
        return "nobody"
    if message.kind == MessageKind.APPOINTMENT_CANCELLED:
        return ""
    if appointment.status != AppointmentStatus.BOOKED:
        return "appointment not on"
    if message.kind == MessageKind.APPOINTMENT_REMINDER:
        if message.context.get("starts_at") != appointment.starts_at.isoformat():
            return "appointment moved"
        later = OutboundMessage.objects.filter(
            appointment=appointment,
            kind=MessageKind.APPOINTMENT_REMINDER,
            status__in=[MessageStatus.PENDING, MessageStatus.CLAIMED],
            due_at__gt=message.due_at,
            due_at__lte=now,
        )
        if later.exists():
            return "a later reminder is due"
        window = quiet_window(now, appointment.course.centre.tz)
        if window is not None and not (window[0] <= now < window[1]):
            return "quiet hours"
    return ""


def _offer_ready(message: OutboundMessage, now: datetime) -> bool:
    """An offer asks for an answer: during quiet hours it goes back to wait for their end
    (not skipped); sent, its deadline counts from now (`offer_hours` in its context): the
    enrolment's deadline moves (never earlier) and the text and the message's end follow."""
    opens = sending_time(now, message.enrolment.course.centre.tz)  # type: ignore[union-attr]
    if opens > now:
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.CLAIMED).update(
            status=MessageStatus.PENDING, due_at=opens, claimed_at=None, error_code="quiet hours"
        )
        return False
    hours = message.context.get(OFFER_HOURS)
    if hours and message.enrolment is not None:
        until = offer_deadline_extend(
            enrolment=message.enrolment, until=now + timedelta(hours=int(hours))
        )
        if until is None:  # answered or expired meanwhile
            OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.CLAIMED).update(
                status=MessageStatus.SKIPPED,
                status_changed_at=now,
                error_code="offer no longer open",
            )
            return False
        message.context = {**message.context, "offer_until": until.isoformat()}
        message.expires_at = until
    return True


def _finish(message: OutboundMessage, status: str, now: datetime, **fields: Any) -> None:
    message.status = status
    message.status_changed_at = now
    for name, value in fields.items():
        setattr(message, name, value)
    message.save(update_fields=["status", "status_changed_at", *fields])


def _hand_over(message: OutboundMessage, now: datetime) -> bool:
    """Mark the message as being sent, with its text, only if nothing changed since the claim:
    a message cancelled meanwhile (the person was erased, withdrew consent...) is neither sent
    nor written back with its text; one whose lease ran out and went back to the queue is
    left to whoever holds it now. The hand-over starts a lease of its own (`claimed_at`)."""
    return bool(
        OutboundMessage.objects.filter(
            Q(kind=MessageKind.VERIFICATION_CODE, participant__isnull=True)
            | Q(participant__sms_consent=True, participant__erased_at__isnull=True),
            pk=message.pk,
            status=MessageStatus.CLAIMED,
        ).update(
            status=MessageStatus.SENDING,
            status_changed_at=now,
            claimed_at=now,
            phone=message.phone,
            body=message.body,
            segments=message.segments,
            encoding=message.encoding,
            attempts=message.attempts,
            expires_at=message.expires_at,
            context=message.context,
        )
    )


def _send_one(message: OutboundMessage, clock: Clock, result: PassResult) -> None:
    now = clock()
    reason = _why_not(message, now)
    if reason:
        # A message that became useless while the provider kept failing it has failed (with the
        # provider's last error), whatever the jitter of its last retry; others are skipped.
        failed = reason == "too late" and message.attempts > 0 and bool(message.error_code)
        status = MessageStatus.FAILED if failed else MessageStatus.SKIPPED
        # Only while this pass still holds it: past a lost lease it is someone else's.
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.CLAIMED).update(
            status=status,
            status_changed_at=now,
            error_code=message.error_code if failed else reason,
        )
        result.skipped += 1
        return
    if message.kind == MessageKind.OFFER_MADE and not _offer_ready(message, now):
        result.skipped += 1
        return
    person = message.participant
    language = person.language if person else message.context.get("language", "pl")
    body = texts.render(message.kind, message.context, language)
    size = sms_size(body)
    message.phone, message.body = (person.phone if person else message.phone), body
    message.segments, message.encoding = size.segments, size.encoding
    message.attempts += 1
    message.status, message.status_changed_at = MessageStatus.SENDING, now
    handed_over = _hand_over(message, now)
    if not handed_over:
        result.skipped += 1
        return
    validity = int((message.expires_at - now).total_seconds()) if message.expires_at else None
    callback = settings.PUBLIC_BASE_URL + reverse("twilio-status")
    try:
        sent = get_backend().send(
            to=message.phone, body=body, validity_seconds=validity, status_callback=callback
        )
    except PermanentError as exc:
        _finish(message, MessageStatus.FAILED, clock(), error_code=exc.code)
        if exc.opt_out:  # the backend says the number itself is the problem
            phone_opt_out(
                phone=message.phone, reason=exc.opt_out, detail=f"provider error {exc.code}"
            )
        result.failed += 1
    except TransientError as exc:
        failed_at = clock()
        retry_at = failed_at + retry_delay(message.attempts)
        until = useful_until(message)
        if until is not None and retry_at >= until:  # no longer useful by then: give up
            _finish(message, MessageStatus.FAILED, failed_at, error_code=exc.code)
            result.failed += 1
            return
        _finish(
            message,
            MessageStatus.PENDING,
            failed_at,
            error_code=exc.code,
            due_at=retry_at,
            claimed_at=None,
        )
        result.retried += 1
    except AmbiguousError as exc:
        _finish(message, MessageStatus.UNKNOWN, clock(), error_code=exc.code)
        result.unknown += 1
    else:
        sent_at = clock()
        done: dict[str, Any] = {"provider_id": sent.provider_id, "sent_at": sent_at}
        done["error_code"] = ""  # an earlier attempt's error is not this message's
        if message.kind == MessageKind.VERIFICATION_CODE:
            done["context"] = {}  # the code is in the text only, which retention removes
        _finish(message, MessageStatus.SENT, sent_at, **done)
        result.sent += 1


def dispatch_pass(*, now: datetime | None = None, batch: int | None = None) -> PassResult:
    """One pass of the dispatcher (Celery beat every minute; `manage.py dispatch_notifications`):

    1. recovery: rows `claimed` past their lease (SMS_CLAIM_LEASE_SECONDS: a dispatcher died
       holding them) go back to `pending`; rows `sending` past it become `unknown` (the
       provider may have them: never resent blindly);
    2. settling: `unknown` rows are looked up at the provider (`reconcile`);
    3. claim: in a short transaction, `select_for_update(skip_locked=True)` on due rows, mark
       them `claimed` (two dispatchers never claim the same row);
    4. for each row: renew the lease of the rows still held, re-check that it is still wanted,
       mark it `sending` (committed), call the provider outside any lock, act on how the
       backend classified its answer. Every time is read when it happens.
    """
    clock = _clock(now)
    size = batch or settings.SMS_DISPATCH_BATCH
    result = PassResult(recovered=recover_stuck(now=clock()))
    result.settled, requeued = unknown_messages_settle(clock=clock)
    result.retried += requeued
    ids = _claim(clock(), size)
    renewed = clock()
    for index, pk in enumerate(ids):
        if clock() - renewed >= lease() / 3:
            renewed = clock()
            _renew(ids[index:], renewed)
        message = (
            OutboundMessage.objects.select_related(
                "participant",
                "enrolment",
                "session__course__centre",
                "verification",
                "appointment__course__centre",
            )
            .annotate(
                of_childcare=Exists(Course.objects.filter(childcare=OuterRef("session__course")))
            )
            .get(pk=pk)
        )
        try:
            _send_one(message, clock, result)
        except Exception:  # one broken message must not stop the pass
            logger.exception("SMS %s could not be processed", pk)
            OutboundMessage.objects.filter(pk=pk, status=MessageStatus.CLAIMED).update(
                status=MessageStatus.PENDING, claimed_at=None
            )
    return result
