"""Booking a consultation slot from a phone, without an account: the language needed first,
then the free slots day by day (with "an interpreter will be there" where one is needed), then
the enrolment's questions and its SMS code; a full day offers its waitlist instead. Nothing is
booked, and nothing about a person looked up, before the code proves the phone
(`appointments.services.requests`, `appointments.services.waitlist_requests`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from appointments.errors import SlotTaken
from appointments.forms import BookCodeForm, BookForm, slot_start
from appointments.selectors.public import (
    bookable_days,
    booking_languages,
    free_slot,
    language_name,
)
from appointments.services.requests import (
    appointment_request_confirm,
    appointment_request_resend,
    appointment_request_start,
)
from appointments.services.waitlist_requests import (
    day_waitlist_request_confirm,
    day_waitlist_request_resend,
    day_waitlist_request_start,
)
from courses.errors import DomainError
from courses.models import BookingMode, Course
from courses.phones import display_phone
from courses.selectors.verification import pending_phone
from courses.services.participants import PRIVACY_NOTICE_VERSION, ParticipantData
from courses.text import whole_number
from courses.throttles import EnrolmentThrottle, VerifyThrottle
from scheduling.models import Session, SessionStatus

TOO_MANY = _("Too many attempts from this device. Please try again later.")
NOT_FREE = _("This time is not free any more, or it is not one of the slots. Choose another.")


def _slots_course(centre: str, course: str) -> Course:
    return get_object_or_404(
        Course.objects.select_related("centre", "venue"),
        centre__slug=centre,
        slug=course,
        published=True,
        booking_mode=BookingMode.SLOTS,
    )


def book_url(course: Course, **params: Any) -> str:
    url = reverse("appointment-book", kwargs={"centre": course.centre.slug, "course": course.slug})
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def book(request: HttpRequest, centre: str, course: str) -> HttpResponse:
    """GET: the languages, then (`language`) the free slots by day; `at`: the booking form of one
    slot; `day`: the waitlist form of a full day. POST: the form (a code is sent), or the code."""
    course_obj = _slots_course(centre, course)
    if request.method == "POST" and "verification" in request.POST:
        return _code_step(request, course_obj)
    languages = booking_languages(course_obj)
    codes = {code for code, _name in languages}
    source = request.POST if request.method == "POST" else request.GET
    language = str(source.get("consultation") or source.get("language") or "")[:8]
    if language not in codes:
        if language or request.method == "POST":
            messages.error(request, str(_("Choose one of the languages offered.")))
        return _days_page(request, course_obj, languages, "", status=400 if language else 200)
    raw_at, raw_day = source.get("at"), source.get("day")
    if raw_at:
        at = slot_start(raw_at)
        slot = free_slot(course_obj, language, at) if at is not None else None
        if slot is None:
            messages.error(request, str(NOT_FREE))
            status = 409 if at is not None else 400
            return _days_page(request, course_obj, languages, language, status=status)
        return _form_page(request, course_obj, language, slot=slot)
    if raw_day:
        session = (
            Session.objects.filter(
                course=course_obj,
                pk=whole_number(raw_day) or 0,
                status=SessionStatus.SCHEDULED,
                ends_at__gt=timezone.now(),
            )
            .select_related("venue")
            .first()
        )
        if session is None:
            messages.error(request, str(_("There is no waitlist for this day.")))
            return _days_page(request, course_obj, languages, language, status=400)
        return _form_page(request, course_obj, language, session=session)
    return _days_page(request, course_obj, languages, language)


def _days_page(
    request: HttpRequest,
    course: Course,
    languages: list[tuple[str, str]],
    language: str,
    status: int = 200,
) -> HttpResponse:
    days = bookable_days(course, language) if language else []
    return render(
        request,
        "appointments/book.html",
        {
            "centre": course.centre,
            "course": course,
            "languages": languages,
            "language": language,
            "language_label": language_name(language) if language else "",
            "days": days,
            "any_free": any(not day.full for day in days),
        },
        status=status,
    )


def _form_page(
    request: HttpRequest,
    course: Course,
    language: str,
    *,
    slot: Any = None,
    session: Session | None = None,
) -> HttpResponse:
    """The questions for one slot (or a full day's waitlist); POSTed, the code is sent."""
    initial = {
        "consultation": language,
        "at": slot.starts_at.isoformat() if slot is not None else "",
        "day": session.pk if session is not None else None,
    }
    form = BookForm(
        request.POST if request.method == "POST" else None, initial=initial, course=course
    )
    status = 200
    if request.method == "POST":
        throttle = EnrolmentThrottle()
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            form.add_error(None, str(TOO_MANY))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            person = ParticipantData(
                name=data["name"],
                phone=data["phone"],
                country=data["country"],
                language=data["language"],
                sms_consent=data["sms_consent"],
                country_of_origin=data["country_of_origin"],
                birth_year=data["birth_year"],
                sex=data["sex"],
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
            )
            client = throttle.get_ident(request)
            try:
                if session is not None:
                    started = day_waitlist_request_start(
                        session=session,
                        language=language,
                        person=person,
                        channel="web",
                        client=client,
                    )
                else:
                    started = appointment_request_start(
                        course=course,
                        starts_at=slot.starts_at,
                        language=language,
                        person=person,
                        channel="web",
                        client=client,
                    )
            except DomainError as exc:
                field = (
                    exc.field
                    if exc.field in form.fields
                    and exc.field
                    not in (
                        "starts_at",
                        "session",
                    )
                    else None
                )
                form.add_error(field, str(exc.message))
                status = exc.status_code if exc.status_code in (409, 429, 503) else 400
            else:
                code_form = BookCodeForm(
                    initial={
                        "verification": started.public_id,
                        "for_day": session is not None,
                        "consultation": language,
                    }
                )
                return _code_page(request, course, code_form, started.phone, language)
        else:
            status = 400
    return render(
        request,
        "appointments/book_form.html",
        {
            "centre": course.centre,
            "course": course,
            "form": form,
            "slot": slot,
            "day": session,
            "language": language,
            "language_label": language_name(language),
            "back": book_url(course, language=language),
        },
        status=status,
    )


def _code_page(
    request: HttpRequest,
    course: Course,
    form: BookCodeForm,
    phone: str,
    language: str = "",
    status: int = 200,
) -> HttpResponse:
    response = render(
        request,
        "appointments/book_code.html",
        {
            "centre": course.centre,
            "course": course,
            "form": form,
            "phone": display_phone(phone).replace(" ", "\u00a0") if phone else "",
            "back": book_url(course, language=language),
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _code_step(request: HttpRequest, course: Course) -> HttpResponse:
    """The code from the SMS proves the phone; only then is the slot booked (or the day's
    waitlist joined) and the person's page shown. "Send a new code" asks again for the same
    request, with the same answer whoever the number belongs to."""
    form = BookCodeForm(request.POST)
    public_id = str(request.POST.get("verification", ""))[:64]
    language = str(request.POST.get("consultation", ""))[:8]
    phone = pending_phone(public_id)
    if not VerifyThrottle().allow_request(request, None):  # type: ignore[arg-type]
        form.add_error(None, str(TOO_MANY))
        return _code_page(request, course, form, phone, language, status=429)
    resend = "resend" in request.POST
    if form.is_valid() and not resend and not form.cleaned_data["code"]:
        form.add_error("code", _("Enter the code from the SMS."))
    if not form.is_valid():
        return _code_page(request, course, form, phone, language, status=400)
    code = form.cleaned_data["code"]
    for_day = form.cleaned_data["for_day"]
    try:
        if resend:
            again = day_waitlist_request_resend if for_day else appointment_request_resend
            started = again(verification=public_id, client=EnrolmentThrottle().get_ident(request))
            messages.info(request, str(_("A new code is on its way.")))
            fresh = BookCodeForm(
                initial={
                    "verification": started.public_id,
                    "for_day": for_day,
                    "consultation": language,
                }
            )
            return _code_page(request, course, fresh, started.phone, language)
        if for_day:
            entry = day_waitlist_request_confirm(verification=public_id, code=code)
            messages.success(
                request,
                str(_("You are on the waitlist for this day: we send an SMS if a slot frees up.")),
            )
            url = entry.participant.get_absolute_url()
            return redirect(f"{url}#waiting-{entry.pk}")
        appointment = appointment_request_confirm(verification=public_id, code=code)
    except SlotTaken as exc:
        messages.error(request, str(exc.message))
        return redirect(book_url(course, language=language))
    except DomainError as exc:
        form.add_error("code" if exc.field == "code" else None, str(exc.message))
        status = exc.status_code if exc.status_code in (409, 429, 503) else 400
        return _code_page(request, course, form, phone, language, status=status)
    url = appointment.participant.get_absolute_url()
    return redirect(f"{url}?booked={appointment.pk}#appointment-{appointment.pk}")
