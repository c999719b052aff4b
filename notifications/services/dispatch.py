"""The dispatcher: claiming due rows, handing each over, sending, retries with backoff, recovery."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from courses.models import EnrolmentStatus
from notifications import texts
from notifications.backends import AmbiguousError, PermanentError, TransientError, get_backend
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.segments import sms_size
from notifications.services.optout import is_opted_out, phone_opt_out
from notifications.services.planning import quiet_window
from scheduling.models import SessionStatus

logger = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)


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
    if message.kind == MessageKind.VERIFICATION_CODE:
        if is_opted_out(message.phone):
            return "opted out"
        if message.expires_at and message.expires_at <= now:
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
            Q(kind=MessageKind.VERIFICATION_CODE, participant__isnull=True)
            | Q(participant__sms_consent=True, participant__erased_at__isnull=True),
            pk=message.pk,
            status=MessageStatus.CLAIMED,
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
        _finish(message, MessageStatus.FAILED, now, error_code=exc.code)
        if exc.opt_out:  # the backend says the number itself is the problem
            phone_opt_out(
                phone=message.phone, reason=exc.opt_out, detail=f"provider error {exc.code}"
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
        done: dict[str, Any] = {"provider_id": sent.provider_id, "sent_at": now}
        if message.kind == MessageKind.VERIFICATION_CODE:
            done["context"] = {}  # the code is in the text only, which retention removes
        _finish(message, MessageStatus.SENT, now, **done)
        result.sent += 1


def dispatch_pass(*, now: datetime | None = None, batch: int | None = None) -> PassResult:
    """One pass of the dispatcher (Celery beat every minute; `manage.py dispatch_notifications`):

    1. recovery: rows `claimed` for too long go back to `pending` (never handed to the
       provider); rows `sending` for too long become `unknown` (the provider may have them:
       never resent blindly);
    2. claim: in a short transaction, `select_for_update(skip_locked=True)` on due rows, mark
       them `claimed` (two dispatchers never claim the same row);
    3. for each row: re-check that it is still wanted, mark it `sending` (committed), call the
       provider outside any lock, act on how the backend classified its answer.
    """
    now = now or timezone.now()
    result = PassResult(recovered=recover_stuck(now=now))
    for pk in _claim(now, batch or settings.SMS_DISPATCH_BATCH):
        message = OutboundMessage.objects.select_related(
            "participant", "enrolment", "session__course__centre", "verification"
        ).get(pk=pk)
        try:
            _send_one(message, now, result)
        except Exception:  # one broken message must not stop the pass
            logger.exception("SMS %s could not be processed", pk)
            OutboundMessage.objects.filter(pk=pk, status=MessageStatus.CLAIMED).update(
                status=MessageStatus.PENDING, claimed_at=None
            )
    return result
