"""The site's 400 page: JSON for clients that speak JSON, Django's page for the others."""

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
