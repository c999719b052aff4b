"""SMS backends, chosen by the SMS_BACKEND setting: console, memory, twilio."""

from __future__ import annotations

import functools

from django.conf import settings

from notifications.backends.base import (
    AmbiguousError,
    Backend,
    Found,
    PermanentError,
    SendError,
    SendResult,
    TransientError,
)

__all__ = [
    "AmbiguousError",
    "Backend",
    "Found",
    "PermanentError",
    "SendError",
    "SendResult",
    "TransientError",
    "get_backend",
]


@functools.cache
def _backend(name: str) -> Backend:
    if name == "console":
        from notifications.backends.console import ConsoleBackend

        return ConsoleBackend()
    if name == "memory":
        from notifications.backends.memory import MemoryBackend

        return MemoryBackend()
    if name == "twilio":
        from notifications.backends.twilio import TwilioBackend

        return TwilioBackend()
    raise ValueError(f"unknown SMS_BACKEND {name!r}: use console, memory or twilio")


def get_backend() -> Backend:
    return _backend(settings.SMS_BACKEND)
