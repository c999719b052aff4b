"""Cross-cutting request checks."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.translation import gettext as _

from config.errors import RETRY_AFTER_BUSY
from scheduling.views import accepts_gzip


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """JSON `{"detail": ...}` under /api/ and for requests that sent JSON (as the API documents
    its errors, and as config.errors answers), plain text elsewhere."""
    if request.path_info.startswith("/api/") or request.content_type == "application/json":
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RejectNullCharacters:
    """A NUL character (%00) in the path or the query string is never meaningful here, and
    PostgreSQL refuses it in text: a path with one is not found (404), a query with one is a bad
    request (400), before any view sees them. So is a cookie with one (a quoted value may spell
    it as \\000, which the session lookup handed to the database: a 500 on every page) and an
    Authorization header with one (the token lookup)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return _refusal(request, _("Not found."), 404)
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return _refusal(
                request, _("The address contains characters that are not allowed."), 400
            )
        if "\x00" in request.META.get("HTTP_AUTHORIZATION", "") or any(
            "\x00" in name or "\x00" in value for name, value in request.COOKIES.items()
        ):
            return _refusal(
                request, _("The request contains characters that are not allowed."), 400
            )
        return self.get_response(request)


class RetryAfter:
    """Every 503 tells the client when to try again: an answer that did not say so itself (a
    "busy, try again" from the API, the enrolment form, the personal page or the register) gets
    Retry-After of a few seconds. First in MIDDLEWARE, so it sees every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 503 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(RETRY_AFTER_BUSY)
        return response


# What is worth compressing: text (pages, the API's JSON and its schema, CSV exports), but not a
# stream of events, which gzip would hold back.
COMPRESSED_TYPES = ("text/", "application/json", "application/vnd.oai.openapi")
NOT_COMPRESSED_TYPES = ("text/event-stream",)
# Pages that hold a person's data or link: never compressed (see CompressText).
PERSONAL_PATHS = ("/me/", "/admin/", "/staff/", "/register/", "/reports/", "/accounts/")


class CompressText(GZipMiddleware):
    """Public pages and API answers gzip-compressed for a client that takes it (a phone on a
    slow connection gets a centre's page in a seventh of the bytes); images and uploaded files
    as they are. Django's GZipMiddleware (`Vary: Accept-Encoding`, random bytes in each gzip
    header), for anonymous visitors only and never on a page of a personal link, the staff's
    pages or the admin: a compressed page that holds a secret (a personal link, a person's
    data) beside text an attacker can put in it is what BREACH reads, and staff on a desk's
    connection gain little. Static files and calendar feeds are answered before it, each with
    compressed copies of its own, made once (WhiteNoise's; `scheduling.feeds.cached_render`)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        kind = response.get("Content-Type", "")
        if (
            not kind.startswith(COMPRESSED_TYPES)
            or kind.startswith(NOT_COMPRESSED_TYPES)
            or request.path_info.startswith(PERSONAL_PATHS)
            or not accepts_gzip(request)
            or getattr(getattr(request, "user", None), "is_authenticated", False)
        ):
            return response
        return super().process_response(request, response)
