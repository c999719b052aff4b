"""The site's 400 and 404 pages: JSON for clients that speak JSON, Django's pages for the
others."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


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
