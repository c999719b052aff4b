"""The person's appointments on their own page (/me/<token>/...): cancel one (through a
confirmation page), move one to another free slot of the same consultation in the same language
(one transaction: `appointment_move`), leave a day's waitlist. As the rest of the personal page:
authorized by the token in the address, never cached, no referrer (see `courses.views.me`),
hence exempt from the CSRF check, and in the person's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from appointments.errors import SlotTaken
from appointments.forms import MoveForm, slot_start
from appointments.models import (
    Appointment,
    AppointmentStatus,
    DayWaitlistEntry,
    DayWaitlistStatus,
)
from appointments.selectors.public import bookable_days, language_name
from appointments.services.booking import appointment_cancel, appointment_move
from appointments.services.waitlist import day_waitlist_leave
from courses.errors import DomainError
from courses.models import Participant


def _participant(token: str) -> Participant:
    participant = Participant.objects.select_related("centre").filter(token=token).first()
    if participant is None or participant.erased_at is not None:
        raise Http404
    return participant


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _language(request: HttpRequest, participant: Participant) -> str:
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language


def _appointment(participant: Participant, appointment_id: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related(
            "course__centre", "course__venue", "session__venue", "participant"
        ),
        pk=appointment_id,
        participant=participant,
    )


def _changeable(appointment: Appointment) -> bool:
    return appointment.status == AppointmentStatus.BOOKED and appointment.starts_at > timezone.now()


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_http_methods(["GET", "POST"])
def appointment_cancel_view(request: HttpRequest, token: str, appointment_id: int) -> HttpResponse:
    """GET: what cancelling means, with the button; POST with `confirm`: cancel."""
    participant = _participant(token)
    appointment = _appointment(participant, appointment_id)
    here = f"{participant.get_absolute_url()}#appointment-{appointment.pk}"
    lang = _language(request, participant)
    with translation.override(lang):
        if request.method == "POST" and request.POST.get("confirm") == "1":
            try:
                appointment_cancel(appointment=appointment, by_person=True)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, str(_("Done: your appointment is cancelled.")))
            return _private(redirect(here))
        if request.method == "POST":  # without the page's `confirm`: to the page first
            return _private(redirect(request.path))
        if not _changeable(appointment):
            return _private(redirect(here))
        response = render(
            request,
            "appointments/me_cancel.html",
            {
                "participant": participant,
                "appointment": appointment,
                "language_label": language_name(appointment.language),
                "back": here,
                "LANGUAGE_CODE": lang,
            },
        )
    return _private(response)


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_http_methods(["GET", "POST"])
def appointment_move_view(request: HttpRequest, token: str, appointment_id: int) -> HttpResponse:
    """GET: the free slots of the same consultation in the same language, day by day; POST
    `at`: move there (the old slot is freed in the same transaction)."""
    participant = _participant(token)
    appointment = _appointment(participant, appointment_id)
    here = f"{participant.get_absolute_url()}#appointment-{appointment.pk}"
    lang = _language(request, participant)
    status = 200
    with translation.override(lang):
        if not _changeable(appointment):
            return _private(redirect(here))
        if request.method == "POST":
            form = MoveForm(request.POST)
            at = slot_start(form.data.get("at", "")) if form.is_valid() else None
            if at is None:
                messages.error(request, str(_("Choose one of the free times.")))
                status = 400
            else:
                try:
                    appointment_move(appointment=appointment, starts_at=at, by_person=True)
                except SlotTaken as exc:
                    messages.error(request, str(exc.message))
                    status = 409
                except DomainError as exc:
                    messages.error(request, str(exc.message))
                    status = exc.status_code if exc.status_code in (409, 429, 503) else 400
                else:
                    messages.success(request, str(_("Done: your appointment has a new time.")))
                    return _private(redirect(here))
        days = [day for day in bookable_days(appointment.course, appointment.language) if day.slots]
        response = render(
            request,
            "appointments/me_move.html",
            {
                "participant": participant,
                "appointment": appointment,
                "course": appointment.course,
                "centre": appointment.course.centre,
                "days": days,
                "language_label": language_name(appointment.language),
                "back": here,
                "LANGUAGE_CODE": lang,
            },
            status=status,
        )
    return _private(response)


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_POST
def waiting_leave_view(request: HttpRequest, token: str, entry_id: int) -> HttpResponse:
    """Stop waiting for a day."""
    participant = _participant(token)
    entry = get_object_or_404(DayWaitlistEntry, pk=entry_id, participant=participant)
    with translation.override(_language(request, participant)):
        if entry.status == DayWaitlistStatus.WAITING:
            day_waitlist_leave(entry=entry)
            messages.success(request, str(_("You left the waitlist.")))
    return _private(redirect(participant.get_absolute_url()))
