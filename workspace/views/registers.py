"""Registers of past sessions, in the workspace: the last weeks' (newest first, with how many
marks each holds, so a register never filled in stands out) and any day's by a date picker.
Staff see their centres' sessions, trainers their own; each opens the register at /register/.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from courses.forms.register import RegisterDayForm
from courses.selectors.register import register_sessions_on_days
from workspace.selectors.scope import Scope
from workspace.views.base import workspace_view

PAST_WEEKS = 4


@workspace_view
@require_GET
def registers(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = timezone.localdate()
    form = RegisterDayForm(request.GET)
    picked = form.picked
    if picked is not None:
        sessions = register_sessions_on_days(scope.user, first=picked, last=picked)
    else:
        sessions = register_sessions_on_days(
            scope.user,
            first=today - timedelta(weeks=PAST_WEEKS),
            last=today,
            newest_first=True,
        )
    return render(
        request,
        "workspace/registers.html",
        {
            "scope": scope,
            "section": "registers",
            "form": form,
            "picked": picked,
            "sessions": sessions,
            "weeks": PAST_WEEKS,
        },
        status=200 if form.is_valid() else 400,
    )
