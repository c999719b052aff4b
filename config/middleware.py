"""Cross-cutting request checks."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.utils.translation import gettext as _


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
            return HttpResponseNotFound(_("Not found."), content_type="text/plain; charset=utf-8")
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address contains characters that are not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        if "\x00" in request.META.get("HTTP_AUTHORIZATION", "") or any(
            "\x00" in name or "\x00" in value for name, value in request.COOKIES.items()
        ):
            return HttpResponseBadRequest(
                _("The request contains characters that are not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
