"""The demo's SMS as a provider would have answered them (`manage.py load_demo`).

The demo's people have numbers reserved for fiction, so nothing is handed to a backend: each
due message gets its text, as the dispatcher would render it, and a delivery status, so the SMS
log shows sent, delivered and failed messages on the first run. Reminders due later stay
pending, as they would.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from notifications import texts
from notifications.models import MessageStatus, OutboundMessage
from notifications.segments import sms_size

# Every fifth message is only "sent" (no delivery report yet), every ninth failed: Twilio's
# 30003, "unreachable destination handset" (the phone was off), which does not opt out a number.
SENT_EVERY, FAILED_EVERY = 5, 9
UNREACHABLE = "30003"


def demo_outbox_settle(*, participant_ids: Iterable[int]) -> int:
    """Give the demo people's due messages their text and a delivery status; returns how many.
    Only `pending` rows change, so a second call changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboundMessage.objects.select_for_update()
            .select_related("participant")
            .filter(
                participant_id__in=list(participant_ids),
                status=MessageStatus.PENDING,
                due_at__lte=now,
            )
            .order_by("pk")
        )
        settled = 0
        for number, message in enumerate(due, start=1):
            person = message.participant
            assert person is not None  # noqa: S101  # filtered by participant
            body = texts.render(message.kind, message.context, person.language)
            size = sms_size(body)
            sent_at = now - timedelta(minutes=len(due) - number)
            status = (
                MessageStatus.FAILED
                if number % FAILED_EVERY == 0
                else MessageStatus.SENT
                if number % SENT_EVERY == 0
                else MessageStatus.DELIVERED
            )
            message.phone, message.body = person.phone, body
            message.segments, message.encoding = size.segments, size.encoding
            message.attempts = 1
            message.provider_id = f"demo-{message.pk}"
            message.sent_at = sent_at
            message.status, message.status_changed_at = status, sent_at
            message.error_code = UNREACHABLE if status == MessageStatus.FAILED else ""
            message.save(
                update_fields=[
                    "phone",
                    "body",
                    "segments",
                    "encoding",
                    "attempts",
                    "provider_id",
                    "sent_at",
                    "status",
                    "status_changed_at",
                    "error_code",
                ]
            )
            settled += 1
    return settled
