"""The public calendar of a centre: which sessions to show, week or list. Shared by the centre
page and the website embed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.templatetags.static import static
from django.utils import timezone

from courses.models import Centre, Course, CourseKind
from courses.selectors.seats import Seats, seats_by_course, seats_by_session
from scheduling import rules
from scheduling.models import Session, SessionStatus


@dataclass(frozen=True)
class CalendarPage:
    centre: Centre
    view: str
    start: date
    end: date  # exclusive
    days: list[tuple[date, list[Session]]]
    filters: dict[str, Any]
    errors: list[str]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous_week(self) -> str:
        """The query string of the week before ("" before the first week that can be shown)."""
        return self._week_query(self.start - timedelta(days=7))

    @property
    def next_week(self) -> str:
        return self._week_query(self.start + timedelta(days=7))

    def _week_query(self, monday: date) -> str:
        if monday + timedelta(days=6) < rules.FIRST_DAY or monday > rules.LAST_DAY:
            return ""
        return self._query(week=monday.isoformat())

    def _query(self, **changes: str) -> str:
        params = {k: v for k, v in {**self.filters, "view": self.view, **changes}.items() if v}
        return "?" + urlencode(params)


def calendar_page(
    centre: Centre,
    data: dict[str, Any],
    *,
    errors: list[str] | None = None,
    now: datetime | None = None,
) -> CalendarPage:
    """Find the sessions the filters ask for (read by `scheduling.forms.read_filters`); the
    filters that could not be read are reported in `errors`."""
    errors = errors or []
    tz = centre.tz
    today = (now or timezone.now()).astimezone(tz).date()
    view = data.get("view") or "list"
    if view == "week":
        anchor = data.get("week") or today
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
    else:
        start = today
        end = start + timedelta(weeks=data.get("weeks") or 4)
    sessions = Session.objects.filter(
        course__centre=centre,
        course__published=True,
        starts_at__gte=rules.localize(datetime.combine(start, time()), tz),
        starts_at__lt=rules.localize(datetime.combine(end, time()), tz),
    )
    if view == "list":
        sessions = sessions.filter(ends_at__gte=now or timezone.now())
    for name in ("kind", "audience", "level"):
        if data.get(name):
            sessions = sessions.filter(**{f"course__{name}": data[name]})
    if data.get("course"):
        sessions = sessions.filter(course__slug=data["course"])
    days = [
        (day, list(items))
        for day, items in groupby(
            _shown(sessions, centre), key=lambda s: s.starts_at.astimezone(tz).date()
        )
    ]
    if view == "week":
        found = dict(days)
        days = [
            (start + timedelta(days=n), found.get(start + timedelta(days=n), [])) for n in range(7)
        ]
    filters = {name: (data.get(name) or "") for name in ("kind", "audience", "level", "course")}
    if data.get("weeks"):
        filters["weeks"] = str(data["weeks"])
    return CalendarPage(centre, view, start, end, days, filters, errors)


def _shown(sessions: QuerySet[Session], centre: Centre) -> list[Session]:
    """The sessions in order, each course and venue read once and shared by its sessions (a
    weekly course has four in four weeks), the courses without their rules (a session shows its
    own times) and with the centre the page already has: three queries, a model per course and
    per venue, not three models per session."""
    rows = list(
        sessions.prefetch_related(
            Prefetch("course", queryset=Course.objects.defer("recurrence")), "venue"
        ).order_by("starts_at", "pk")
    )
    _in_centre({session.course for session in rows}, centre)
    return rows


def _in_centre(courses: Iterable[Course], centre: Centre) -> None:
    """Give each of the centre's `courses` the page's instance of it (not one read per course)."""
    for course in courses:
        Course.centre.field.set_cached_value(course, centre)


@dataclass(frozen=True)
class OfferCard:
    """A course on the centre page's offer: its next date on the calendar shown, and its seats
    (the course's, or the next session's when sessions are booked one by one)."""

    course: Course
    next_session: Session | None
    seats: Seats | None


KIND_ORDER = {kind: n for n, kind in enumerate(CourseKind.values)}


def offer(centre: Centre, data: dict[str, Any]) -> list[Course]:
    """The centre's published courses the filters ask for, grouped by kind, in one query."""
    courses = (
        Course.objects.filter(centre=centre, published=True)
        .select_related("venue")
        .defer("recurrence")  # a card shows the next date, not the rule
    )
    for name in ("kind", "audience", "level"):
        if data.get(name):
            courses = courses.filter(**{name: data[name]})
    found = list(courses)
    _in_centre(found, centre)
    return sorted(found, key=lambda c: (KIND_ORDER.get(c.kind, 99), str(c.title).lower()))


