"""The opt-out list: numbers that get no SMS (STOP, unreachable), and opting back in."""

from __future__ import annotations

from notifications.models import PhoneOptOut


def phone_opt_out(*, phone: str, reason: str = "stop", detail: str = "") -> None:
    """No SMS to this number from any centre (STOP, or unreachable)."""
    if not phone:  # a late report about an erased person's message: nothing to remember
        return
    PhoneOptOut.objects.update_or_create(phone=phone, defaults={"reason": reason, "detail": detail})


def phone_opt_in(*, phone: str) -> bool:
    """The number said START (by SMS, or consent given again): only a STOP is forgotten; a
    number the provider called unreachable stays on the list."""
    return PhoneOptOut.objects.filter(phone=phone, reason="stop").delete()[0] > 0


def is_opted_out(phone: str) -> bool:
    return PhoneOptOut.objects.filter(phone=phone).exists()
