"""The specialists' day view (/staff/appointments/): a day's consultation sessions booked in
slots, each slot booked (person, language, interpreter), free or blocked. Staff block or free
a slot, book at the desk, cancel with a reason and mark attended or no-show; a specialist sees
their own consultations, read only (403 for a change), as elsewhere in the workspace. Every
change goes through the appointments' services; a refusal is shown on the day, nothing saved.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User as AuthUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.services.booking import appointment_cancel, appointment_mark
from appointments.services.slots import slot_block, slot_unblock
from appointments.services.video import appointment_video_link_set
from courses.errors import DomainError
from courses.text import whole_number
from scheduling.models import Session
from workspace.forms.appointments import DayForm, MarkForm, SlotForm, VideoLinkForm
from workspace.forms.course_people import CancelForm
from workspace.selectors.appointments import (
    appointment_for_staff,
    day_sessions,
    session_for_slots,
    specialists,
)
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, require_manager, workspace_view


def day_url(day: date, specialist: int | None = None, anchor: str = "") -> str:
    query: dict[str, Any] = {"day": day.isoformat()}
    if specialist:
        query["specialist"] = specialist
    return reverse("workspace:appointments") + "?" + urlencode(query) + anchor


def session_day(session: Session) -> date:
    return session.starts_at.astimezone(session.course.centre.tz).date()


def slot_anchor(session: Session, at: Any) -> str:
    return f"#slot-{session.pk}-{at.astimezone(session.course.centre.tz):%H%M}"


def _day_page(
    request: HttpRequest,
    scope: Scope,
    query: Any,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    people = specialists(scope)
    form = DayForm(query, specialists=people)
    valid = form.is_valid()
    day = (form.cleaned_data.get("day") if valid else None) or timezone.localdate()
    specialist: AuthUser | None = form.cleaned_data.get("specialist") if valid else None
    picked = specialist.pk if specialist is not None else None
    now = timezone.now()
    context = {
        "scope": scope,
        "section": "appointments",
        "form": form,
        "day": day,
        "today": timezone.localdate(),
        "specialist": specialist,
        "specialists": people,
        "sessions": day_sessions(scope, day, specialist=specialist) if valid else [],
        "now": now,
        "error": error,
        "previous_day": day_url(day - timedelta(days=1), picked),
        "next_day": day_url(day + timedelta(days=1), picked),
    }
    return render(
        request,
        "workspace/appointments.html",
        context,
        status=status if valid else 400,
    )


@workspace_view
@require_GET
def appointments_day(request: HttpRequest, scope: Scope) -> HttpResponse:
    return _day_page(request, scope, request.GET)


def _refused(
    request: HttpRequest, scope: Scope, session: Session, specialist: Any, error: DomainError
) -> HttpResponse:
    query = {"day": session_day(session).isoformat()}
    if specialist:
        query["specialist"] = str(specialist)
    return _day_page(request, scope, query, error=str(error.message), status=error.status_code)


def _slot_change(
    request: HttpRequest, scope: Scope, session_id: int, *, block: bool
) -> HttpResponse:
    session = session_for_slots(scope, session_id)
    require_manager(scope, session.course.centre_id)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _refused(request, scope, session, None, DomainError(_("Choose a slot of the list.")))
    at, specialist = form.cleaned_data["at"], form.cleaned_data["specialist"]
    try:
        if block:
            slot_block(
                session=session,
                starts_at=at,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        else:
            slot_unblock(session=session, starts_at=at, actor=request.user)
    except DomainError as error:
        return _refused(request, scope, session, specialist, error)
    when = time_format(at.astimezone(session.course.centre.tz), "H:i")
    messages.success(
        request,
        (_("The slot at %(time)s is blocked.") if block else _("The slot at %(time)s is free."))
        % {"time": when},
    )
    return redirect(day_url(session_day(session), specialist, slot_anchor(session, at)))


@workspace_view
@require_POST
def slot_block_view(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    return _slot_change(request, scope, session_id, block=True)


@workspace_view
@require_POST
def slot_unblock_view(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    return _slot_change(request, scope, session_id, block=False)


@workspace_view
@require_POST
def appointment_mark_view(request: HttpRequest, scope: Scope, appointment_id: int) -> HttpResponse:
    appointment = appointment_for_staff(scope, appointment_id)
    require_manager(scope, appointment.course.centre_id)
    form = MarkForm(request.POST)
    session = appointment.session
    if not form.is_valid():
        return _refused(request, scope, session, None, DomainError(_("Choose attended or not.")))
    specialist = form.cleaned_data["specialist"]
    try:
        marked = appointment_mark(
            appointment=appointment, status=form.cleaned_data["status"], actor=request.user
        )
    except DomainError as error:
        return _refused(request, scope, session, specialist, error)
    messages.success(
        request,
        _("%(name)s: %(status)s.")
        % {"name": marked.participant.display_name, "status": marked.get_status_display()},
    )
    return redirect(
        day_url(session_day(session), specialist, slot_anchor(session, appointment.starts_at))
    )


@workspace_view
@require_POST
def appointment_video_view(request: HttpRequest, scope: Scope, appointment_id: int) -> HttpResponse:
    """Set (or clear) the video link of a booked video appointment; it is shown to the person."""
    appointment = appointment_for_staff(scope, appointment_id)
    require_manager(scope, appointment.course.centre_id)
    form = VideoLinkForm(request.POST)
    session = appointment.session
    if not form.is_valid():
        error = DomainError(_("Enter the video call's address, starting with https://."))
        return _refused(request, scope, session, None, error)
    specialist = form.cleaned_data["specialist"]
    try:
        saved = appointment_video_link_set(
            appointment=appointment, link=form.cleaned_data["video_link"], actor=request.user
        )
    except DomainError as error:
        return _refused(request, scope, session, specialist, error)
    messages.success(
        request,
        (
            _("%(name)s will see the video link on their page.")
            if saved.video_link
            else _("The video link of %(name)s is removed.")
        )
        % {"name": saved.participant.display_name},
    )
    return redirect(
        day_url(session_day(session), specialist, slot_anchor(session, appointment.starts_at))
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def appointment_cancel_view(
    request: HttpRequest, scope: Scope, appointment_id: int
) -> HttpResponse:
    """Cancel an appointment with the reason, after a confirmation; the slot (and its
    interpreter) is free again, and the day's waitlist is offered it."""
    appointment = appointment_for_staff(scope, appointment_id)
    require_manager(scope, appointment.course.centre_id)
    asked = request.GET.get("specialist") or request.POST.get("specialist") or ""
    specialist = whole_number(asked)
    session = appointment.session
    back = day_url(session_day(session), specialist, slot_anchor(session, appointment.starts_at))
    if not appointment.is_active or appointment.status != "booked":
        return redirect(back)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appointment_cancel(
                    appointment=appointment, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The appointment of %(name)s is cancelled.")
                    % {"name": appointment.participant.display_name},
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "workspace/appointment_cancel.html",
        {
            "scope": scope,
            "section": "appointments",
            "appointment": appointment,
            "form": form,
            "back": back,
            "specialist": specialist,
        },
        status=status,
    )
