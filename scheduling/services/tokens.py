"""Writes for private calendar links."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from scheduling.models import CalendarToken


def calendar_tokens_revoke(*, tokens: QuerySet[CalendarToken]) -> int:
    """Stop private calendar links at once (a leaked link); returns how many were still on."""
    with transaction.atomic():
        return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
