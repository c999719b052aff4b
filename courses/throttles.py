"""Rate limits: self-enrolment (the form and the API), and `allow()` for any other per-key limit.

Counts live in the default cache, which every web process shares (the database cache on the
embedded defaults, Redis with CACHE_URL). A client is its address as `client_address()` reads it,
the same for throttles and for the login lock-out (django-axes).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from courses.selectors.tenancy import is_centre_staff

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request: HttpRequest | Request) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXIES = N (> 0) proxies in front,
    the Nth address from the right of X-Forwarded-For (what the outermost trusted proxy saw).

    Anything further left is what the client itself claimed and is ignored, so a client cannot
    make itself new identities by sending the header. The same rule as DRF's `get_ident()` with
    NUM_PROXIES = TRUSTED_PROXIES (set so in the settings)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = forwarded.split(",")
    return addresses[-min(proxies, len(addresses))].strip() or remote


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate such as "3/hour" as (3, 3600): events per second, minute, hour or day."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period.strip()[0]]


def hits(key: str, *, period: int) -> int:
    """Count one more event under `key` and return the count in its window: the window opens at
    the key's first event and lasts `period` seconds. Atomic in every process: `cache.add()` opens
    the window, `cache.incr()` counts (Redis INCR; the database cache locks the key's row)."""
    counter = f"limit:{key}"
    for _attempt in range(3):
        cache.add(counter, 0, timeout=period)
        try:
            return int(cache.incr(counter))
        except ValueError:  # the window closed between add() and incr(): open the next one
            continue
    return 1  # a cache that cannot count (DummyCache) limits nothing


def allow(key: str, *, rate: str) -> bool:
    """Whether one more event under `key` (e.g. "sms-code:number:+48600100200") is within `rate`
    ("3/hour"). Every call counts, allowed or not: a client refused keeps being refused until
    the window that opened at its first event closes."""
    limit, period = parse_rate(rate)
    return hits(key, period=period) <= limit


class EnrolmentThrottle(SimpleRateThrottle):
    """Self-enrolment attempts per client address (ENROLMENT_RATE); centre staff are not
    throttled. Counted with `allow()`, so parallel attempts cannot slip past the limit."""

    scope = "enrol"

    def get_rate(self) -> str:
        return settings.ENROLMENT_RATE

    def get_ident(self, request: Request) -> str:
        return client_address(request)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if is_centre_staff(request.user):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Request, view: APIView) -> bool:
        if not self.rate:
            return True
        key = self.get_cache_key(request, view)
        return key is None or allow(key, rate=self.rate)

    def wait(self) -> float | None:
        return None


class VerifyThrottle(EnrolmentThrottle):
    """Attempts to prove a phone with a code, per client, counted apart from enrolments."""

    scope = "enrol-verify"
