"""Twilio through its SDK. TWILIO_API_BASE_URL points the SDK at another host (a test double)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NameResolutionError, NewConnectionError

from notifications.backends.base import (
    AmbiguousError,
    Backend,
    Found,
    PermanentError,
    SendResult,
    TransientError,
)

# Twilio's error codes (https://www.twilio.com/docs/api/errors), listed here only. The number
# itself is the problem: never retried, and the number goes on the opt-out list with this
# reason, whether Twilio refuses the message at once or reports it failed later.
OPT_OUT_CODES = {
    21211: "invalid",  # not a valid phone number
    21214: "invalid",  # the number cannot be reached
    21217: "invalid",  # the number does not appear to be valid
    21408: "invalid",  # SMS not enabled for the number's region
    21610: "stop",  # the person replied STOP to our sender (START lifts it)
    21612: "invalid",  # not reachable by SMS
    21614: "invalid",  # not a mobile number
    30004: "invalid",  # message blocked
    30005: "invalid",  # unknown handset
    30006: "invalid",  # landline or unreachable carrier
    30007: "invalid",  # filtered by the carrier
}
# Try again later with backoff, as are HTTP 429 and 5xx answers.
TRANSIENT_CODES = {20429, 30001, 30002, 30003, 30008, 30017, 30022}
MAX_VALIDITY = 36000  # Twilio's ValidityPeriod is 1 s .. 36,000 s
# Messages listed when settling one: a person gets a handful a day; a full page without the
# one looked for cannot prove it is not there.
LIST_LIMIT = 50


class TwilioBackend(Backend):
    def __init__(self) -> None:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ValueError("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM):
            raise ValueError("SMS_BACKEND=twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM")
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=15),
        )
        if settings.TWILIO_API_BASE_URL:
            self.client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")

    def send(
        self, *, to: str, body: str, validity_seconds: int | None, status_callback: str
    ) -> SendResult:
        params: dict[str, Any] = {"to": to, "body": body, "status_callback": status_callback}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            params["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            params["from_"] = settings.TWILIO_FROM
        if validity_seconds is not None:
            params["validity_period"] = max(1, min(validity_seconds, MAX_VALIDITY))
        try:
            message = self.client.messages.create(**params)
        except TwilioRestException as exc:
            code = int(exc.code) if exc.code else 0
            reason = opt_out_reason(code)
            if reason:
                raise PermanentError(str(code), str(exc.msg), opt_out=reason) from exc
            if exc.status == 429 or exc.status >= 500 or code in TRANSIENT_CODES:
                raise TransientError(str(code or exc.status), str(exc.msg)) from exc
            # The account or the request (credentials, sender, service): not the recipient.
            raise PermanentError(str(code or exc.status), str(exc.msg)) from exc
        except requests.exceptions.ConnectionError as exc:
            if _never_sent(exc):
                raise TransientError("network", str(exc)) from exc
            # Aborted after the request went out: Twilio may have the message.
            raise AmbiguousError("connection aborted", str(exc)) from exc
        except requests.exceptions.Timeout as exc:
            raise AmbiguousError("timeout", str(exc)) from exc
        return SendResult(message.sid, message.status or "queued")

    def find(self, *, to: str, body: str, since: datetime) -> Found | None:
        """Twilio's Message resource listed by recipient (`To`) and sent date: Twilio filters
        `DateSent>=` by whole GMT days, so the day before `since` is asked and the match is
        made here, on the text and the creation time. No idempotency key exists to ask by."""
        day = datetime.combine(since.astimezone(UTC).date() - timedelta(days=1), time(), UTC)
        try:
            listed = self.client.messages.list(
                to=to, date_sent_after=day, limit=LIST_LIMIT, page_size=LIST_LIMIT
            )
        except TwilioRestException as exc:
            raise TransientError(str(exc.code or exc.status), str(exc.msg)) from exc
        except TwilioException as exc:  # a page that was not 200 (a proxy's or Twilio's own)
            raise TransientError("listing", str(exc)) from exc
        except requests.exceptions.RequestException as exc:
            raise TransientError("network", str(exc)) from exc
        for message in listed:
            created = message.date_created
            if (
                message.body == body
                and str(message.direction or "").startswith("outbound")
                and isinstance(created, datetime)
                and created >= since
            ):
                code = str(message.error_code) if message.error_code else ""
                return Found(message.sid or "", str(message.status or "sent"), created, code)
        if len(listed) >= LIST_LIMIT:
            raise TransientError("too many", f"{len(listed)} messages to {to}: cannot tell")
        return None


def opt_out_reason(error_code: str | int) -> str:
    """What a Twilio error code (of a refused message, or of a failure in a delivery report)
    says about the number: the reason to put it on the opt-out list, or "" (nothing)."""
    try:
        return OPT_OUT_CODES.get(int(error_code), "")
    except ValueError:
        return ""


def _never_sent(exc: requests.exceptions.ConnectionError) -> bool:
    """True only when no connection was made, so the request cannot have reached Twilio."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(inner, NewConnectionError | NameResolutionError)