def offer_cards(courses: list[Course], page: CalendarPage) -> list[OfferCard]:
    """Each course with its next scheduled session among those the page shows; the seats of
    all of them in two queries."""
    now = timezone.now()
    upcoming: dict[int, Session] = {}
    for _day, sessions in page.days:
        for session in sessions:
            if session.status == SessionStatus.SCHEDULED and session.ends_at >= now:
                upcoming.setdefault(session.course_id, session)
    by_course = seats_by_course(courses)
    by_session = seats_by_session(upcoming.values())
    cards = []
    for course in courses:
        next_session = upcoming.get(course.pk)
        seats = by_course.get(course.pk) or (
            by_session.get(next_session.pk) if next_session else None
        )
        cards.append(OfferCard(course, next_session, seats))
    return cards


def page_seats(page: CalendarPage) -> dict[int, Seats]:
    """Seats of the page's sessions that are booked one by one, in one query."""
    return seats_by_session([s for _day, sessions in page.days for s in sessions])


# Rises when the same sessions and courses give other HTML (the templates or texts of the
# calendar, the offer or a course page's sessions changed, with what they include): a shared
# FEED_CACHE_URL then holds nothing an older release made.
HTML_VERSION = "1"


def _digest(*parts: Any) -> str:
    return hashlib.sha256(
        repr((HTML_VERSION, static("img/kinds.svg"), *parts)).encode()
    ).hexdigest()[:32]


def page_key(page: CalendarPage, seats: dict[int, Seats], *, lang: str) -> str:
    """What the calendar of a page (`_calendar.html`) shows, as one key: the centre's calendar
    revision (it rises with every change of its courses, sessions, venues and itself, in the
    change's transaction), the sessions shown, their seats, the week or list asked for and the
    language. The calendar's HTML is kept under it in the feed cache (CACHES["feeds"]), so a
    page whose sessions and seats are as they were is not rendered again; a key names one
    content (read after the revision was), so what is shown is never older than the key."""
    return _digest(
        page.centre.pk,
        page.centre.calendar_revision,
        lang,
        page.view,
        page.start,
        page.end,
        sorted(page.filters.items()),
        [session.pk for _day, sessions in page.days for session in sessions],
        sorted((pk, *_counts(s)) for pk, s in seats.items()),
    )


def offer_key(cards: list[OfferCard], page: CalendarPage, *, lang: str) -> str:
    """What the centre page's offer shows, as `page_key` says of the calendar: the centre's
    calendar revision, each course's next date and seats, the filters and the language."""
    return _digest(
        page.centre.pk,
        page.centre.calendar_revision,
        lang,
        sorted(page.filters.items()),
        [
            (card.course.pk, card.next_session.pk if card.next_session else None)
            + (_counts(card.seats) if card.seats else ())
            for card in cards
        ],
    )


def sessions_key(
    course: Course, sessions: list[Session], seats: dict[int, Seats], *, lang: str
) -> str:
    """What a course page's list of coming sessions shows, as `page_key` says of the calendar:
    the centre's calendar revision (it rises with every change of the course, its sessions and
    venues), the course's booking and whether it is open, the sessions shown, their seats and
    the language."""
    return _digest(
        course.pk,
        course.centre.pk,
        course.centre.calendar_revision,
        lang,
        course.booking_mode,
        course.enrolment_open,
        course.venue_id,
        [session.pk for session in sessions],
        sorted((pk, *_counts(s)) for pk, s in seats.items()),
    )


def _counts(seats: Seats) -> tuple[int, int, int]:
    return seats.capacity, seats.taken, seats.waiting
