"""The public calendar of a centre: which sessions to show, week or list. Shared by the centre
page and the website embed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from django.utils import timezone
from django.utils.functional import cached_property

from courses.models import BookingMode, Centre, Course, CourseKind
from courses.selectors.seats import Seats, seats_of_courses, seats_of_sessions
from scheduling import release, rules
from scheduling.models import Session, SessionStatus


class _Timed(Protocol):
    @property
    def starts_at(self) -> datetime: ...


T = TypeVar("T", bound=_Timed)


@dataclass(frozen=True)
class Shown:
    """A session the calendar shows, as its key and its seats need it: read without models,
    so that a page whose calendar is kept (`page_key`) builds none."""

    pk: int
    course_id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    places: int | None  # booked session by session: its places; else None


@dataclass(frozen=True)
class CalendarPage:
    centre: Centre
    view: str
    start: date
    end: date  # exclusive
    shown: list[tuple[date, list[Shown]]]
    filters: dict[str, Any]
    errors: list[str]
    # The sessions shown, not yet read (see `days`).
    sessions: QuerySet[Session] = field(repr=False, compare=False)

    @cached_property
    def days(self) -> list[tuple[date, list[Session]]]:
        """The sessions shown, day by day, with their courses and venues: read when the
        calendar is rendered, not when its kept HTML is used."""
        return _by_day(_shown(self.sessions, self.centre), self.centre.tz, self.view, self.start)

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
    filters that could not be read are reported in `errors`. One query, of the sessions' ids,
    times and places (`CalendarPage.shown`); their models are read when the calendar is
    rendered (`CalendarPage.days`)."""
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
    sessions = sessions.order_by("starts_at", "pk")
    rows = sessions.values_list(
        "pk",
        "course_id",
        "status",
        "starts_at",
        "ends_at",
        "course__booking_mode",
        Coalesce("capacity", "course__capacity"),
    )
    shown = [
        Shown(pk, course, status, starts, ends, places if booking == BookingMode.SESSION else None)
        for pk, course, status, starts, ends, booking, places in rows
    ]
    filters = {name: (data.get(name) or "") for name in ("kind", "audience", "level", "course")}
    if data.get("weeks"):
        filters["weeks"] = str(data["weeks"])
    days = _by_day(shown, tz, view, start)
    return CalendarPage(centre, view, start, end, days, filters, errors, sessions)


def _by_day(items: list[T], tz: Any, view: str, start: date) -> list[tuple[date, list[T]]]:
    """`items` (sessions or `Shown`, in order) day by day in the centre's time `tz`; the week
    view has its seven days, empty ones too."""
    days = [
        (day, list(found))
        for day, found in groupby(items, key=lambda s: s.starts_at.astimezone(tz).date())
    ]
    if view != "week":
        return days
    by_date = dict(days)
    return [(day, by_date.get(day, [])) for day in (start + timedelta(n) for n in range(7))]


def _shown(sessions: QuerySet[Session], centre: Centre) -> list[Session]:
    """The sessions in order, each course and venue read once and shared by its sessions (a
    weekly course has four in four weeks), the courses without their rules (a session shows its
    own times) and with the centre the page already has: three queries, a model per course and
    per venue, not three models per session."""
    rows = list(
        sessions.prefetch_related(
            Prefetch("course", queryset=Course.objects.defer("recurrence")), "venue"
        )
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


@dataclass(frozen=True)
class Offer:
    """The centre page's offer: for each of the centre's published courses the filters ask
    for, its next session on the calendar shown and its seats (what `offer_key` needs, read
    without models); its cards (`cards`, the courses grouped by kind) are read when the offer
    is rendered, not when its kept HTML is used."""

    page: CalendarPage
    courses: QuerySet[Course] = field(repr=False, compare=False)
    entries: list[tuple[int, int | None, Seats | None]]  # course, next session, seats

    @cached_property
    def cards(self) -> list[OfferCard]:
        found = list(self.courses.select_related("venue").defer("recurrence"))
        _in_centre(found, self.page.centre)
        found.sort(key=lambda c: (KIND_ORDER.get(c.kind, 99), str(c.title).lower()))
        entries = {pk: (session, seats) for pk, session, seats in self.entries}
        sessions = self._next_sessions([session for _pk, session, _seats in self.entries])
        cards = []
        for course in found:
            session, seats = entries.get(course.pk, (None, None))
            cards.append(OfferCard(course, sessions.get(session) if session else None, seats))
        return cards

    def _next_sessions(self, ids: list[int | None]) -> dict[int, Session]:
        """The courses' next sessions: the calendar's, when it was rendered too; else only
        their times (one small query, not the calendar's every session with its course)."""
        if "days" in vars(self.page):
            return {s.pk: s for _day, shown in self.page.days for s in shown}
        found = [pk for pk in ids if pk is not None]
        return Session.objects.only("pk", "course_id", "starts_at").in_bulk(found) if found else {}


def offer(centre: Centre, data: dict[str, Any], page: CalendarPage) -> Offer:
    """The centre's published courses the filters ask for, each with its next scheduled
    session among those `page` shows and its seats: three queries (the courses' ids and
    places, then the seats of the courses and of the next sessions)."""
    courses = Course.objects.filter(centre=centre, published=True)
    for name in ("kind", "audience", "level"):
        if data.get(name):
            courses = courses.filter(**{name: data[name]})
    now = timezone.now()
    upcoming: dict[int, Shown] = {}
    for _day, shown in page.shown:
        for session in shown:
            if session.status == SessionStatus.SCHEDULED and session.ends_at >= now:
                upcoming.setdefault(session.course_id, session)
    rows = list(courses.order_by().values_list("pk", "booking_mode", "capacity"))
    by_course = seats_of_courses(
        {pk: places for pk, booking, places in rows if booking == BookingMode.COURSE}
    )
    by_session = seats_of_sessions(
        {s.pk: s.places for s in upcoming.values() if s.places is not None}
    )
    entries = []
    for pk, _booking, _places in rows:
        next_session = upcoming.get(pk)
        seats = by_course.get(pk) or (by_session.get(next_session.pk) if next_session else None)
        entries.append((pk, next_session.pk if next_session else None, seats))
    return Offer(page, courses, entries)


def page_seats(page: CalendarPage) -> dict[int, Seats]:
    """Seats of the page's sessions that are booked one by one, in one query."""
    return seats_of_sessions(
        {s.pk: s.places for _day, shown in page.shown for s in shown if s.places is not None}
    )


def _digest(*parts: Any) -> str:
    return hashlib.sha256(
        repr((release.html_version(), static("img/kinds.svg"), *parts)).encode()
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
        [session.pk for _day, shown in page.shown for session in shown],
        sorted((pk, *_counts(s)) for pk, s in seats.items()),
    )


def offer_key(offered: Offer, *, lang: str) -> str:
    """What the centre page's offer shows, as `page_key` says of the calendar: the centre's
    calendar revision, the courses (their order follows from them and the language), each
    one's next date and seats, the filters and the language."""
    page = offered.page
    return _digest(
        page.centre.pk,
        page.centre.calendar_revision,
        lang,
        sorted(page.filters.items()),
        sorted(
            (pk, session) + (_counts(seats) if seats else ())
            for pk, session, seats in offered.entries
        ),
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
