"""The public enrolment form, on a phone, without an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from courses.errors import AlreadyEnrolled, DomainError
from courses.forms.enrol import CodeForm, EnrolForm
from courses.models import (
    BookingMode,
    Course,
    Enrolment,
    EnrolmentStatus,
)
from courses.phones import display_phone
from courses.selectors.seats import seats_left, waitlist_position_when_made
from courses.selectors.verification import pending_phone
from courses.services.households import childcare_booking
from courses.services.participants import (
    PRIVACY_NOTICE_VERSION,
    ParticipantData,
)
from courses.services.verification import (
    verification_confirm,
    verification_resend,
    verification_start,
)
from courses.throttles import EnrolmentThrottle, VerifyThrottle
from scheduling.models import Session

# Activities without a place to take: an old link to their form leads to their page.
NOT_ENROLLED = (BookingMode.OPEN, BookingMode.SLOTS)


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
    if request.method in ("GET", "HEAD") and course_obj.booking_mode in NOT_ENROLLED:
        return redirect(course_obj)  # its page says "just come", or books an appointment
    sessions = (
        _upcoming_sessions(course_obj) if course_obj.booking_mode == BookingMode.SESSION else []
    )
    if request.method == "POST" and "verification" in request.POST:
        return _code_step(request, course_obj)
    initial = {"session": request.GET.get("session")} if request.GET.get("session") else None
    form = EnrolForm(
        request.POST or None,
        initial=initial,
        course=course_obj,
        sessions=sessions,
        childcare_full=_childcare_full(course_obj),
    )
    status = 200
    if request.method == "POST" and form.has_party and form.adding:
        form.without_errors()  # "add another person": the form again with one more row
    elif request.method == "POST":
        throttle = EnrolmentThrottle()
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            form.add_error(None, _("Too many attempts from this device. Please try again later."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                started = verification_start(
                    course=course_obj,
                    session=next((s for s in sessions if s.pk == data.get("session")), None),
                    person=ParticipantData(
                        name=data["name"],
                        phone=data["phone"],
                        country=data["country"],
                        language=data["language"],
                        sms_consent=data["sms_consent"],
                        country_of_origin=data["country_of_origin"],
                        birth_year=data["birth_year"],
                        sex=data["sex"],
                        privacy_notice_version=PRIVACY_NOTICE_VERSION,
                    ),
                    channel="web",
                    client=throttle.get_ident(request),
                    party=data.get("party", ()),
                    attending=data.get("attending", True),
                    min_places=data.get("min_places"),
                )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
                status = exc.status_code if exc.status_code in (409, 429, 503) else 400
            else:
                code_form = CodeForm(initial={"verification": started.verification.public_id})
                return _code_page(request, course_obj, code_form, started.phone)
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


def _childcare_full(course: Course) -> bool:
    """Whether the class's childcare (booked as a whole) has no place free now, or a waitlist:
    the form says so and asks whether the children may wait."""
    if not course.childcare_id:
        return False
    care = course.childcare
    seats = seats_left(care) if care is not None else None
    return seats is not None and (seats.left == 0 or seats.waiting > 0)


def _code_page(
    request: HttpRequest, course: Course, form: CodeForm, phone: str, status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "courses/enrol_code.html",
        {
            "centre": course.centre,
            "course": course,
            "form": form,
            "phone": display_phone(phone).replace(" ", "\u00a0") if phone else "",  # one line
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _code_step(request: HttpRequest, course: Course) -> HttpResponse:
    """The code from the SMS proves the phone; only then is a place taken and the person's page
    shown. "Send a new code" asks again for the same request."""
    form = CodeForm(request.POST)
    public_id = str(request.POST.get("verification", ""))[:64]
    phone = pending_phone(public_id)
    throttle = VerifyThrottle()
    if not throttle.allow_request(request, None):  # type: ignore[arg-type]
        form.add_error(None, _("Too many attempts from this device. Please try again later."))
        return _code_page(request, course, form, phone, status=429)
    if form.is_valid() and "resend" not in request.POST and not form.cleaned_data["code"]:
        form.add_error("code", _("Enter the code from the SMS."))
    if not form.is_valid():
        return _code_page(request, course, form, phone, status=400)
    try:
        if "resend" in request.POST:
            started = verification_resend(
                verification=public_id, client=EnrolmentThrottle().get_ident(request)
            )
            messages.info(request, str(_("A new code is on its way.")))
            fresh = CodeForm(initial={"verification": started.verification.public_id})
            return _code_page(request, course, fresh, started.phone)
        enrolment = verification_confirm(verification=public_id, code=form.cleaned_data["code"])
    except AlreadyEnrolled as exc:
        if exc.enrolment is None:
            raise
        messages.info(request, str(exc.message))
        return redirect(_place_url(exc.enrolment))
    except DomainError as exc:
        form.add_error("code" if exc.field == "code" else None, str(exc.message))
        status = exc.status_code if exc.status_code in (409, 429, 503) else 400
        return _code_page(request, course, form, phone, status=status)
    care = childcare_booking(enrolment)
    if care is not None and care.status == EnrolmentStatus.WAITLISTED:
        messages.warning(
            request,
            str(
                _(
                    "The childcare is full: your children are number %(position)s on its "
                    "waitlist, and we send an SMS when a place is theirs. Your own place in the "
                    "class stands."
                )
                % {"position": waitlist_position_when_made(care)}
            ),
        )
    return redirect(_place_url(enrolment, just_enrolled=True))


def _place_url(enrolment: Enrolment, *, just_enrolled: bool = False) -> str:
    url = enrolment.participant.get_absolute_url()
    query = f"?enrolled={enrolment.pk}" if just_enrolled else ""
    return f"{url}{query}#enrolment-{enrolment.pk}"
