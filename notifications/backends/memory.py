from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from notifications.backends.base import Backend, Found, SendResult

_lock = threading.Lock()
_ids = itertools.count(1)


@dataclass(frozen=True)
class Sent:
    to: str
    body: str
    provider_id: str
    validity_seconds: int | None
    sent_at: datetime = field(default_factory=timezone.now, compare=False)


outbox: list[Sent] = []


class MemoryBackend(Backend):
    """Tests: keeps what was sent in `notifications.backends.memory.outbox`."""

    def send(
        self, *, to: str, body: str, validity_seconds: int | None, status_callback: str
    ) -> SendResult:
        with _lock:
            provider_id = f"memory-{next(_ids)}"
            outbox.append(Sent(to, body, provider_id, validity_seconds))
        return SendResult(provider_id)

    def find(self, *, to: str, body: str, since: datetime) -> Found | None:
        with _lock:
            for sms in outbox:
                if (sms.to, sms.body) == (to, body) and sms.sent_at >= since:
                    return Found(sms.provider_id, "sent", sms.sent_at)
        return None
