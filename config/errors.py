"""The site's error answers: 400 and 404 (JSON for clients that speak JSON, Django's pages for
the others), 503 while the database, cache or broker is unavailable, and the 500 page, which is
only for bugs. The one place where outages become answers (see `server_error`)."""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from courses.errors import Busy

logger = logging.getLogger(__name__)


def _speaks_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or request.content_type == "application/json"


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django answers 400 for a request it refuses before or while a view reads it: a body
    larger than DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig), too many fields, a bad host.
    Everything under /api/ (and any request that sent JSON, such as the register's script)
    gets a JSON `detail` saying what is wrong; other pages keep Django's 400 page."""
    if not _speaks_json(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        detail = _("The request is too large.")
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        detail = _("The request has too many fields.")
    else:
        detail = _("The request could not be read.")
    return JsonResponse({"detail": detail}, status=400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL no route matches (under /api/: an id that is not a number, such as /courses/1.5/,
    or a resource that does not exist) answers JSON there, as the API's own 404s do; other pages
    keep Django's 404 page."""
    if not _speaks_json(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse({"detail": _("Not found.")}, status=404)


# How long clients are asked to wait (Retry-After): a database restart or a broker fail-over
# takes tens of seconds; a seat lock held by others a few.
RETRY_AFTER_UNAVAILABLE = 30
RETRY_AFTER_BUSY = 5


def _outages() -> tuple[type[BaseException], ...]:
    """What an unreachable or unanswering database, cache or broker raises."""
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (
        OperationalError,  # connection refused or lost, timeouts, too many connections
        InterfaceError,  # a connection that is already closed
        BrokerError,
        RedisConnectionError,
        RedisTimeoutError,
        ConnectionError,
    )


def is_outage(exc: BaseException | None) -> bool:
    """A service the site depends on is unavailable for the moment: not a bug in the code."""
    return exc is not None and isinstance(exc, _outages())


def _page(request: HttpRequest, template: str, status: int, message: str) -> HttpResponse:
    """The site's own page, in the request's language, saying `message`. It needs no database
    (base.html reads neither the user nor the session); if it cannot be rendered at all (a
    broken template or URL configuration), `message` in plain text."""
    try:
        body = loader.render_to_string(template, {"message": message}, request=request)
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("The %s page could not be rendered", status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=status)


def service_unavailable(
    request: HttpRequest, *, retry_after: int = RETRY_AFTER_UNAVAILABLE, busy: str = ""
) -> HttpResponse:
    """503 while the database, the cache or the broker is unavailable (or, with `busy`, while
    others hold what the request needs): JSON with a `code` under /api/ and for JSON requests,
    plain text for calendar feeds (calendar clients retry), the site's page elsewhere; always
    with Retry-After and never cached."""
    message = busy or _("The service is unavailable for a moment. Please try again in a minute.")
    if _speaks_json(request):
        code = "busy" if busy else "unavailable"
        response: HttpResponse = JsonResponse({"detail": message, "code": code}, status=503)
    elif request.path_info.startswith("/calendars/"):
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = _page(request, "503.html", 503, message)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this for any exception no view handled (it is still being handled, so
    sys.exc_info() names it). An outage of the database, cache or broker is a 503 that says
    "try again" (service_unavailable); so is a seat lock held too long where no view answered
    it; anything else is a bug: the site's own 500 page (JSON under /api/)."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        return service_unavailable(request)
    if isinstance(exc, Busy):
        return service_unavailable(request, retry_after=RETRY_AFTER_BUSY, busy=str(exc.message))
    if _speaks_json(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return _page(
        request,
        "500.html",
        500,
        _("This is our mistake, not yours, and it has been recorded. Please try again later."),
    )
