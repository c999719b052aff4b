"""The visitor's language, remembered the way Django's `set_language` view remembers it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse


def language_remember(response: HttpResponse, lang: str) -> HttpResponse:
    """Set the language cookie on `response` with the project's cookie settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
