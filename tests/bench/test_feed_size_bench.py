"""A centre's feed stays under Google's 1 MB whatever its courses look like.

The worst shapes a centre can give its courses, all at once: open-ended courses with two RRULEs
and an EXRULE, dozens of RDATEs at one time of day and more at scattered times, a daily 02:30
series through every DST switch of the horizon, cancelled and moved sessions, and the longest
descriptions and titles the forms allow, in Ukrainian. Prints the feed's size (in Polish and in
Ukrainian), the number of sessions and VEVENTs, and what one VEVENT per session would weigh;
fails over 1 MB. Run with `make bench`.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.test import Client
from django.utils import timezone

from courses.text import TEXT_LIMITS
from scheduling import services
from scheduling.models import Session, SessionStatus
from tests.factories import CentreFactory, CourseFactory, VenueFactory

GOOGLE_LIMIT = 1024 * 1024
COURSES = 12  # of each worst shape
DESCRIBED = "Опис: "
UKRAINIAN = "Курс польської мови для дорослих, заняття з викладачем, матеріали безкоштовні. "


def _long(limit: int) -> str:
    return (UKRAINIAN * (limit // len(UKRAINIAN) + 1))[:limit]


def _programme(count: int) -> tuple[str, int]:
    centre = CentreFactory()
    venue = VenueFactory(centre=centre, address="ul. Wodna 1")
    other = VenueFactory(centre=centre, address="ul. Długa 2")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    texts = {
        "title_pl": _long(200),
        "title_uk": _long(200),
        "description_pl": DESCRIBED + _long(TEXT_LIMITS["courses.Course.description"] - 10),
        "description_uk": DESCRIBED + _long(TEXT_LIMITS["courses.Course.description"] - 10),
    }
    for n in range(count):
        rdates = "\n".join(
            f"RDATE:{(monday + timedelta(days=3 + 7 * k)):%Y%m%d}T{10 + n % 5:02d}0000"
            for k in range(40)
        )
        scattered = "\n".join(
            f"RDATE:{(monday + timedelta(days=5 + 9 * k)):%Y%m%d}T{(7 + 3 * k) % 14 + 8:02d}1500"
            for k in range(30)
        )
        course = CourseFactory(
            centre=centre,
            venue=venue,
            start_date=monday,
            start_time=time(17, 30),
            rule=(
                "RRULE:FREQ=WEEKLY;BYDAY=MO,WE\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15\n"
                f"EXRULE:FREQ=MONTHLY;BYDAY=1MO\n{rdates}\n{scattered}"
            ),
            **texts,
        )
        sessions = list(course.sessions.order_by("starts_at")[:40:4])
        for number, session in enumerate(sessions):
            if number % 2:
                services.session_cancel(session=session)
            else:
                services.session_move(
                    session=session,
                    starts_at=session.starts_at + timedelta(hours=1),
                    ends_at=session.ends_at + timedelta(hours=1),
                    venue=other,
                )
        CourseFactory(
            centre=centre,
            start_date=monday,
            start_time=time(2, 30),
            duration_minutes=60,
            rule="RRULE:FREQ=DAILY",
            **texts,
        )
    sessions = Session.objects.filter(course__centre=centre, status=SessionStatus.SCHEDULED)
    return centre.slug, sessions.count()


def _measure(count: int) -> dict[str, int]:
    slug, sessions = _programme(count)
    client = Client()
    sizes, events, described = {}, 0, False
    for lang in ("pl", "uk"):
        response = client.get(f"/calendars/{slug}.ics?lang={lang}")
        assert response.status_code == 200
        sizes[lang] = len(response.content)
        events = response.content.count(b"BEGIN:VEVENT")
        described = DESCRIBED.encode() in response.content.replace(b"\r\n ", b"")
    one_event = sizes["uk"] / max(events, 1)
    print(
        f"\n[bench feed-size] {2 * count} courses, {sessions} scheduled sessions, "
        f"{events} VEVENTs; feed pl {sizes['pl'] / 1024:.0f} KiB, uk {sizes['uk'] / 1024:.0f} "
        f"KiB (limit {GOOGLE_LIMIT // 1024} KiB, {max(sizes.values()) / GOOGLE_LIMIT:.0%} of it); "
        f"descriptions {'kept' if described else 'left to the course pages'}; "
        f"one VEVENT per session would be about {sessions * one_event / 1024:.0f} KiB"
    )
    return sizes


def test_the_worst_centre_feed_stays_under_one_megabyte(settings) -> None:
    settings.SESSION_HORIZON_DAYS = 365
    sizes = _measure(COURSES)
    assert max(sizes.values()) < GOOGLE_LIMIT


def test_a_centre_with_four_times_as_many_still_fits(settings) -> None:
    """Past the limit with full texts: the feed is built again shorter until it fits."""
    settings.SESSION_HORIZON_DAYS = 365
    sizes = _measure(4 * COURSES)
    assert max(sizes.values()) < GOOGLE_LIMIT
