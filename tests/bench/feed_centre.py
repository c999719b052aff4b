"""The centre the feed bench measures: weekly courses over a year, with cancelled and moved
sessions and a closure, made through the generation services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courses.models import Centre, Course
from scheduling import rules, services
from scheduling.models import Closure, Session
from tests.factories import CentreFactory, VenueFactory

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]


def feed_centre(courses: int) -> Centre:
    """A centre with `courses` weekly courses from up to 7 weeks ago to a year ahead, a closure,
    and a few cancelled and moved sessions; sessions come from the generation services."""
    centre = CentreFactory()
    venues = [VenueFactory(centre=centre, address=f"ul. Długa {n + 1}") for n in range(3)]
    today = timezone.localdate()
    until = (today + timedelta(days=365)).strftime("%Y%m%d")
    rows = []
    for n in range(courses):
        weekday = n % len(WEEKDAYS)
        start = today + timedelta(days=(weekday - today.weekday()) % 7 - 7 * (n % 8))
        rows.append(
            Course(
                centre=centre,
                slug=f"course-{n}",
                kind="polish_course",
                title_pl=f"Kurs polskiego {n}",
                description_pl="Zajęcia dla dorosłych, poziom A1–B1.",
                published=True,
                venue=venues[n % len(venues)],
                start_date=start,
                start_time=timezone.datetime(2000, 1, 1, 8 + n % 12, 30 * (n % 2)).time(),
                duration_minutes=(60, 90, 120)[n % 3],
                recurrence=rules.parse(
                    f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]};UNTIL={until}", centre.tz
                ),
            )
        )
    Course.objects.bulk_create(rows)
    saved = list(Course.objects.filter(centre=centre).select_related("centre").order_by("pk"))
    services.courses_sessions_sync(courses=saved)
    services.closure_save(
        closure=Closure(
            centre=centre,
            starts_on=today + timedelta(days=120),
            ends_on=today + timedelta(days=126),
            reason="Przerwa",
        )
    )
    now = timezone.now()
    for course in saved[::4]:
        upcoming = list(
            Session.objects.filter(course=course, starts_at__gt=now).order_by("starts_at")[:12]
        )
        services.session_cancel(session=upcoming[2])
        services.session_cancel(session=upcoming[7])
        services.session_move(
            session=upcoming[4],
            starts_at=upcoming[4].starts_at + timedelta(days=1, hours=1),
            ends_at=upcoming[4].ends_at + timedelta(days=1, hours=1),
        )
        services.session_move(
            session=upcoming[10],
            starts_at=upcoming[10].starts_at,
            ends_at=upcoming[10].ends_at,
            venue=venues[(venues.index(course.venue) + 1) % len(venues)],
        )
    return centre
