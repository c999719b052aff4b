"""Registers of past sessions, in the workspace: the last weeks' (newest first, day by day, with
how many marks each holds, so a register never filled in stands out) and any day's by a date
picker; a course and "not filled in only" narrow the list. Staff see their centres' sessions,
trainers their own; each opens the register at /register/.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from courses.forms.register import RegisterDayForm
from courses.models import Course
from courses.selectors.register import register_sessions_on_days
from scheduling.models import Session, SessionStatus
from workspace.selectors.scope import Scope
from workspace.views.base import workspace_view

PAST_WEEKS = 4


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Course) -> str:
        return f"{obj.title} ({obj.centre.name})"


class RegistersForm(RegisterDayForm):
    """The day, a course of the user's, and whether to show only registers not filled in."""

    course = CourseChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, empty_label=_("All")
    )
    unfilled = forms.BooleanField(label=_("Only registers not filled in yet"), required=False)

    def __init__(self, *args: object, scope: Scope, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        course = self.fields["course"]
        assert isinstance(course, forms.ModelChoiceField)  # noqa: S101 - narrowing
        course.queryset = scope.courses().order_by("centre__name", "title", "pk")


def _local_day(session: Session) -> date:
    return session.starts_at.astimezone(session.course.centre.tz).date()


@workspace_view
@require_GET
def registers(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = timezone.localdate()
    form = RegistersForm(request.GET, scope=scope)
    valid = form.is_valid()
    picked = form.cleaned_data.get("day") if valid else None
    first, last = (picked, picked) if picked else (today - timedelta(weeks=PAST_WEEKS), today)
    sessions = register_sessions_on_days(scope.user, first=first, last=last, newest_first=True)
    if valid and form.cleaned_data.get("course"):
        sessions = [s for s in sessions if s.course_id == form.cleaned_data["course"].pk]
    now = timezone.now()
    for session in sessions:
        session.started = session.starts_at <= now  # type: ignore[attr-defined]
    if valid and form.cleaned_data.get("unfilled"):
        sessions = [
            s
            for s in sessions
            if s.started and not s.marked and s.status != SessionStatus.CANCELLED  # type: ignore[attr-defined]
        ]
    days = [(day, list(group)) for day, group in groupby(sessions, key=_local_day)]
    return render(
        request,
        "workspace/registers.html",
        {
            "scope": scope,
            "section": "registers",
            "form": form,
            "picked": picked,
            "days": days,
            "weeks": PAST_WEEKS,
            "filtered": bool(request.GET),
        },
        status=200 if valid else 400,
    )
