"""What every workspace page shares: login, the user's scope, no caching of people's data,
and domain refusals shown as form errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from courses.errors import DomainError
from workspace.selectors.scope import Scope, scope_for

View = Callable[..., HttpResponse]


def workspace_view(view: Callable[..., HttpResponse]) -> View:
    """Login required; the view gets the user's Scope as its second argument; neither staff
    nor trainer: 404. Pages show names and phones: never cached."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, scope_for(request.user), *args, **kwargs)

    return login_required(never_cache(wrapped))


def require_manager(scope: Scope, centre_id: int | None) -> None:
    """Changes are for the centre's staff: a trainer who may see it may not change it (403)."""
    if not scope.manages(centre_id):
        raise PermissionDenied


def add_errors(form: forms.BaseForm, error: DomainError | ValidationError) -> None:
    """A refusal of a service, at the field it names (or on top of the form)."""
    if isinstance(error, DomainError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
        return
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item)
        return
    form.add_error(None, error)
