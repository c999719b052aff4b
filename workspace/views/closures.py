"""The centre's closures: the list, one closure added or changed (the sessions it removes
shown before it is saved), one deleted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from scheduling import services
from scheduling.models import Closure
from workspace.forms.closures import ClosureForm
from workspace.selectors.closures import sessions_removed_by
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, require_manager, workspace_view


def _closure(scope: Scope, closure_id: int) -> Closure:
    closure = scope.closures().filter(pk=closure_id).first()
    if closure is None:
        raise Http404
    require_manager(scope, closure.centre_id)  # every centre's closure: superusers only
    return closure


@workspace_view
@require_GET
def closure_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    if not scope.is_manager:
        raise Http404
    today = timezone.localdate()
    closures = scope.closures().order_by("starts_on", "pk")
    return render(
        request,
        "workspace/closures.html",
        {
            "scope": scope,
            "section": "closures",
            "upcoming": [c for c in closures if c.ends_on >= today],
            "past": [c for c in closures if c.ends_on < today][-10:],
        },
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def closure_edit(request: HttpRequest, scope: Scope, closure_id: int | None = None) -> HttpResponse:
    if not scope.is_manager:
        raise Http404
    closure = _closure(scope, closure_id) if closure_id is not None else Closure()
    form = ClosureForm(request.POST or None, instance=closure, scope=scope)
    removed = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            draft = form.instance
            if "confirm" in request.POST:
                try:
                    services.closure_save(closure=draft)
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("The closure is saved."))
                    return redirect("workspace:closures")
            if form.is_valid():
                removed = sessions_removed_by(
                    centre=draft.centre, starts_on=draft.starts_on, ends_on=draft.ends_on
                )
        if not form.is_valid():
            status = 400
    return render(
        request,
        "workspace/closure_form.html",
        {
            "scope": scope,
            "section": "closures",
            "form": form,
            "closure": closure,
            "removed": removed,
        },
        status=status,
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def closure_delete(request: HttpRequest, scope: Scope, closure_id: int) -> HttpResponse:
    closure = _closure(scope, closure_id)
    if request.method == "POST":
        services.closure_delete(closure=closure)
        messages.success(request, _("The closure is deleted; sessions on its days come back."))
        return redirect("workspace:closures")
    return render(
        request,
        "workspace/closure_delete.html",
        {"scope": scope, "section": "closures", "closure": closure},
    )
