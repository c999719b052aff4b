"""Settling `unknown` messages: the provider was asked to send them and gave no clear answer (a
timeout, a dropped connection, a dispatcher that died while sending). Twilio has no idempotency
key, so a blind resend may be a second SMS; the provider is asked instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings

from notifications.backends import SendError, get_backend
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services.callbacks import delivery_status_record

logger = logging.getLogger(__name__)
# The provider's clock and ours may differ a little: a match may be created this much before
# the hand-over we know of.
CLOCK_MARGIN = timedelta(minutes=5)
PER_PASS = 20  # lookups one pass makes at most (each is a request to the provider)


def unknown_messages_settle(*, clock: Callable[[], datetime]) -> tuple[int, int]:
    """Ask the provider about `unknown` messages; returns (found and recorded, queued again).

    - found (same recipient and text, created since the hand-over): recorded as sent with the
      provider's id, then its delivery status as a delivery report would (a failure blamed on
      the number flags it), never sent again;
    - certainly not found, asked at least SMS_UNKNOWN_SETTLE_AFTER_SECONDS after the hand-over
      (time for the provider's records to show it): back to `pending`, due now; the usual
      checks at send time drop it if it is no longer useful;
    - not found sooner, or the provider cannot tell (unreachable): stays `unknown`, asked again
      on a later pass. After the first provider failure, this pass asks no more.

    Each outcome is written only if the row is still `unknown`, so two passes at once settle a
    message once."""
    settle_after = timedelta(seconds=settings.SMS_UNKNOWN_SETTLE_AFTER_SECONDS)
    rows = list(
        OutboundMessage.objects.filter(status=MessageStatus.UNKNOWN)
        .exclude(phone="")
        .order_by("status_changed_at", "pk")[:PER_PASS]
    )
    found_count = requeued = 0
    for message in rows:
        handed_over = message.claimed_at or message.status_changed_at or message.due_at
        unknown_since = message.status_changed_at or handed_over
        try:
            found = get_backend().find(
                to=message.phone, body=message.body, since=handed_over - CLOCK_MARGIN
            )
        except SendError as exc:
            logger.warning("SMS %s stays unknown: the provider cannot tell (%s)", message.pk, exc)
            break
        except Exception:  # a bug must not stop the pass from sending what is due
            logger.exception("SMS %s could not be looked up", message.pk)
            break
        now = clock()
        still_unknown = OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.UNKNOWN)
        if found is not None:
            done = still_unknown.update(
                status=MessageStatus.SENT,
                status_changed_at=now,
                provider_id=found.provider_id,
                sent_at=found.created_at or handed_over,
                error_code="",
                # the code is in the text only, which retention removes
                **({"context": {}} if message.kind == MessageKind.VERIFICATION_CODE else {}),
            )
            if done and found.provider_id:
                delivery_status_record(
                    provider_id=found.provider_id,
                    provider_status=found.status,
                    error_code=found.error_code,
                )
            found_count += done
        elif now - unknown_since >= settle_after:
            requeued += still_unknown.update(
                status=MessageStatus.PENDING, status_changed_at=now, due_at=now, claimed_at=None
            )
    return found_count, requeued
