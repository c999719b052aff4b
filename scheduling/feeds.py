"""Calendar feeds from the database: which courses and sessions, and how they become series.

A feed costs a constant number of queries whatever the number of courses and sessions. Its
ETag comes from one row (the centre's calendar revision) and today's date; that row is
remembered in the default cache under the calendar epoch (`courses.calendar_epoch`), so a
conditional request is answered after one cache read without building anything or querying the
database (with Redis; the database cache's read is its one query), and built bytes are cached
in each process's memory under that ETag.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User as AuthUser
from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import Centre, Course, EnrolmentStatus, Participant, Venue
from scheduling import ical, rules
from scheduling import series as series_shapes
from scheduling.feed_versions import (  # noqa: F401 - the feeds' versions, read by the views
    FORMAT_VERSION,
    FeedVersion,
    centre_version,
    course_version,
    participant_version,
    trainer_version,
)
from scheduling.models import Session, SessionStatus

# The most characters of a course's description a feed carries (the course page has it all).
FEED_DESCRIPTION_CHARS = 600
# Google drops subscribed feeds over 1 MB.
FEED_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class FeedShape:
    """How much a feed carries: descriptions or only the course page's address; how far ahead."""

    descriptions: bool = True
    days_ahead: int | None = None


# Tried in order until the feed fits FEED_MAX_BYTES (the first fits any ordinary centre).
FEED_SHAPES = (
    FeedShape(),
    FeedShape(descriptions=False),
    *(FeedShape(descriptions=False, days_ahead=days) for days in (180, 90, 30, 7)),
)


def feed_host() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"


def feed_cutoff(tz: tzinfo, now: datetime | None = None) -> datetime:
    """Local midnight CALENDAR_FEED_PAST_DAYS ago: older sessions are trimmed."""
    now = now or timezone.now()
    day = now.astimezone(tz).date() - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    return rules.localize(datetime.combine(day, time()), tz)


@dataclass(frozen=True)
class Feed:
    name: str
    courses: QuerySet[Course]
    # For courses booked per session: only these sessions (a participant's bookings).
    only_sessions: dict[int, set[int]] | None = None
    # Events of another app for this feed (a specialist's appointments), built with the shape.
    extra_events: Callable[[datetime, FeedShape], list[ical.SingleEvent]] | None = None

    def render(self, *, lang: str, now: datetime | None = None) -> bytes:
        """The feed's bytes. Over FEED_MAX_BYTES (Google drops larger feeds), it is built again
        with shorter texts (the course page has them), then for fewer days ahead, until it fits."""
        now = now or timezone.now()
        with translation.override(lang):
            courses = list(self.courses.select_related("centre", "venue").order_by("pk"))
            by_course = _sessions_by_course(courses, now)
            body = b""
            for shape in FEED_SHAPES:
                body = self._build(courses, by_course, now, shape)
                if len(body) <= FEED_MAX_BYTES:
                    break
            return body

    def _build(
        self,
        courses: list[Course],
        by_course: dict[int, list[Session]],
        now: datetime,
        shape: FeedShape,
    ) -> bytes:
        series: list[ical.Series] = []
        events: list[ical.SingleEvent] = []
        last = now + timedelta(days=shape.days_ahead) if shape.days_ahead else None
        for course in courses:
            sessions = [
                s for s in by_course.get(course.pk, []) if last is None or s.starts_at <= last
            ]
            if self.only_sessions is not None and course.pk in self.only_sessions:
                chosen = self.only_sessions[course.pk]
                more_series: list[ical.Series] = []
                more_events = single_events(
                    course, [s for s in sessions if s.pk in chosen], now=now, shape=shape
                )
            else:
                more_series, more_events = course_components(course, sessions, now=now, shape=shape)
            series += more_series
            events += more_events
        if self.extra_events is not None:
            events += self.extra_events(now, shape)
        return ical.render(
            name=self.name,
            series=series,
            events=events,
            refresh=timedelta(minutes=settings.CALENDAR_FEED_REFRESH_MINUTES),
        )


def cached_render(
    etag: str, make_feed: Callable[[], Feed], *, lang: str, packed: bool = False
) -> bytes:
    """The feed's bytes from the feed cache under its ETag, built (and kept for a day) on a miss;
    `packed`: gzip-compressed (once, from the bytes as they are; the same bytes each time).

    The feed cache (CACHES["feeds"]) is each process's memory unless FEED_CACHE_URL says
    otherwise: a hit costs no query, and an ETag names one content, so nothing goes stale."""
    key = f"feed:{etag}:gzip" if packed else f"feed:{etag}"
    cache = caches["feeds"]
    body = cache.get(key)
    if body is None:
        if packed:
            body = gzip.compress(cached_render(etag, make_feed, lang=lang), mtime=0)
        else:
            body = make_feed().render(lang=lang)
        cache.set(key, body, timeout=24 * 3600)
    return body


