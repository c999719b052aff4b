"""The centre timetable: a week or a month of every session, filtered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from workspace.forms.timetable import TimetableFilters
from workspace.selectors.scope import Scope
from workspace.selectors.timetable import timetable_for
from workspace.views.base import workspace_view


@workspace_view
@require_GET
def timetable(request: HttpRequest, scope: Scope) -> HttpResponse:
    form = TimetableFilters(
        request.GET or None, scope=scope, initial={"view": "week", "date": timezone.localdate()}
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        status = 200
    else:
        data = {"view": "week", "date": timezone.localdate()}
        status = 400 if form.is_bound else 200
    page = timetable_for(
        scope,
        view=data["view"],
        day=data["date"],
        filters={k: data.get(k) for k in ("course", "kind", "trainer", "venue")},
    )
    return render(
        request,
        "workspace/timetable.html",
        {"scope": scope, "section": "timetable", "form": form, "page": page},
        status=status,
    )
