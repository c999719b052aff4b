"""The SMS log of the staff member's centres: every message, filtered by course, person, kind
and status, with how many were delivered and how many failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from notifications.models import MessageStatus, OutboundMessage
from workspace.selectors.people import phone_query
from workspace.selectors.scope import Scope

FAILED = (MessageStatus.FAILED, MessageStatus.UNDELIVERED)


@dataclass(frozen=True)
class SmsTotals:
    count: int
    delivered: int
    failed: int


def messages_of(scope: Scope) -> QuerySet[OutboundMessage]:
    """Messages to the people of the user's centres, and the codes sent to prove a number for
    one of their courses (before the person is known). Staff only."""
    if not scope.is_manager:
        raise Http404
    qs = OutboundMessage.objects.select_related(
        "participant__centre", "session__course", "enrolment__course", "verification__course"
    )
    if scope.superuser:
        return qs
    return qs.filter(
        Q(participant__centre_id__in=scope.managed)
        | Q(participant__isnull=True, verification__course__centre_id__in=scope.managed)
    )


def sms_log(scope: Scope, filters: dict[str, Any]) -> tuple[QuerySet[OutboundMessage], SmsTotals]:
    """The filtered messages, newest first, and their totals (one query for the totals; the
    caller pages the list)."""
    qs = messages_of(scope)
    if course := filters.get("course"):
        qs = qs.filter(
            Q(enrolment__course_id=course)
            | Q(session__course_id=course)
            | Q(verification__course_id=course)
        )
    if person := filters.get("person"):
        qs = qs.filter(participant_id=person)
    if text := " ".join((filters.get("q") or "").split()):
        full, digits = phone_query(text)
        if digits and not any(ch.isalpha() for ch in text):
            match = Q(participant__phone__contains=digits) | Q(phone__contains=digits)
            if full:
                match |= Q(participant__phone=full) | Q(phone=full)
        else:
            match = Q()
            for word in text.split():
                match &= Q(participant__name__icontains=word)
        qs = qs.filter(match)
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    totals = qs.order_by().aggregate(
        count=Count("pk"),
        delivered=Count("pk", filter=Q(status=MessageStatus.DELIVERED)),
        failed=Count("pk", filter=Q(status__in=FAILED)),
    )
    return qs.order_by("-due_at", "-pk"), SmsTotals(**totals)
