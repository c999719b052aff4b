"""Interpreters and specialists' languages, for a centre's staff (anyone else: 404).

- /staff/interpreters/: the interpreters the user's centres may book (their own, which they
  change, and those of their networks), with languages, contact and duty hours;
- /staff/interpreters/new/, /staff/interpreters/<id>/: one of their own centres' interpreters
  with the duty hours, saved together (`appointments.services.interpreters.interpreter_save`);
- /staff/specialists/: the specialists (trainers) of their consultations, each with the
  languages they consult in (`specialist_languages_set`; none ticked: Polish).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User as AuthUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.models import Interpreter
from appointments.selectors.tenancy import interpreters_for_user, interpreters_usable_for_user
from appointments.services.interpreters import interpreter_save, specialist_languages_set
from courses.errors import DomainError
from courses.models import CourseKind
from workspace.forms.interpreters import (
    InterpreterForm,
    SpecialistLanguagesForm,
    hours_formset,
    hours_of,
)
from workspace.selectors.appointments import language_name
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, workspace_view


def _staff_only(scope: Scope) -> None:
    if not scope.is_manager:
        raise Http404


@workspace_view
@require_GET
def interpreter_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    _staff_only(scope)
    own = set(interpreters_for_user(scope.user).values_list("pk", flat=True))
    interpreters = list(
        interpreters_usable_for_user(scope.user)
        .prefetch_related("hours__centre")
        .order_by("-active", "name", "pk")
    )
    for interpreter in interpreters:
        interpreter.own = interpreter.pk in own  # type: ignore[attr-defined]
        interpreter.language_names = [  # type: ignore[attr-defined]
            language_name(code) for code in interpreter.language_list
        ]
    return render(
        request,
        "workspace/interpreters.html",
        {"scope": scope, "section": "appointments", "interpreters": interpreters},
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def interpreter_edit(
    request: HttpRequest, scope: Scope, interpreter_id: int | None = None
) -> HttpResponse:
    _staff_only(scope)
    if interpreter_id is None:
        interpreter = Interpreter()
    else:
        found = interpreters_for_user(scope.user).filter(pk=interpreter_id).first()
        if found is None:
            raise Http404
        interpreter = found
    data = request.POST or None
    form = InterpreterForm(data, instance=interpreter, scope=scope)
    hours = hours_formset(scope, data, interpreter)
    status = 200
    if request.method == "POST":
        if form.is_valid() and hours.is_valid():
            try:
                saved = interpreter_save(
                    interpreter=form.instance, hours=hours_of(hours), actor=request.user
                )
            except DomainError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
                return redirect("workspace:interpreters")
        status = 400
    return render(
        request,
        "workspace/interpreter_form.html",
        {
            "scope": scope,
            "section": "appointments",
            "interpreter": interpreter,
            "form": form,
            "hours": hours,
        },
        status=status,
    )


def _specialists(scope: Scope) -> list[AuthUser]:
    """The trainers of the user's centres' consultations."""
    courses = scope.managed_courses().filter(kind=CourseKind.CONSULTATION)
    return list(
        AuthUser.objects.filter(courses__in=courses.values("pk"))
        .distinct()
        .prefetch_related("consultation_languages")
        .order_by("first_name", "last_name", "username")
    )


def _specialists_page(
    request: HttpRequest,
    scope: Scope,
    *,
    failed: AuthUser | None = None,
    failed_form: SpecialistLanguagesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = []
    for person in _specialists(scope):
        codes = [row.language for row in person.consultation_languages.all()]
        form = (
            failed_form
            if failed is not None and failed.pk == person.pk and failed_form is not None
            else SpecialistLanguagesForm(initial={"languages": codes}, prefix=f"s{person.pk}")
        )
        rows.append(
            {
                "person": person,
                "names": [language_name(code) for code in codes] or [language_name("pl")],
                "form": form,
            }
        )
    return render(
        request,
        "workspace/specialists.html",
        {"scope": scope, "section": "appointments", "rows": rows},
        status=status,
    )


@workspace_view
@require_GET
def specialist_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    _staff_only(scope)
    return _specialists_page(request, scope)


@workspace_view
@require_POST
def specialist_languages(request: HttpRequest, scope: Scope, user_id: int) -> HttpResponse:
    _staff_only(scope)
    person = next((p for p in _specialists(scope) if p.pk == user_id), None)
    if person is None:
        raise Http404
    form = SpecialistLanguagesForm(request.POST, prefix=f"s{person.pk}")
    if form.is_valid():
        try:
            specialist_languages_set(
                specialist=person, languages=form.cleaned_data["languages"], actor=request.user
            )
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The languages of %(name)s are saved.")
                % {"name": person.get_full_name() or person.get_username()},
            )
            return redirect("workspace:specialists")
    return _specialists_page(request, scope, failed=person, failed_form=form, status=400)
