"""A local stand-in for Twilio's Messages API, spoken to by the real `twilio` SDK.

It listens on 127.0.0.1 (a free port), keeps every request it gets, and answers as Twilio does:
201 with a Message resource, or Twilio's error JSON. What happens to a message depends on its
`To` number, like Twilio's test credentials (+15005550001 invalid, +15005550004 unsubscribed…);
tests give other numbers a behaviour through `TwilioDouble.behaviours`, and the whole API one for
a while through `TwilioDouble.down` (an outage: 5xx, 429 or no answer, then it recovers). The
messages it created can be listed (GET Messages.json by `To` and `DateSent>`), as Twilio's are.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# Behaviours a `To` number can have.
ACCEPT = "accept"
INVALID = "invalid"  # 400, 21211: not a valid phone number
UNSUBSCRIBED = "unsubscribed"  # 400, 21610: the recipient replied STOP
NOT_MOBILE = "not-mobile"  # 400, 21614: not a mobile number
RATE_LIMITED = "rate-limited"  # 429, 20429
SERVER_ERROR = "server-error"  # 500, 20500
SLOW = "slow"  # answers only after `slow_seconds` (longer than the client waits)
HANG_UP = "hang-up"  # reads the request, then closes the connection without an answer

INVALID_NUMBER = "+15005550001"
UNSUBSCRIBED_NUMBER = "+15005550004"
NOT_MOBILE_NUMBER = "+15005550009"
RATE_LIMITED_NUMBER = "+15005550429"
SERVER_ERROR_NUMBER = "+15005550500"
SLOW_NUMBER = "+15005550408"
HANG_UP_NUMBER = "+15005550499"
TEST_FROM = "+15005550006"  # Twilio's valid "From" for test credentials

MAGIC_NUMBERS = {
    INVALID_NUMBER: INVALID,
    UNSUBSCRIBED_NUMBER: UNSUBSCRIBED,
    NOT_MOBILE_NUMBER: NOT_MOBILE,
    RATE_LIMITED_NUMBER: RATE_LIMITED,
    SERVER_ERROR_NUMBER: SERVER_ERROR,
    SLOW_NUMBER: SLOW,
    HANG_UP_NUMBER: HANG_UP,
}

# (HTTP status, Twilio error code, message) per failing behaviour.
ERRORS = {
    INVALID: (400, 21211, "The 'To' number {to} is not a valid phone number."),
    UNSUBSCRIBED: (400, 21610, "Attempt to send to unsubscribed recipient"),
    NOT_MOBILE: (400, 21614, "'To' number is not a valid mobile number"),
    RATE_LIMITED: (429, 20429, "Too Many Requests"),
    SERVER_ERROR: (500, 20500, "Internal Server Error"),
}

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages\.json$")


@dataclass(frozen=True)
class Received:
    """One request as the double got it."""

    method: str
    path: str
    fields: dict[str, str]  # the form, decoded
    username: str
    password: str

    @property
    def to(self) -> str:
        return self.fields.get("To", "")


class TwilioDouble:
    def __init__(self, *, account_sid: str, auth_token: str, slow_seconds: float = 3.0) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.slow_seconds = slow_seconds
        self.behaviours: dict[str, str] = dict(MAGIC_NUMBERS)
        self.received: list[Received] = []
        self.created: list[dict[str, Any]] = []  # the Message resources answered with 201
        self._down: tuple[str, float] | None = None  # (behaviour, until time.time())
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends the waits of slow answers at shutdown
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> TwilioDouble:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.double = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what the tests read -----------------------------------------------------------------

    def to(self, number: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.to == number]

    def posts(self, number: str) -> list[Received]:
        """The requests to send an SMS to `number` (not the look-ups)."""
        return [r for r in self.to(number) if r.method == "POST"]

    def created_for(self, number: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.created if m["to"] == number]

    def _record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    # --- outages -----------------------------------------------------------------------------

    def down(self, behaviour: str, *, until: float = float("inf")) -> None:
        """Every request (sending or listing) gets `behaviour` (SERVER_ERROR, RATE_LIMITED,
        SLOW, HANG_UP) until `time.time()` reaches `until` (time_machine moves it too), or
        until `up()`."""
        with self._lock:
            self._down = (behaviour, until)

    def up(self) -> None:
        with self._lock:
            self._down = None

    def _outage(self) -> str | None:
        with self._lock:
            if self._down is None:
                return None
            behaviour, until = self._down
            if time.time() >= until:
                self._down = None
                return None
            return behaviour

    # --- answers -----------------------------------------------------------------------------

    def answer(self, received: Received, account: str) -> tuple[int, dict[str, Any] | None]:
        """(HTTP status, JSON body); body None: hang up without answering."""
        if (received.username, received.password) != (self.account_sid, self.auth_token) or (
            account != self.account_sid
        ):
            return 401, _error(401, 20003, "Authenticate")
        outage = self._outage()
        fields = received.fields
        to = fields.get("To", "")
        if not to:
            return 400, _error(400, 21604, "A 'To' phone number is required.")
        if not fields.get("Body"):
            return 400, _error(400, 21602, "Message body is required.")
        if not (fields.get("From") or fields.get("MessagingServiceSid")):
            return 400, _error(400, 21603, "A 'From' or 'MessagingServiceSid' is required.")
        failure = self._fail(outage or self.behaviours.get(to, ACCEPT), to)
        if failure is not None:
            return failure
        message = self._message(fields)
        with self._lock:
            self.created.append(message)
        return 201, message

    def _fail(self, behaviour: str, to: str) -> tuple[int, dict[str, Any] | None] | None:
        """The answer of a failing behaviour; None to go on (SLOW goes on, late)."""
        if behaviour in ERRORS:
            status, code, text = ERRORS[behaviour]
            return status, _error(status, code, text.format(to=to))
        if behaviour == HANG_UP:
            return 0, None
        if behaviour == SLOW:
            self._release.wait(self.slow_seconds)
        return None

    def listing(self, query: dict[str, str], account: str) -> tuple[int, dict[str, Any] | None]:
        """GET Messages.json: the created messages to `To` sent on or after `DateSent>` (a
        date or a date-time, GMT), newest first, as Twilio lists them once they are sent."""
        if account != self.account_sid:
            return 401, _error(401, 20003, "Authenticate")
        outage = self._outage()
        if outage is not None:
            failure = self._fail(outage, "")
            if failure is not None:
                return failure
        after = query.get("DateSent>")
        since = datetime.fromisoformat(after.replace("Z", "+00:00")) if after else None
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        with self._lock:
            found = [
                {**m, "status": "sent", "date_sent": m["date_created"]}
                for m in reversed(self.created)
                if m["to"] == query.get("To", m["to"])
                and (since is None or parsedate_to_datetime(m["date_created"]) >= since)
            ]
        size = int(query.get("PageSize") or 50)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        return 200, {
            "messages": found[:size],
            "end": min(size, len(found)) - 1,
            "first_page_uri": uri,
            "next_page_uri": None,  # one page: the tests never list more
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }

    def _message(self, fields: dict[str, str]) -> dict[str, Any]:
        sid = "SM" + uuid.uuid4().hex
        now = format_datetime(datetime.now(UTC))  # RFC 2822, as Twilio writes dates (+0000)
        service = fields.get("MessagingServiceSid")
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": fields["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": fields.get("From"),  # a messaging service picks the sender later
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            # Through a messaging service Twilio first says "accepted", else "queued".
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": fields["To"],
            "uri": f"{uri}.json",
        }


def _error(status: int, code: int, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "TwilioDouble/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output

    def do_GET(self) -> None:
        double: TwilioDouble = self.server.double  # type: ignore[attr-defined]
        username, password = _basic_auth(self.headers.get("Authorization", ""))
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        received = Received("GET", self.path, query, username, password)
        double._record(received)
        match = MESSAGES_PATH.match(parts.path)
        if match is None:
            self._send(404, _error(404, 20404, f"The requested resource {self.path} was not found"))
            return
        if (username, password) != (double.account_sid, double.auth_token):
            self._send(401, _error(401, 20003, "Authenticate"))
            return
        status, body = double.listing(query, match["account"])
        if body is None:
            self.close_connection = True
            return
        self._send(status, body)

    def do_POST(self) -> None:
        double: TwilioDouble = self.server.double  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode()
        username, password = _basic_auth(self.headers.get("Authorization", ""))
        received = Received(
            method="POST",
            path=self.path,
            fields=dict(parse_qsl(form, keep_blank_values=True)),
            username=username,
            password=password,
        )
        double._record(received)
        match = MESSAGES_PATH.match(self.path.split("?", 1)[0])
        if match is None:
            self._send(404, _error(404, 20404, f"The requested resource {self.path} was not found"))
            return
        status, body = double.answer(received, match["account"])
        if body is None:
            self.close_connection = True  # the client sees the connection dropped
            return
        self._send(status, body)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)


def _basic_auth(header: str) -> tuple[str, str]:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    username, _, password = base64.b64decode(value).decode().partition(":")
    return username, password
