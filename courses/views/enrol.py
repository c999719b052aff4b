"""The public enrolment form, on a phone, without an account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from courses.errors import Busy, DomainError
from courses.forms.enrol import EnrolForm
from courses.models import (
    BookingMode,
    Course,
)
from courses.selectors.seats import seats_left
from courses.services.enrolment_request import enrolment_request
from courses.services.participants import (
    ParticipantData,
)
from courses.throttles import EnrolmentThrottle
from scheduling.models import Session


def _enrolable_course(centre: str, course: str) -> Course:
    return get_object_or_404(
        Course.objects.select_related("centre", "venue"),
        centre__slug=centre,
        slug=course,
        published=True,
    )


def _upcoming_sessions(course: Course) -> list[Session]:
    return list(
        course.sessions.upcoming().select_related("course__centre").order_by("starts_at")[:60]
    )


def enrol(request: HttpRequest, centre: str, course: str) -> HttpResponse:
    """The enrolment form: name, phone (with its country), SMS language, consent; then the
    person's page, which says confirmed or waitlisted (with the position)."""
    course_obj = _enrolable_course(centre, course)
    sessions = (
        _upcoming_sessions(course_obj) if course_obj.booking_mode == BookingMode.SESSION else []
    )
    initial = {"session": request.GET.get("session")} if request.GET.get("session") else None
    form = EnrolForm(request.POST or None, initial=initial, course=course_obj, sessions=sessions)
    status = 200
    if request.method == "POST":
        throttle = EnrolmentThrottle()
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            form.add_error(None, _("Too many attempts from this device. Please try again later."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                enrolment = enrolment_request(
                    course=course_obj,
                    session=next((s for s in sessions if s.pk == data.get("session")), None),
                    person=ParticipantData(
                        name=data["name"],
                        phone=data["phone"],
                        country=data["country"],
                        language=data["language"],
                        sms_consent=data["sms_consent"],
                    ),
                    channel="web",
                )
            except Busy as exc:
                form.add_error(None, str(exc.message))
                status = 503
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
                status = 409 if exc.status_code == 409 else 400
            else:
                return redirect(
                    enrolment.participant.get_absolute_url()
                    + f"?enrolled={enrolment.pk}#enrolment-{enrolment.pk}"
                )
        else:
            status = 400
    return render(
        request,
        "courses/enrol.html",
        {
            "centre": course_obj.centre,
            "course": course_obj,
            "form": form,
            "seats": seats_left(course_obj),
        },
        status=status,
    )
