"""Planning and sending SMS through the outbox. Each function owns its transaction.

Planning writes OutboundMessage rows inside the transaction of the change that causes them
(the receivers in `notifications.receivers`), unique per (kind, enrolment or participant,
session, variant), so nothing is planned twice. The dispatcher sends what is due:

1. claim: in a short transaction, `select_for_update(skip_locked=True)` on due rows, mark them
   `claimed` (two dispatchers never claim the same row);
2. for each row: re-check that it is still wanted, mark it `sending` (committed), call the
   provider outside any lock, record the answer;
3. recovery: rows `claimed` for too long go back to `pending` (never handed to the provider);
   rows `sending` for too long become `unknown` (the provider may have them: never resent
   blindly).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from courses.models import BookingMode, Course, Enrolment, EnrolmentStatus, Participant
from notifications import texts
from notifications.backends import (
    AmbiguousError,
    PermanentError,
    TransientError,
    get_backend,
)
from notifications.models import (
    STATUS_RANK,
    MessageKind,
    MessageStatus,
    OutboundMessage,
    PhoneOptOut,
)
from notifications.segments import sms_size
from scheduling import rules
from scheduling.models import Session, SessionStatus

logger = logging.getLogger(__name__)
PLAN_AHEAD = timedelta(days=15)  # reminders are planned for sessions starting this soon
STUCK_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)


# --- planning ---------------------------------------------------------------------------------


def _key(
    kind: str,
    *,
    enrolment: Enrolment | None,
    participant: Participant,
    session: Session | None,
    variant: str = "",
) -> str:
    who = f"e{enrolment.pk}" if enrolment is not None else f"p{participant.pk}"
    return f"{kind}:{who}:s{session.pk if session else '-'}:{variant}"


def notice_plan(
    *,
    kind: str,
    enrolment: Enrolment,
    session: Session | None = None,
    variant: str = "",
    expires_at: datetime | None = None,
    **context: Any,
) -> OutboundMessage | None:
    """Plan a notice to send right away (within the caller's transaction). Nothing for people
    without SMS consent; nothing twice for the same key."""
    participant = enrolment.participant
    if not participant.sms_consent:
        return None
    session = session if session is not None else enrolment.session
    key = _key(kind, enrolment=enrolment, participant=participant, session=session, variant=variant)
    now = timezone.now()
    ctx = texts.message_context(
        course=enrolment.course, session=session, participant=participant, **context
    )
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(
                kind=kind,
                participant=participant,
                enrolment=enrolment,
                session=session,
                dedupe_key=key,
                due_at=now,
                expires_at=expires_at,
                context=ctx,
            )
    except IntegrityError:
        return None


def quiet_window(day: datetime, tz: Any) -> tuple[datetime, datetime] | None:
    """The local window of `day` in which reminders may go, from SMS_QUIET_HOURS."""
    spec = (settings.SMS_QUIET_HOURS or "").strip()
    if not spec:
        return None
    start_text, end_text = (part.strip() for part in spec.split("-"))
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    local_day = day.astimezone(tz).date()
    return (
        rules.localize(datetime.combine(local_day, start), tz),
        rules.localize(datetime.combine(local_day, end), tz),
    )


def reminder_due(starts_at: datetime, hours: int, tz: Any) -> datetime:
    """`hours` before the start; outside the allowed window, moved earlier into it."""
    due = starts_at - timedelta(hours=hours)
    window = quiet_window(due, tz)
    if window is None:
        return due
    opens, closes = window
    if due >= closes:
        return closes - timedelta(minutes=1)
    if due < opens:
        previous = quiet_window(due - timedelta(days=1), tz)
        assert previous is not None  # noqa: S101 - same spec
        return previous[1] - timedelta(minutes=1)
    return due


def confirmed_for(session: Session) -> Iterable[Enrolment]:
    course = session.course
    qs = Enrolment.objects.filter(status=EnrolmentStatus.CONFIRMED).select_related(
        "participant", "course__centre", "course__venue"
    )
    if course.booking_mode == BookingMode.SESSION:
        return qs.filter(session=session)
    return qs.filter(course=course, session__isnull=True)


def _reminder_rows(enrolment: Enrolment, session: Session, now: datetime) -> list[OutboundMessage]:
    participant = enrolment.participant
    if not participant.sms_consent or session.starts_at <= now:
        return []
    tz = session.course.centre.tz
    ctx = texts.message_context(course=enrolment.course, session=session, participant=participant)
    return [
        OutboundMessage(
            kind=MessageKind.REMINDER,
            participant=participant,
            enrolment=enrolment,
            session=session,
            dedupe_key=_key(
                MessageKind.REMINDER,
                enrolment=enrolment,
                participant=participant,
                session=session,
                variant=f"{hours}h",
            ),
            due_at=reminder_due(session.starts_at, hours, tz),
            expires_at=session.starts_at,
            context=ctx,
        )
        for hours in enrolment.course.reminder_offsets
    ]


def reminders_plan(
    *, now: datetime | None = None, sessions: Iterable[Session] | None = None
) -> int:
    """Plan reminders for confirmed people of sessions starting within PLAN_AHEAD (run by beat
    every few minutes, and for one enrolment when it is confirmed). Idempotent."""
    now = now or timezone.now()
    if sessions is None:
        sessions = (
            Session.objects.filter(
                status=SessionStatus.SCHEDULED,
                starts_at__gt=now,
                starts_at__lte=now + PLAN_AHEAD,
            )
            .exclude(course__booking_mode=BookingMode.OPEN)
            .exclude(course__reminder_hours="")
            .select_related("course__centre", "course__venue", "venue")
        )
    rows: list[OutboundMessage] = []
    for session in sessions:
        for enrolment in confirmed_for(session):
            rows += _reminder_rows(enrolment, session, now)
    return _create_new(rows)


def _create_new(rows: list[OutboundMessage]) -> int:
    """Insert the rows whose key is not planned yet; the unique key backs it under races."""
    if not rows:
        return 0
    known = set(
        OutboundMessage.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [r for r in rows if r.dedupe_key not in known]
    OutboundMessage.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def enrolment_reminders_plan(enrolment: Enrolment, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    sessions = Session.objects.filter(
        course=enrolment.course,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + PLAN_AHEAD,
    ).select_related("course__centre", "course__venue", "venue")
    if enrolment.session_id:
        sessions = sessions.filter(pk=enrolment.session_id)
    _create_new([r for s in sessions for r in _reminder_rows(enrolment, s, now)])


def pending_cancel(*, enrolment: Enrolment | None = None, session: Session | None = None) -> int:
    """Reminders no longer wanted (enrolment given up, session cancelled)."""
    qs = OutboundMessage.objects.filter(status=MessageStatus.PENDING, kind=MessageKind.REMINDER)
    if enrolment is not None:
        qs = qs.filter(enrolment=enrolment)
    if session is not None:
        qs = qs.filter(session=session)
    return qs.update(status=MessageStatus.CANCELLED, status_changed_at=timezone.now())


def session_reminders_replan(session: Session) -> None:
    """A moved session: its pending reminders follow the new time."""
    tz = session.course.centre.tz
    for message in OutboundMessage.objects.filter(
        session=session, kind=MessageKind.REMINDER, status=MessageStatus.PENDING
    ).select_related("enrolment__course", "participant"):
        hours = int(message.dedupe_key.rsplit(":", 1)[1].rstrip("h"))
        message.due_at = reminder_due(session.starts_at, hours, tz)
        message.expires_at = session.starts_at
        message.context = {**message.context, "starts_at": session.starts_at.isoformat()}
        message.save(update_fields=["due_at", "expires_at", "context"])


# --- opt-out ----------------------------------------------------------------------------------


def phone_opt_out(*, phone: str, reason: str = "stop", detail: str = "") -> None:
    """No SMS to this number from any centre (STOP, or unreachable)."""
    if not phone:  # a late report about an erased person's message: nothing to remember
        return
    PhoneOptOut.objects.update_or_create(phone=phone, defaults={"reason": reason, "detail": detail})


def phone_opt_in(*, phone: str) -> bool:
    return PhoneOptOut.objects.filter(phone=phone, reason="stop").delete()[0] > 0


def is_opted_out(phone: str) -> bool:
    return PhoneOptOut.objects.filter(phone=phone).exists()


# --- sending ----------------------------------------------------------------------------------


@dataclass
class PassResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0
    unknown: int = 0
    recovered: int = 0


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


def recover_stuck(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    before = now - STUCK_AFTER
    back = OutboundMessage.objects.filter(
        status=MessageStatus.CLAIMED, claimed_at__lt=before
    ).update(status=MessageStatus.PENDING, claimed_at=None)
    unknown = OutboundMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=before
    ).update(status=MessageStatus.UNKNOWN, status_changed_at=now, error_code="no answer")
    return back + unknown


def _why_not(message: OutboundMessage, now: datetime) -> str:
    """Empty when the message is still wanted; else why not."""
    participant = message.participant
    if not participant.sms_consent:
        return "no consent"
    if is_opted_out(participant.phone):
        return "opted out"
    if message.expires_at and message.expires_at <= now:
        return "too late"
    enrolment = message.enrolment
    if message.kind == MessageKind.REMINDER:
        session = message.session
        if session is None or session.status != SessionStatus.SCHEDULED:
            return "session not on"
        if enrolment is None or enrolment.status != EnrolmentStatus.CONFIRMED:
            return "not enrolled"
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


def _finish(message: OutboundMessage, status: str, now: datetime, **fields: Any) -> None:
    message.status = status
    message.status_changed_at = now
    for name, value in fields.items():
        setattr(message, name, value)
    message.save(update_fields=["status", "status_changed_at", *fields])


def _hand_over(message: OutboundMessage, now: datetime) -> bool:
    """Mark the message as being sent, with its text, only if nothing changed since the claim:
    a message cancelled meanwhile (the person was erased, withdrew consent...) is neither sent
    nor written back with its text."""
    return bool(
        OutboundMessage.objects.filter(
            pk=message.pk,
            status=MessageStatus.CLAIMED,
            participant__sms_consent=True,
            participant__erased_at__isnull=True,
        ).update(
            status=MessageStatus.SENDING,
            status_changed_at=now,
            phone=message.phone,
            body=message.body,
            segments=message.segments,
            encoding=message.encoding,
            attempts=message.attempts,
        )
    )


def _send_one(message: OutboundMessage, now: datetime, result: PassResult) -> None:
    reason = _why_not(message, now)
    if reason:
        _finish(message, MessageStatus.SKIPPED, now, error_code=reason)
        result.skipped += 1
        return
    body = texts.render(message.kind, message.context, message.participant.language)
    size = sms_size(body)
    message.phone, message.body = message.participant.phone, body
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
        _finish(message, MessageStatus.FAILED, now, error_code=exc.code)
        if exc.recipient:
            phone_opt_out(
                phone=message.phone, reason="invalid", detail=f"provider error {exc.code}"
            )
        result.failed += 1
    except TransientError as exc:
        if message.attempts >= MAX_ATTEMPTS:
            _finish(message, MessageStatus.FAILED, now, error_code=exc.code)
            result.failed += 1
            return
        delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (message.attempts - 1))
        delay *= random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
        _finish(
            message,
            MessageStatus.PENDING,
            now,
            error_code=exc.code,
            due_at=now + delay,
            claimed_at=None,
        )
        result.retried += 1
    except AmbiguousError as exc:
        _finish(message, MessageStatus.UNKNOWN, now, error_code=exc.code)
        result.unknown += 1
    else:
        _finish(message, MessageStatus.SENT, now, provider_id=sent.provider_id, sent_at=now)
        result.sent += 1


def dispatch_pass(*, now: datetime | None = None, batch: int | None = None) -> PassResult:
    """One pass of the dispatcher (Celery beat every minute; `manage.py dispatch_notifications`)."""
    now = now or timezone.now()
    result = PassResult(recovered=recover_stuck(now=now))
    for pk in _claim(now, batch or settings.SMS_DISPATCH_BATCH):
        message = OutboundMessage.objects.select_related(
            "participant", "enrolment", "session__course__centre"
        ).get(pk=pk)
        try:
            _send_one(message, now, result)
        except Exception:  # one broken message must not stop the pass
            logger.exception("SMS %s could not be processed", pk)
            OutboundMessage.objects.filter(pk=pk, status=MessageStatus.CLAIMED).update(
                status=MessageStatus.PENDING, claimed_at=None
            )
    return result


# --- privacy ----------------------------------------------------------------------------------

IN_FLIGHT = (MessageStatus.PENDING, MessageStatus.CLAIMED, MessageStatus.SENDING)


def participant_messages_redact(*, participant: Participant) -> int:
    """The person is erased (within the erasure's transaction): their messages keep kind,
    status, segments and times (cost reports) but lose text, context and phone; those still to
    go are cancelled, and the dispatcher skips any it already took (no consent any more)."""
    now = timezone.now()
    messages = OutboundMessage.objects.filter(participant=participant)
    messages.filter(status__in=[MessageStatus.PENDING, MessageStatus.CLAIMED]).update(
        status=MessageStatus.CANCELLED, status_changed_at=now, error_code="erased"
    )
    return messages.update(body="", context={}, phone="")


def message_bodies_retention(*, now: datetime | None = None) -> int:
    """Clear the text and context of messages sent (or, never sent, planned) more than
    SMS_BODY_RETENTION_DAYS ago (0: never); messages still pending or in flight are left alone.
    Kind, status, segments, phone and times stay for cost reports. Returns how many."""
    days = settings.SMS_BODY_RETENTION_DAYS
    if days <= 0:
        return 0
    before = (now or timezone.now()) - timedelta(days=days)
    return (
        OutboundMessage.objects.exclude(status__in=IN_FLIGHT)
        .filter(Q(sent_at__lt=before) | Q(sent_at__isnull=True, created_at__lt=before))
        .exclude(body="", context={})
        .update(body="", context={})
    )


# --- provider callbacks -----------------------------------------------------------------------


TWILIO_STATUSES = {
    "queued": MessageStatus.SENDING,
    "accepted": MessageStatus.SENDING,
    "sending": MessageStatus.SENDING,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}


def delivery_status_record(*, provider_id: str, provider_status: str, error_code: str = "") -> bool:
    """Record a delivery report idempotently; a status never moves backwards."""
    status = TWILIO_STATUSES.get(provider_status)
    if status is None or not provider_id:
        return False
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update().filter(provider_id=provider_id).first()
        )
        if message is None:
            return False
        if STATUS_RANK.get(status, 0) <= STATUS_RANK.get(message.status, 0):
            return False
        _finish(message, status, timezone.now(), error_code=error_code or message.error_code)
        if status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED) and error_code in {
            "21211",
            "21610",
            "21614",
            "30006",
        }:
            phone_opt_out(
                phone=message.phone,
                reason="invalid" if error_code != "21610" else "stop",
                detail=f"provider error {error_code}",
            )
    return True


def messages_for_course(course: Course) -> Any:
    return OutboundMessage.objects.filter(
        Q(enrolment__course=course) | Q(session__course=course)
    ).select_related("participant")