def _sessions_by_course(courses: list[Course], now: datetime) -> dict[int, list[Session]]:
    if not courses:
        return {}
    cutoff = min(feed_cutoff(c.centre.tz, now) for c in courses)
    sessions = (
        Session.objects.filter(course__in=courses)
        .filter(Q(ends_at__gte=cutoff) | Q(original_start__gte=cutoff))
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    grouped: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        grouped[session.course_id].append(session)
    return grouped


def _location(venue: Venue | None) -> str:
    return venue.full_address if venue is not None else ""


def _shorten(text: str) -> str:
    """A description cut to FEED_DESCRIPTION_CHARS at a word: the course page has it all, and a
    feed must stay far below Google's 1 MB whatever staff wrote."""
    text = text.strip()
    if len(text) <= FEED_DESCRIPTION_CHARS:
        return text
    cut = text[:FEED_DESCRIPTION_CHARS].rsplit(None, 1)[0]
    return cut.rstrip(" ,.;:") + " …"


def _text(course: Course, location: str, *, note: str = "", shape: FeedShape) -> ical.Text:
    url = settings.PUBLIC_BASE_URL + course.get_absolute_url()
    description = _shorten(course.description) if shape.descriptions else ""
    parts = [note.strip(), description, f"{course.centre.name}", url]
    return ical.Text(
        summary=course.title,
        description="\n\n".join(p for p in parts if p),
        location=location,
        url=url,
    )


def _session_note(session: Session, tz: tzinfo) -> str:
    """What a session says for itself: where a moved one moved from, and the staff's note."""
    parts = []
    if session.moved and session.original_start is not None:
        before = timezone.localtime(session.original_start, tz)
        parts.append(_("Moved from %(when)s.") % {"when": date_format(before, "DATETIME_FORMAT")})
    if session.note.strip():
        parts.append(session.note.strip())
    return " ".join(parts)


def _published(
    course: Course, session: Session, host: str, shape: FeedShape
) -> series_shapes.Published:
    tz = course.centre.tz
    location = _location(session.venue)
    return series_shapes.Published(
        pk=session.pk,
        uid=f"session-{session.pk}@{host}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        original_start=session.original_start,
        cancelled=session.status == SessionStatus.CANCELLED,
        location=location,
        text=_text(course, location, note=_session_note(session, tz), shape=shape),
        sequence=session.sequence,
        last_modified=session.updated_at,
    )


def course_components(
    course: Course, sessions: Iterable[Session], *, now: datetime, shape: FeedShape = FeedShape()
) -> tuple[list[ical.Series], list[ical.SingleEvent]]:
    """The course's scheduled sessions as series and single events (`scheduling.series`)."""
    host = feed_host()
    tz = course.centre.tz
    schedule = course.schedule()
    location = _location(course.venue)
    course_shape = series_shapes.CourseShape(
        uid=f"course-{course.pk}@{host}",
        text=_text(course, location, shape=shape),
        location=location,
        revision=course.revision,
        last_modified=course.updated_at,
    )
    until = course.centre.horizon_end(now) if schedule.is_open_ended else date.max
    if shape.days_ahead is not None:
        until = min(until, (now + timedelta(days=shape.days_ahead)).astimezone(tz).date())
    return series_shapes.components(
        course_shape,
        schedule,
        [_published(course, s, host, shape) for s in sessions],
        since=feed_cutoff(tz, now),
        until=until,
    )


def single_events(
    course: Course, sessions: Iterable[Session], *, now: datetime, shape: FeedShape = FeedShape()
) -> list[ical.SingleEvent]:
    """Scheduled sessions as VEVENTs of their own."""
    host, tz = feed_host(), course.centre.tz
    cutoff = feed_cutoff(tz, now)
    return [
        series_shapes.single(_published(course, s, host, shape), tz)
        for s in sessions
        if s.status == SessionStatus.SCHEDULED and s.ends_at >= cutoff
    ]


def centre_feed(centre: Centre) -> Feed:
    return Feed(name=centre.name, courses=Course.objects.filter(centre=centre, published=True))


def course_feed(course: Course) -> Feed:
    return Feed(
        name=f"{course.title} · {course.centre.name}",
        courses=Course.objects.filter(pk=course.pk, published=True),
    )


def trainer_feed(
    user: AuthUser,
    *,
    extra_events: Callable[[datetime, FeedShape], list[ical.SingleEvent]] | None = None,
) -> Feed:
    display_name = user.get_full_name() or user.get_username()
    return Feed(
        name=_("My sessions: %(name)s") % {"name": display_name},
        courses=Course.objects.filter(trainers=user),
        extra_events=extra_events,
    )


def participant_feed(participant: Participant) -> Feed:
    """The courses a person has a confirmed place in; for per-session courses, only the
    sessions they booked."""
    confirmed = participant.enrolments.filter(status=EnrolmentStatus.CONFIRMED)
    only: dict[int, set[int]] = defaultdict(set)
    for course_id, session_id in confirmed.filter(session__isnull=False).values_list(
        "course_id", "session_id"
    ):
        only[course_id].add(session_id)
    return Feed(
        name=_("My sessions: %(name)s") % {"name": participant.centre.name},
        courses=Course.objects.filter(pk__in=confirmed.values("course_id")),
        only_sessions=dict(only),
    )
