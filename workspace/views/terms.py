"""Copy a course into a new term."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from workspace.selectors.scope import Scope
from workspace.views.base import workspace_view


@workspace_view
@require_http_methods(["GET", "POST"])
def course_copy(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    raise Http404
