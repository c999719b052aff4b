"""A course's people (and, booked per session, a session's): who holds a seat, who waits in
what order and why, offers and their deadline, who left and why, walk-ins; the desk enrols
people found by phone or name, or added; staff move waiting people and cancel places, each
with a reason. Trainers of the course see the list read-only, without phones or reasons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.errors import DomainError
from courses.models import BookingMode, Course, Enrolment, EnrolmentStatus
from courses.selectors.seats import waitlist_position
from courses.services.enrolment import enrolment_cancel
from courses.services.enrolment_request import enrolment_request
from courses.services.waitlist import waitlist_move, waitlist_priority_set
from scheduling.models import Session
from workspace.forms.course_people import (
    CancelForm,
    EnrolFoundForm,
    EnrolNewForm,
    MoveForm,
    PeopleSearchForm,
)
from workspace.selectors.course_people import (
    course_for_people,
    enrolment_for_people,
    people_find,
    people_of,
    session_for_people,
    sessions_with_seats,
)
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, require_manager, workspace_view


def people_url(course: Course, session: Session | None) -> str:
    if session is not None and course.booking_mode == BookingMode.SESSION:
        return reverse("workspace:session-people", args=[session.pk])
    return reverse("workspace:course-people", args=[course.pk])


def _page(
    request: HttpRequest,
    scope: Scope,
    course: Course,
    session: Session | None,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    manages = scope.manages(course.centre_id)
    per_session = course.booking_mode == BookingMode.SESSION
    takes_places = course.booking_mode != BookingMode.OPEN and (
        session is not None or not per_session
    )
    search = PeopleSearchForm(request.GET or None)
    found = []
    if manages and takes_places and search.is_valid() and search.cleaned_data["q"]:
        found = people_find(course, search.cleaned_data["q"], session)
    context = {
        "scope": scope,
        "section": "courses",
        "course": course,
        "session": session,
        "manages": manages,
        "per_session": per_session,
        "takes_places": takes_places,
        "people": people_of(course, session) if session is not None or not per_session else None,
        "sessions": sessions_with_seats(course, now=timezone.now()) if session is None else [],
        "search": search,
        "found": found,
        "found_form": forms.get("found_form"),
        "found_for": forms.get("found_for"),
        "new_form": forms.get("new_form") or EnrolNewForm(),
        "move_form": forms.get("move_form"),
        "move_for": forms.get("move_for"),
        "households": course.max_party > 1 or course.childcare_id is not None,
        "page_url": people_url(course, session),
        "enrol_url": _enrol_url(course, session),
    }
    return render(request, "workspace/course_people.html", context, status=status)


def _enrol_url(course: Course, session: Session | None) -> str:
    if session is not None:
        return reverse("workspace:session-people-enrol", args=[session.pk])
    return reverse("workspace:course-people-enrol", args=[course.pk])


@workspace_view
@require_GET
def course_people(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    return _page(request, scope, course_for_people(scope, course_id), None)


@workspace_view
@require_GET
def session_people(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = session_for_people(scope, session_id)
    if session.course.booking_mode != BookingMode.SESSION:  # its places are the course's
        return redirect("workspace:course-people", session.course_id)
    return _page(request, scope, session.course, session)


def _status_message(enrolment: Enrolment) -> str:
    name = enrolment.participant.display_name
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _("%(name)s is number %(position)s on the waitlist.") % {
            "name": name,
            "position": waitlist_position(enrolment),
        }
    return _("%(name)s: %(status)s.") % {"name": name, "status": enrolment.get_status_display()}


def _enrol(
    request: HttpRequest, scope: Scope, course: Course, session: Session | None
) -> HttpResponse:
    """One desk enrolment: of a person found (`participant`) or of the person typed in."""
    require_manager(scope, course.centre_id)
    found = "participant" in request.POST
    form: EnrolFoundForm | EnrolNewForm = (
        EnrolFoundForm(request.POST, centre_id=course.centre_id)
        if found
        else EnrolNewForm(request.POST)
    )
    if form.is_valid():
        try:
            created = enrolment_request(
                course=course,
                session=session,
                person=form.person(),
                channel="desk",
                actor=request.user,
                walk_in=form.cleaned_data["walk_in"],
                **form.household(),
            )
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(request, _status_message(created))
            return redirect(people_url(course, session))
    if found:
        return _page(
            request,
            scope,
            course,
            session,
            status=400,
            found_form=form,
            found_for=request.POST.get("participant"),
        )
    return _page(request, scope, course, session, status=400, new_form=form)


@workspace_view
@require_POST
def course_people_enrol(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    course = course_for_people(scope, course_id)
    if course.booking_mode == BookingMode.SESSION:  # a place is in one session
        return redirect("workspace:course-people", course.pk)
    return _enrol(request, scope, course, None)


@workspace_view
@require_POST
def session_people_enrol(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = session_for_people(scope, session_id)
    if session.course.booking_mode != BookingMode.SESSION:
        return redirect("workspace:course-people", session.course_id)
    return _enrol(request, scope, session.course, session)


@workspace_view
@require_POST
def place_move(request: HttpRequest, scope: Scope, enrolment_id: int) -> HttpResponse:
    """Move a waiting person up or down, or give them a priority, with the reason."""
    enrolment = enrolment_for_people(scope, enrolment_id)
    course = enrolment.course
    require_manager(scope, course.centre_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["direction"] == "set":
                moved = waitlist_priority_set(
                    enrolment=enrolment,
                    priority=data["priority"],
                    reason=data["reason"],
                    actor=request.user,
                )
            else:
                moved = waitlist_move(
                    enrolment=enrolment,
                    direction=data["direction"],
                    reason=data["reason"],
                    actor=request.user,
                )
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(request, _status_message(moved))
            return redirect(people_url(course, enrolment.session) + "#waiting")
    return _page(
        request,
        scope,
        course,
        enrolment.session,
        status=400,
        move_form=form,
        move_for=enrolment.pk,
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def place_cancel(request: HttpRequest, scope: Scope, enrolment_id: int) -> HttpResponse:
    """Cancel a place, with the reason, after a confirmation; a freed seat goes on to the
    waitlist as with any cancellation."""
    enrolment = enrolment_for_people(scope, enrolment_id)
    course = enrolment.course
    require_manager(scope, course.centre_id)
    back = people_url(course, enrolment.session)
    if not enrolment.is_active:
        return redirect(back)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                enrolment_cancel(
                    enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The place of %(name)s is cancelled.")
                    % {"name": enrolment.participant.display_name},
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "workspace/place_cancel.html",
        {
            "scope": scope,
            "section": "courses",
            "enrolment": enrolment,
            "course": course,
            "form": form,
            "back": back,
        },
        status=status,
    )
