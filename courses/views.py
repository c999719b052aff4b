"""Public pages: the centres, a centre with its programme, a course with its sessions."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from courses.models import Centre, Course
from scheduling import selectors as session_selectors


def home(request: HttpRequest) -> HttpResponse:
    centres = list(Centre.objects.order_by("city", "name"))
    upcoming = session_selectors.next_public_sessions_by_centre(centres)
    rows = [(centre, upcoming[centre.pk]) for centre in centres]
    return render(request, "courses/home.html", {"rows": rows})


def centre_detail(request: HttpRequest, centre: str) -> HttpResponse:
    centre_obj = get_object_or_404(Centre, slug=centre)
    courses = list(Course.objects.filter(centre=centre_obj, published=True).select_related("venue"))
    sessions = list(session_selectors.upcoming_public_sessions(centres=[centre_obj]))
    tz = centre_obj.tz
    days = [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: s.starts_at.astimezone(tz).date())
    ]
    return render(
        request,
        "courses/centre_detail.html",
        {"centre": centre_obj, "courses": courses, "days": days},
    )


def course_detail(request: HttpRequest, centre: str, course: str) -> HttpResponse:
    course_obj: Course = get_object_or_404(
        Course.objects.select_related("centre", "venue"),
        centre__slug=centre,
        slug=course,
        published=True,
    )
    sessions = list(session_selectors.upcoming_public_sessions(course=course_obj, days=366)[:100])
    return render(
        request,
        "courses/course_detail.html",
        {
            "centre": course_obj.centre,
            "course": course_obj,
            "sessions": sessions,
            "now": timezone.now(),
        },
    )
