"""The courses of the user's centres: the list, and the course editor."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from workspace.selectors.scope import Scope
from workspace.views.base import workspace_view


@workspace_view
@require_GET
def course_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    courses = scope.courses().prefetch_related("trainers").order_by("-start_date", "title", "pk")
    return render(
        request,
        "workspace/courses.html",
        {"scope": scope, "section": "courses", "courses": courses},
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    raise Http404


@workspace_view
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    raise Http404
