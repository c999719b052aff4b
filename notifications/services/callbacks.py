"""What the provider tells us: delivery reports, and incoming SMS (STOP/START)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.backends import twilio
from notifications.models import STATUS_RANK, MessageStatus, OutboundMessage
from notifications.services.optout import phone_opt_in, phone_opt_out

TWILIO_STATUSES = {
    "queued": MessageStatus.SENDING,
    "accepted": MessageStatus.SENDING,
    "sending": MessageStatus.SENDING,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}
STOP_WORDS = {
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",  # English (Twilio's own)
    "STOPSMS", "NIE", "KONIEC",  # Polish
    "СТОП", "НІ", "ВІДПИСАТИСЯ",  # Ukrainian
    "НЕТ", "ОТПИСАТЬСЯ",  # Russian
}  # fmt: skip
START_WORDS = {"START", "UNSTOP", "YES", "TAK", "СТАРТ", "ТАК", "ДА"}


def delivery_status_record(*, provider_id: str, provider_status: str, error_code: str = "") -> bool:
    """Record a delivery report idempotently; a status never moves backwards. A failure that
    the backend blames on the number puts the number on the opt-out list."""
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
        message.status, message.status_changed_at = status, timezone.now()
        message.error_code = error_code or message.error_code
        message.save(update_fields=["status", "status_changed_at", "error_code"])
        if status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
            reason = twilio.opt_out_reason(error_code)
            if reason:
                phone_opt_out(
                    phone=message.phone, reason=reason, detail=f"provider error {error_code}"
                )
    return True


def inbound_message_record(*, phone: str, body: str) -> str:
    """An SMS from `phone` (a normalised mobile): its first word opts the number out ("stop")
    or back in ("start") for every centre; anything else changes nothing ("")."""
    words = body.strip().upper().split()
    word = words[0].strip(".!") if words else ""
    if word in STOP_WORDS:
        phone_opt_out(phone=phone, reason="stop", detail=word)
        return "stop"
    if word in START_WORDS:
        phone_opt_in(phone=phone)
        return "start"
    return ""
