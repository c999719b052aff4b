"""What every SMS backend returns or raises: the dispatcher acts on this classification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str = "sent"  # what the provider says now: queued/accepted count as sent


@dataclass(frozen=True)
class Found:
    """A message the provider has: what settles a message whose send had no clear answer."""

    provider_id: str
    status: str  # the provider's word for it now (queued, sent, delivered, failed...)
    created_at: datetime | None = None
    error_code: str = ""


class SendError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class PermanentError(SendError):
    """Never retry. `opt_out`: the number itself is the problem and goes on the opt-out list
    for this reason ("invalid": not a reachable mobile; "stop": it opted out with the
    provider); empty when it is the account or the request (nobody is flagged)."""

    def __init__(self, code: str, detail: str = "", *, opt_out: str = "") -> None:
        super().__init__(code, detail)
        self.opt_out = opt_out


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

    def find(self, *, to: str, body: str, since: datetime) -> Found | None:
        """The message with this text the provider created for `to` since `since`; None only
        when the provider certainly has none. Raises TransientError when it cannot tell (it is
        unreachable, or this backend cannot look messages up): the caller asks again later."""
        raise TransientError("cannot ask", f"{type(self).__name__} cannot look messages up")
