"""Rate limits for self-enrolment (the form and the API) and its codes, per client address.

Counted with `courses.limits.allow()` in the default cache, which every web process shares (the
database cache on the embedded defaults, Redis with CACHE_URL). A client is its address as
`client_address()` reads it, the same for throttles and for the login lock-out (django-axes).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from courses.limits import allow
from courses.selectors.tenancy import is_centre_staff


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


class EnrolmentThrottle(SimpleRateThrottle):
    """Self-enrolment attempts per client address (ENROLMENT_RATE); centre staff are not
    throttled. Counted with `allow()`, so parallel attempts cannot slip past the limit."""

    scope = "enrol"

    def get_rate(self) -> str:
        return settings.ENROLMENT_RATE

    def get_ident(self, request: HttpRequest | Request) -> str:
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
