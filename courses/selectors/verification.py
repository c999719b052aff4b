"""Reads of pending phone verifications (by their unguessable id only)."""

from __future__ import annotations

from courses.models import PhoneVerification


def pending_phone(public_id: str) -> str:
    """Where the code of a verification went, to show on the code page ('' if unknown)."""
    phone = (
        PhoneVerification.objects.filter(public_id=str(public_id)[:32])
        .values_list("phone", flat=True)
        .first()
    )
    return phone or ""
