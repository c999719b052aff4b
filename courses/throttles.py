"""Rate limits for self-enrolment, shared by the form and the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from courses.selectors.tenancy import is_centre_staff


class EnrolmentThrottle(SimpleRateThrottle):
    """Self-enrolment attempts per client (ENROLMENT_RATE); centre staff are not throttled."""

    scope = "enrol"

    def get_rate(self) -> str:
        return settings.ENROLMENT_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if is_centre_staff(request.user):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
