"""Copy a course into a new term (unpublished), offering this term's people their place first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from courses.errors import DomainError
from courses.models import BookingMode, EnrolmentStatus
from courses.services.terms import course_copy_to_term
from workspace.forms.terms import CopyForm
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, require_manager, workspace_view


@workspace_view
@require_http_methods(["GET", "POST"])
def course_copy(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    course = scope.courses().filter(pk=course_id).first()
    if course is None:
        raise Http404
    require_manager(scope, course.centre_id)
    form = CopyForm(request.POST or None, course=course)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = course_copy_to_term(
                    course=course, actor=request.user, **form.service_arguments()
                )
            except (DomainError, ValidationError) as error:
                add_errors(form, error)
            else:
                text = _("Next term's course is ready, not published yet.")
                if done.invited:
                    text += " " + ngettext(
                        "%(n)d person was offered a place by SMS.",
                        "%(n)d people were offered a place by SMS.",
                        done.invited,
                    ) % {"n": done.invited}
                messages.success(request, text)
                return redirect("workspace:course", done.course.pk)
        status = 400
    confirmed = course.enrolments.filter(
        status=EnrolmentStatus.CONFIRMED, session__isnull=True
    ).count()
    return render(
        request,
        "workspace/course_copy.html",
        {
            "scope": scope,
            "section": "courses",
            "course": course,
            "form": form,
            "confirmed": confirmed,
            "can_invite": course.booking_mode == BookingMode.COURSE,
        },
        status=status,
    )
