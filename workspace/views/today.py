"""Today: the coordinator's (or trainer's) start page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspace.selectors.appointments import appointments_today
from workspace.selectors.scope import Scope
from workspace.selectors.today import today_for
from workspace.views.base import workspace_view


@workspace_view
@require_GET
def today(request: HttpRequest, scope: Scope) -> HttpResponse:
    return render(
        request,
        "workspace/today.html",
        {
            "scope": scope,
            "section": "today",
            "page": today_for(scope),
            "appointments_today": appointments_today(scope),
        },
    )
