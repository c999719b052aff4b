"""Booking a slot at the desk (/staff/appointments/sessions/<id>/book/?at=...): the language the
person needs (those the specialist speaks, and those an interpreter is free for then), the
person found by phone or name as on a course's people page, or added, and how this appointment
is held (the course's way, or another for this slot: in person, by phone, by video); then
`appointment_book`, which reserves the slot and the interpreter together. For the centre's staff
only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appointments.selectors.slots import DaySlot, course_languages
from appointments.services.booking import appointment_book
from courses.errors import DomainError
from courses.text import whole_number
from scheduling.models import Session
from workspace.forms.appointments import BookFoundForm, BookNewForm, LanguageForm, SlotField
from workspace.forms.course_people import PeopleSearchForm
from workspace.selectors.appointments import session_for_slots, slot_of
from workspace.selectors.course_people import people_find
from workspace.selectors.scope import Scope
from workspace.views.appointments import day_url, session_day, slot_anchor
from workspace.views.base import add_errors, require_manager, workspace_view


def _slot(session: Session, raw: str) -> DaySlot:
    """The free slot `raw` (ISO 8601) names, else 404 (taken or blocked: back to the day)."""
    try:
        at: datetime | None = SlotField().clean(raw)
    except forms.ValidationError as exc:  # not a moment: a slot that does not exist
        raise Http404 from exc
    slot = slot_of(session, at) if at is not None else None
    if slot is None:
        raise Http404
    return slot


def _languages(session: Session, slot: DaySlot) -> list[str]:
    spoken = sorted(course_languages([session.course])[session.course_id])
    return spoken + [code for code in slot.interpreter_languages if code not in spoken]


@workspace_view
@require_http_methods(["GET", "POST"])
def appointment_book_view(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = session_for_slots(scope, session_id)
    course = session.course
    require_manager(scope, course.centre_id)
    data = request.POST if request.method == "POST" else request.GET
    slot = _slot(session, data.get("at", ""))
    specialist = data.get("specialist", "")
    specialist_id = whole_number(specialist)
    back = day_url(session_day(session), specialist_id, slot_anchor(session, slot.starts_at))
    if slot.state != "free":
        messages.error(request, _("This slot is no longer free."))
        return redirect(back)
    languages = _languages(session, slot)
    # Opened from the day view (no language asked yet): the first language and the course's
    # way, with no error; the search sends both back.
    query = request.GET.copy()
    query.setdefault("mode", course.appointment_mode)
    language_form = LanguageForm(
        query if "language" in request.GET else None,
        languages=languages,
        initial={"mode": course.appointment_mode},
    )
    valid = language_form.is_valid()
    language = language_form.cleaned_data["language"] if valid else languages[0]
    mode = (language_form.cleaned_data["mode"] if valid else "") or course.appointment_mode
    search = PeopleSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = people_find(course, search.cleaned_data["q"])
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        found_person = "participant" in request.POST
        form: BookFoundForm | BookNewForm = (
            BookFoundForm(request.POST, centre_id=course.centre_id)
            if found_person
            else BookNewForm(request.POST)
        )
        status = 400
        if form.is_valid():
            chosen = form.cleaned_data.get("language") if found_person else None
            chosen = chosen or form.cleaned_data.get("consultation_language") or language
            try:
                booked = appointment_book(
                    course=course,
                    starts_at=slot.starts_at,
                    language=chosen,
                    participant=form.cleaned_data["participant"] if found_person else None,
                    person=None if found_person else form.person(),
                    actor=request.user,
                    channel="desk",
                    mode=form.cleaned_data.get("mode") or course.appointment_mode,
                )
            except DomainError as error:
                add_errors(form, error)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("%(name)s is booked at %(time)s.")
                    % {
                        "name": booked.participant.display_name,
                        "time": booked.starts_at.astimezone(course.centre.tz).strftime("%H:%M"),
                    },
                )
                return redirect(back)
        bound["found_form" if found_person else "new_form"] = form
        bound["found_for"] = request.POST.get("participant")
    new_form = bound.get("new_form") or BookNewForm(
        initial={"consultation_language": language, "mode": mode}
    )
    new_form.fields["consultation_language"].choices = language_form.fields["language"].choices  # type: ignore[attr-defined,union-attr]
    return render(
        request,
        "workspace/appointment_book.html",
        {
            "scope": scope,
            "section": "appointments",
            "session": session,
            "course": course,
            "slot": slot,
            "at": slot.starts_at.isoformat(),
            "specialist": specialist_id,
            "language_form": language_form,
            "language": language,
            "mode": mode,
            "search": search,
            "found": found,
            "found_form": bound.get("found_form"),
            "found_for": bound.get("found_for"),
            "new_form": new_form,
            "back": back,
            "page_url": reverse("workspace:appointment-book", args=[session.pk]),
        },
        status=status,
    )
