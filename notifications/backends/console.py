from __future__ import annotations

import itertools
import logging

from notifications.backends.base import Backend, SendResult

logger = logging.getLogger("notifications.sms")
_ids = itertools.count(1)


class ConsoleBackend(Backend):
    """Development: prints each SMS; the outbox keeps it."""

    def send(
        self, *, to: str, body: str, validity_seconds: int | None, status_callback: str
    ) -> SendResult:
        provider_id = f"console-{next(_ids)}"
        logger.info("SMS to %s (%s): %s", to, provider_id, body)
        return SendResult(provider_id)
