from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str = "sent"  # what the provider says now: queued/accepted count as sent


class SendError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class PermanentError(SendError):
    """Never retry. `recipient`: the number itself is the problem (invalid, landline, opted
    out) and is flagged; otherwise it is the account or the request (nobody is flagged)."""

    def __init__(self, code: str, detail: str = "", *, recipient: bool = True) -> None:
        super().__init__(code, detail)
        self.recipient = recipient


class TransientError(SendError):
    """Try again later with backoff (rate limit, provider trouble, network before sending)."""


class AmbiguousError(SendError):
    """The provider may or may not have the message (a timeout after sending): never resend
    blindly."""


class Backend:
    def send(
        self, *, to: str, body: str, validity_seconds: int | None, status_callback: str
    ) -> SendResult:
        raise NotImplementedError
