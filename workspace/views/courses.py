"""The courses of the user's centres: the list, and the course editor with its schedule
builder and the preview of the sessions it makes (server-side for the Preview button, and live
through POST /api/v1/courses/preview/ with static/js/schedule-builder.js)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.errors import DomainError
from courses.models import Course
from courses.services.catalogue import course_create, course_update
from scheduling import rules
from scheduling.preview import SessionsPreview, course_sessions_preview
from workspace.forms.course import CourseForm
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, workspace_view


@workspace_view
@require_GET
def course_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    courses = scope.courses().prefetch_related("trainers").order_by("-start_date", "title", "pk")
    return render(
        request,
        "workspace/courses.html",
        {"scope": scope, "section": "courses", "courses": courses},
    )


def _preview(form: CourseForm) -> SessionsPreview | None:
    """The sessions the form's fields make, or None with the refusal at its field."""
    data = form.cleaned_data
    try:
        return course_sessions_preview(
            centre=data["centre"],
            start_date=data["start_date"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            recurrence=data["rule_text"],
            skip_public_holidays=data["skip_public_holidays"],
        )
    except rules.RuleError as error:
        _rule_refused(form, error)
        return None


def _rule_refused(form: CourseForm, error: DomainError) -> None:
    if error.field in (None, "recurrence"):
        error.field = "recurrence_text" if form.cleaned_data.get("use_text") else None
    add_errors(form, error)


def _saved_errors(form: CourseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "recurrence" in error.error_dict:
        target = "recurrence_text" if form.cleaned_data.get("use_text") else None
        for item in error.error_dict.pop("recurrence"):
            form.add_error(target, item)
    add_errors(form, error)


def _editor(request: HttpRequest, scope: Scope, course: Course | None) -> HttpResponse:
    manages = course is None or scope.manages(course.centre_id)
    if request.method == "POST" and not manages:
        raise PermissionDenied
    form = CourseForm(request.POST or None, scope=scope, course=course)
    preview = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            preview = _preview(form)
            if preview is not None and "save" in request.POST:
                try:
                    if course is None:
                        saved, _result = course_create(
                            centre=form.cleaned_data["centre"], **form.service_fields()
                        )
                    else:
                        if form.cleaned_data["centre"].pk != course.centre_id:
                            raise ValidationError(
                                {"centre": _("A course stays in its centre: copy it instead.")}
                            )
                        saved, _result = course_update(course=course, **form.service_fields())
                except ValidationError as error:
                    _saved_errors(form, error)
                else:
                    messages.success(request, _("The course is saved."))
                    return redirect("workspace:course", saved.pk)
            if not form.errors:
                shown = CourseForm(form.synced_data(), scope=scope, course=course)
                shown.is_valid()
                form = shown
        if form.errors:
            status = 400
            preview = None
    elif course is not None:
        try:
            preview = course_sessions_preview(
                centre=course.centre,
                start_date=course.start_date,
                start_time=course.start_time,
                duration_minutes=course.duration_minutes,
                recurrence=course.recurrence,
                skip_public_holidays=course.skip_public_holidays,
            )
        except rules.RuleError:
            preview = None
    if not manages:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "workspace/course_form.html",
        _context(scope, course, form, preview, manages),
        status=status,
    )


def _context(
    scope: Scope, course: Course | None, form: CourseForm, preview: Any, manages: bool
) -> dict[str, Any]:
    upcoming = (
        list(course.sessions.filter(ends_at__gte=timezone.now()).select_related("venue")[:12])
        if course is not None
        else []
    )
    cleaned = getattr(form, "cleaned_data", {}) or {}
    centre = cleaned.get("centre") or (course.centre if course is not None else None)
    return {
        "scope": scope,
        "section": "courses",
        "preview_tz": centre.timezone if centre is not None else settings.TIME_ZONE,
        "course": course,
        "form": form,
        "preview": preview,
        "manages": manages,
        "upcoming": upcoming,
        "centre_slugs": {str(c.pk): {"slug": c.slug, "tz": c.timezone} for c in scope.centres()},
    }


@workspace_view
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    if not scope.is_manager:
        raise Http404
    return _editor(request, scope, None)


@workspace_view
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    course = scope.courses().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return _editor(request, scope, course)
