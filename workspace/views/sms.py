"""The SMS log: every message of the staff member's centres, filtered and paged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspace.forms.sms import SmsFilters
from workspace.selectors.scope import Scope
from workspace.selectors.sms import messages_of, sms_log
from workspace.views.base import workspace_view

PER_PAGE = 50


@workspace_view
@require_GET
def sms_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    messages_of(scope)  # staff only
    query = request.GET.copy()
    query.pop("page", None)
    form = SmsFilters(query or None, scope=scope)
    status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            filters = form.cleaned_data
        else:
            status = 400
    qs, totals = sms_log(scope, filters)
    paginator = Paginator(qs, PER_PAGE)
    paginator.count = totals.count  # known from the totals: no second count query
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/sms.html",
        {
            "scope": scope,
            "section": "sms",
            "form": form,
            "page": page,
            "totals": totals,
            "query": query.urlencode(),
        },
        status=status,
    )
