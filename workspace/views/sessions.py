"""One session: its page, and cancel, move, restore through a confirmation that shows who will
be told and what their SMS says; a one-off session added to a course."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.errors import DomainError
from courses.models import Course
from courses.selectors.register import register_expected
from scheduling import services
from scheduling.models import Session
from workspace.forms.sessions import AddForm, CancelForm, MoveForm
from workspace.selectors.notices import CANCELLED, MOVED, notice_for
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, require_manager, workspace_view

# A refusal about the start or the end belongs at the date and time the form asks for.
TIME_FIELDS = {"starts_at": "day", "ends_at": "start"}


def _session(scope: Scope, session_id: int) -> Session:
    session = scope.sessions().filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def _course(scope: Scope, course_id: int) -> Course:
    course = scope.courses().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


def _refused(form: Any, error: DomainError | ValidationError) -> None:
    if isinstance(error, DomainError) and error.field in TIME_FIELDS:
        error.field = TIME_FIELDS[error.field]
    add_errors(form, error)


@workspace_view
@require_GET
def session_detail(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = _session(scope, session_id)
    return render(
        request,
        "workspace/session.html",
        {
            "scope": scope,
            "section": "timetable",
            "session": session,
            "manages": scope.manages(session.course.centre_id),
            "expected": register_expected(session).count(),
        },
    )


def _note_kwargs(form: Any) -> dict[str, Any]:
    return {
        "note": form.cleaned_data.get("note") or "",
        "note_in_sms": bool(form.cleaned_data.get("note_in_sms")),
    }


@workspace_view
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = _session(scope, session_id)
    require_manager(scope, session.course.centre_id)
    if session.is_cancelled:
        return redirect("workspace:session", session.pk)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and "confirm" in request.POST:
            try:
                services.session_cancel(
                    session=session,
                    actor=request.user,
                    **_note_kwargs(form),
                )
            except (DomainError, ValidationError) as error:
                _refused(form, error)
            else:
                messages.success(request, _("The session is cancelled; its people are told."))
                return redirect("workspace:session", session.pk)
        status = 200 if form.is_valid() else 400
    notes = _note_kwargs(form) if form.is_bound and form.is_valid() else {}
    return render(
        request,
        "workspace/session_cancel.html",
        {
            "scope": scope,
            "section": "timetable",
            "session": session,
            "form": form,
            "notice": notice_for(session, kind=CANCELLED, **notes),
        },
        status=status,
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def session_move(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = _session(scope, session_id)
    require_manager(scope, session.course.centre_id)
    form = MoveForm(request.POST or None, session=session)
    notice = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if "confirm" in request.POST:
                try:
                    services.session_move(
                        session=session,
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        venue=data["venue"],
                        actor=request.user,
                        **_note_kwargs(form),
                    )
                except (DomainError, ValidationError) as error:
                    _refused(form, error)
                    status = 400
                else:
                    messages.success(request, _("The session is moved; its people are told."))
                    return redirect("workspace:session", session.pk)
            if form.is_valid():
                notice = notice_for(
                    session,
                    kind=MOVED,
                    starts_at=data["starts_at"],
                    venue=data["venue"],
                    move=True,
                    **_note_kwargs(form),
                )
        else:
            status = 400
    return render(
        request,
        "workspace/session_move.html",
        {
            "scope": scope,
            "section": "timetable",
            "session": session,
            "form": form,
            "notice": notice,
            "new": form.cleaned_data if notice is not None else None,
        },
        status=status,
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def session_restore(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = _session(scope, session_id)
    require_manager(scope, session.course.centre_id)
    if not session.is_cancelled:
        return redirect("workspace:session", session.pk)
    if request.method == "POST":
        services.session_restore(session=session, actor=request.user)
        messages.success(request, _("The session is back on."))
        return redirect("workspace:session", session.pk)
    return render(
        request,
        "workspace/session_restore.html",
        {"scope": scope, "section": "timetable", "session": session},
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    course = _course(scope, course_id)
    require_manager(scope, course.centre_id)
    form = AddForm(request.POST or None, course=course)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                added = services.session_add(
                    course=course,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    venue=data["venue"],
                    capacity=data["capacity"],
                    note=data["note"],
                )
            except (DomainError, ValidationError) as error:
                _refused(form, error)
            else:
                messages.success(request, _("The session is added."))
                return redirect("workspace:session", added.pk)
        status = 400
    return render(
        request,
        "workspace/session_add.html",
        {"scope": scope, "section": "courses", "course": course, "form": form},
        status=status,
    )
