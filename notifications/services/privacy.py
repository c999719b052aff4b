"""A person's SMS on erasure and export, and the retention of old SMS texts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from courses.models import Participant
from notifications import texts
from notifications.models import MessageStatus, OutboundMessage, PhoneOptOut

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


def participant_messages_export(*, participant: Participant) -> dict[str, Any]:
    """The person's SMS (with the text, or the text to come for those still pending) and
    whether their number is on the opt-out list, for their data export."""
    messages = []
    for message in OutboundMessage.objects.filter(participant=participant).order_by("due_at", "pk"):
        text = message.body
        if not text and message.status == MessageStatus.PENDING and message.context:
            try:
                text = texts.render(message.kind, message.context, participant.language)
            except (KeyError, ValueError, TypeError):
                text = ""
        messages.append(
            {
                "kind": message.kind,
                "status": message.status,
                "due_at": message.due_at.isoformat(),
                "sent_at": message.sent_at.isoformat() if message.sent_at else None,
                "phone": message.phone,
                "text": text,
            }
        )
    opt_out = (
        PhoneOptOut.objects.filter(phone=participant.phone).first() if participant.phone else None
    )
    return {
        "sms_messages": messages,
        "sms_opt_out": {
            "opted_out": opt_out is not None,
            "reason": opt_out.reason if opt_out else None,
            "since": opt_out.created_at.isoformat() if opt_out else None,
        },
    }
