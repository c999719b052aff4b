"""Reads of the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min

from notifications.models import MessageStatus, OutboundMessage


@dataclass(frozen=True)
class Backlog:
    count: int
    oldest_due_at: datetime | None


def outbox_backlog(*, now: datetime) -> Backlog:
    """Messages that are due and not yet handed to the provider (waiting, or taken by a
    dispatcher), and when the oldest of them was due: for monitoring (/healthz). One query on
    the (status, due_at) index."""
    counts = OutboundMessage.objects.filter(
        status__in=[MessageStatus.PENDING, MessageStatus.CLAIMED], due_at__lte=now
    ).aggregate(count=Count("id"), oldest=Min("due_at"))
    return Backlog(count=counts["count"], oldest_due_at=counts["oldest"])
