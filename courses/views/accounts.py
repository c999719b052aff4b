"""Trainers' and staff's accounts: the locked-out page (django-axes) and the password reset.

Logging in is django.contrib.auth's view (/accounts/login/); django-axes counts its failures."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the site's "too many failed logins" page, 429, in the reader's
    language, saying for how many minutes logging in is paused."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset: the same answer whether the address is known or not; the e-mail
    in the language of the page it was asked from, with a link to the site's public address
    (PUBLIC_BASE_URL), never to the Host the request named."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.extra_email_context = {"base_url": settings.PUBLIC_BASE_URL}
        return super().get_form_kwargs()
