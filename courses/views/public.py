"""Public pages: the centres, a centre with its programme, a course with its sessions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation

from appointments.selectors.public import booking_languages
from courses.models import BookingMode, Centre, Course
from courses.selectors.seats import seats_by_session, seats_left
from scheduling import selectors as session_selectors
from scheduling.calendar import sessions_key
from scheduling.links import subscribe_links

# A slot-booked consultation lists only the duty hours people can book now: those within its
# booking window, at most this many (a year of weekly duty hours says nothing more).
DUTY_HOURS_SHOWN = 12


def home(request: HttpRequest) -> HttpResponse:
    """The centres with their next sessions; `?city=` keeps one city's (an unknown city shows
    them all, with a note). Two queries, however many centres."""
    everywhere = list(Centre.objects.order_by("city", "name"))
    cities = sorted({c.city for c in everywhere if c.city}, key=str.lower)
    city = request.GET.get("city", "")
    centres = [c for c in everywhere if c.city == city] if city in cities else everywhere
    upcoming = session_selectors.next_public_sessions_by_centre(centres)
    rows = [(centre, upcoming[centre.pk]) for centre in centres]
    return render(
        request,
        "courses/home.html",
        {
            "rows": rows,
            "cities": cities,
            "city": city if city in cities else "",
            "unknown_city": bool(city) and city not in cities,
        },
    )


def course_detail(request: HttpRequest, centre: str, course: str) -> HttpResponse:
    """A published course with its sessions of the coming year; a slot-booked consultation
    with its duty hours within the booking window and the way to book."""
    course_obj: Course = get_object_or_404(
        Course.objects.select_related("centre", "venue"),
        centre__slug=centre,
        slug=course,
        published=True,
    )
    slots = course_obj.booking_mode == BookingMode.SLOTS
    days, shown = (course_obj.booking_window_days, DUTY_HOURS_SHOWN) if slots else (366, 100)
    sessions = session_selectors.course_public_sessions(course_obj, days=days, limit=shown)
    session_seats = seats_by_session(sessions)
    lang = translation.get_language() or ""
    return render(
        request,
        "courses/course_detail.html",
        {
            "centre": course_obj.centre,
            "course": course_obj,
            "sessions": sessions,
            "now": timezone.now(),
            "booking_languages": booking_languages(course_obj) if slots else [],
            "seats": seats_left(course_obj),
            "session_seats": session_seats,
            "sessions_key": sessions_key(course_obj, sessions, session_seats, lang=lang),
            "subscribe": subscribe_links(course_obj.centre, course_obj, lang=lang),
        },
    )
