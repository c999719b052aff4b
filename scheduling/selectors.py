"""Reads for sessions and closures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from courses.models import Centre, Course
from courses.selectors.tenancy import User, centres_managed_for_user
from scheduling.models import Closure, Session, SessionStatus


def _with_relations(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.select_related("course__centre", "venue", "course__venue")


def sessions_visible_for_user(user: User) -> QuerySet[Session]:
    visible = Q(course__published=True)
    if user.is_authenticated:
        visible |= Q(course__centre__in=centres_managed_for_user(user))
    return _with_relations(Session.objects.filter(visible))


def sessions_managed_for_user(user: User) -> QuerySet[Session]:
    return _with_relations(
        Session.objects.filter(course__centre__in=centres_managed_for_user(user))
    )


def closures_visible_for_user(user: User) -> QuerySet[Closure]:
    return Closure.objects.select_related("centre")


def closures_managed_for_user(user: User) -> QuerySet[Closure]:
    qs = Closure.objects.select_related("centre")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(centre__in=centres_managed_for_user(user))


def _coming(now: datetime | None, days: int) -> QuerySet[Session]:
    """Scheduled and cancelled sessions of published courses starting in the next `days` days."""
    now = now or timezone.now()
    return Session.objects.filter(
        course__published=True, ends_at__gte=now, starts_at__lt=now + timedelta(days=days)
    )


def upcoming_public_sessions(
    *, centres: list[Centre] | None = None, now: datetime | None = None, days: int = 28
) -> QuerySet[Session]:
    """Scheduled and cancelled sessions of published courses starting in the next `days` days,
    of these `centres` (None: all), with their courses, centres and venues."""
    qs = _coming(now, days)
    if centres is not None:
        qs = qs.filter(course__centre__in=centres)
    return _with_relations(qs).order_by("starts_at", "id")


def course_public_sessions(
    course: Course, *, days: int, limit: int, now: datetime | None = None
) -> list[Session]:
    """The first `limit` sessions of `course` in the next `days` days (see `_coming`), with
    their venues, each given that instance of the course (not a course read per session)."""
    sessions = list(
        _coming(now, days)
        .filter(course=course)
        .select_related("venue")
        .order_by("starts_at", "id")[:limit]
    )
    for session in sessions:
        Session.course.field.set_cached_value(session, course)
    return sessions


def next_public_sessions_by_centre(
    centres: list[Centre], *, per_centre: int = 3, now: datetime | None = None
) -> dict[int, list[Session]]:
    """The next few scheduled public sessions of each centre, in one query: each centre's
    sessions numbered in their order by the database, only the first `per_centre` read (not
    every session of the coming weeks until each centre has its few)."""
    found: dict[int, list[Session]] = {c.pk: [] for c in centres}
    # Numbered on the sessions' ids and times alone (the coming weeks' hundreds of rows, not
    # each with its course, centre and venues), then the few read whole.
    first = (
        _coming(now, 60)
        .filter(course__centre__in=centres, status=SessionStatus.SCHEDULED)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("course__centre_id"),
                order_by=(F("starts_at").asc(), F("id").asc()),
            )
        )
        .filter(place__lte=per_centre)
        .values("pk")
    )
    sessions = (
        _with_relations(Session.objects.filter(pk__in=first))
        .order_by("starts_at", "id")
        .defer("course__recurrence")  # the home page shows the times, not the rule
    )
    for session in sessions:
        found[session.course.centre_id].append(session)
    return found


def is_changed(session: Session) -> bool:
    """Cancelled, moved by staff, or with a note for participants."""
    return session.is_cancelled or session.moved or bool(session.note)


def sessions_changed_by_course(
    course_ids: list[int], *, per_course: int = 10, now: datetime | None = None
) -> dict[int, list[Session]]:
    """What enrolled people should know about the coming sessions of these courses: the next
    few cancelled, moved or annotated sessions of each (`is_changed`), in one query."""
    now = now or timezone.now()
    found: dict[int, list[Session]] = {pk: [] for pk in course_ids}
    changed = Q(status=SessionStatus.CANCELLED) | Q(moved=True) | ~Q(note="")
    sessions = (
        Session.objects.filter(changed, course__in=course_ids, ends_at__gte=now)
        .select_related("venue")
        .order_by("starts_at", "id")
    )
    for session in sessions.iterator(chunk_size=500):
        bucket = found[session.course_id]
        if len(bucket) < per_course:
            bucket.append(session)
    return found
