from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

from notifications.backends.base import Backend, SendResult

_lock = threading.Lock()
_ids = itertools.count(1)


@dataclass(frozen=True)
class Sent:
    to: str
    body: str
    provider_id: str
    validity_seconds: int | None


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
