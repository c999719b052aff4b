"""Writes for sessions and closures. Each function owns its transaction."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import InvalidSessionTime, SessionCancelled, WrongCentre
from courses.models import Centre, Course, Venue
from courses.services.enrolment import waitlist_promote
from courses.text import clean_text, limit_check, text_limit
from scheduling import rules, signals
from scheduling.models import CalendarToken, Closure, Session, SessionStatus

Actor = AbstractBaseUser | AnonymousUser | None


@functools.cache
def _polish_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("PL")


class ClosedDays:
    """A container of local dates with no sessions: closures, and public holidays if asked."""

    def __init__(self, closures: Iterable[Closure], *, public_holidays: bool) -> None:
        self.ranges = [(c.starts_on, c.ends_on) for c in closures]
        self.public_holidays = public_holidays

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if self.public_holidays and day in _polish_holidays():
            return True
        return any(start <= day <= end for start, end in self.ranges)


def course_touch(course_id: int) -> None:
    """Record that a course's series changed: its revision (iCal SEQUENCE) rises, and
    `updated_at` (LAST-MODIFIED, feed ETags) moves on."""
    Course.objects.filter(pk=course_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    Centre.calendar_touch(centre_ids=Course.objects.filter(pk=course_id).values("centre_id"))


def closures_for(centre: Centre) -> list[Closure]:
    return list(Closure.objects.filter(Q(centre=centre) | Q(centre__isnull=True)))


@dataclass(frozen=True)
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def course_sessions_sync(
    *,
    course: Course,
    since: datetime | None = None,
    now: datetime | None = None,
    closures: Sequence[Closure] | None = None,
) -> SyncResult:
    """Make the course's sessions match its rule minus closures and holidays.

    Adds the sessions the rule asks for, updates the time and place of sessions nobody changed
    by hand, deletes the ones the rule no longer makes. Moved and cancelled sessions are never
    touched, nor are sessions added by hand. With `since`, sessions (by original start) before
    that instant are history and stay as they are. Writes nothing when nothing changed.

    `closures` may be passed when generating many courses of one centre at once (all closures of
    the course's centre and the global ones). A course deleted meanwhile has nothing to
    generate: nothing is written.
    """
    with transaction.atomic():
        # One generation per course at a time; the unique constraint backs it. The course row
        # is locked before anything else, as course_delete does.
        if not Course.objects.select_for_update().filter(pk=course.pk).values_list("pk"):
            return SyncResult()
        schedule = course.schedule()
        until = course.centre.horizon_end(now) if schedule.is_open_ended else date.max
        closed = ClosedDays(
            closures if closures is not None else closures_for(course.centre),
            public_holidays=course.skip_public_holidays,
        )
        expected = {
            o.original_start: o
            for o in rules.expand(schedule, until=until, excluded_dates=closed, since=since)
        }
        existing_qs = course.sessions.filter(original_start__isnull=False)
        if since is not None:
            existing_qs = existing_qs.filter(original_start__gte=since)
        existing = {s.original_start: s for s in existing_qs}

        untouched = [
            s for s in existing.values() if not s.moved and s.status == SessionStatus.SCHEDULED
        ]
        to_delete = [s.pk for s in untouched if s.original_start not in expected]
        to_update = []
        for session in untouched:
            occurrence = expected.get(session.original_start)  # type: ignore[arg-type]
            if occurrence is None:
                continue
            if (session.starts_at, session.ends_at, session.venue_id) != (
                occurrence.starts_at,
                occurrence.ends_at,
                course.venue_id,
            ):
                session.starts_at = occurrence.starts_at
                session.ends_at = occurrence.ends_at
                session.venue_id = course.venue_id
                session.sequence += 1
                to_update.append(session)
        to_create = [
            Session(
                course=course,
                original_start=o.original_start,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                venue_id=course.venue_id,
            )
            for key, o in expected.items()
            if key not in existing
        ]
        if to_delete:
            Session.objects.filter(pk__in=to_delete).delete()
        if to_update:
            stamp = timezone.now()
            for session in to_update:
                session.updated_at = stamp
            Session.objects.bulk_update(
                to_update, ["starts_at", "ends_at", "venue", "sequence", "updated_at"]
            )
        if to_create:
            Session.objects.bulk_create(to_create, batch_size=500)
        if to_delete or to_update or to_create:
            course_touch(course.pk)
    return SyncResult(created=len(to_create), updated=len(to_update), deleted=len(to_delete))


def courses_sessions_sync(
    *, courses: Iterable[Course], since: datetime | None = None, now: datetime | None = None
) -> SyncResult:
    """Sync many courses, reading each centre's closures once."""
    created = updated = deleted = 0
    closures_by_centre: dict[int, list[Closure]] = {}
    for course in courses:
        if course.centre_id not in closures_by_centre:
            closures_by_centre[course.centre_id] = closures_for(course.centre)
        result = course_sessions_sync(
            course=course, since=since, now=now, closures=closures_by_centre[course.centre_id]
        )
        created, updated, deleted = (
            created + result.created,
            updated + result.updated,
            deleted + result.deleted,
        )
    return SyncResult(created=created, updated=updated, deleted=deleted)


def sessions_extend_horizon(*, now: datetime | None = None) -> SyncResult:
    """Materialise open-ended rules up to the rolling horizon (run daily by Celery beat)."""
    now = now or timezone.now()
    courses = Course.objects.select_related("centre").order_by("centre_id", "pk")
    open_ended = (c for c in courses.iterator() if c.schedule().is_open_ended)
    return courses_sessions_sync(courses=open_ended, since=now, now=now)


def _centre_courses_resync(centre: Centre | None) -> None:
    """After a closure changed: re-generate the future of the courses it may touch.

    Their rows are locked first, all of them, in id order: a course deleted at the same moment
    (course_delete locks its row before its centre's) is then either deleted before (and is not
    among them) or waits until this is done; one by one, each would wait for the other."""
    scope = Course.objects.all() if centre is None else Course.objects.filter(centre=centre)
    ids = list(scope.select_for_update().order_by("pk").values_list("pk", flat=True))
    courses = Course.objects.select_related("centre").filter(pk__in=ids)
    courses_sessions_sync(courses=courses.order_by("centre_id", "pk"), since=timezone.now())


def _locked_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__centre", "venue")
        .get(pk=session.pk)
    )


def session_cancel(*, session: Session, actor: Actor = None, quiet: bool = False) -> Session:
    """Cancel one session. Cancelling a cancelled session changes nothing. `quiet`: part of a
    whole course's cancellation, which people hear about once."""
    with transaction.atomic():
        session = _locked_session(session)
        if session.status == SessionStatus.CANCELLED:
            return session
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        course_touch(session.course_id)
        signals.session_cancelled.send(sender=Session, session=session, actor=actor, quiet=quiet)
    return session


def session_restore(*, session: Session, actor: Actor = None) -> Session:
    """Put a cancelled session back on. Restoring a scheduled session changes nothing."""
    with transaction.atomic():
        session = _locked_session(session)
        if session.status == SessionStatus.SCHEDULED:
            return session
        session.status = SessionStatus.SCHEDULED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        course_touch(session.course_id)
        signals.session_restored.send(sender=Session, session=session, actor=actor)
    return session


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidSessionTime(_("Give times with their time zone or UTC offset."))
    if ends_at <= starts_at:
        raise InvalidSessionTime(_("A session must end after it starts."), field="ends_at")
    if ends_at - starts_at > timedelta(minutes=rules.MAX_DURATION_MINUTES):
        raise InvalidSessionTime(_("A session lasts at most 24 hours."), field="ends_at")
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not rules.in_range(moment):
            raise InvalidSessionTime(rules.out_of_range_message(), field=name)


def _check_venue(venue: Venue | None, course: Course) -> None:
    if venue is not None and venue.centre_id != course.centre_id:
        raise WrongCentre(_("The venue belongs to another centre."), field="venue")


_UNSET: object = object()


def session_move(
    *,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | object | None = _UNSET,
    actor: Actor = None,
) -> Session:
    """Move one session to a new time (and place). It then survives re-generation."""
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        session = _locked_session(session)
        if session.status == SessionStatus.CANCELLED:
            raise SessionCancelled(_("This session is cancelled: restore it before moving it."))
        new_venue = session.venue if venue is _UNSET else venue
        assert new_venue is None or isinstance(new_venue, Venue)  # noqa: S101 - narrowing
        _check_venue(new_venue, session.course)
        previous = (session.starts_at, session.ends_at, session.venue)
        if previous == (starts_at, ends_at, new_venue):
            return session
        session.starts_at, session.ends_at, session.venue = starts_at, ends_at, new_venue
        session.moved = True
        session.sequence += 1
        session.save(
            update_fields=["starts_at", "ends_at", "venue", "moved", "sequence", "updated_at"]
        )
        course_touch(session.course_id)
        signals.session_moved.send(
            sender=Session,
            session=session,
            actor=actor,
            previous_starts_at=previous[0],
            previous_ends_at=previous[1],
            previous_venue=previous[2],
        )
    return session


def session_add(
    *,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    capacity: int | None = None,
    note: str = "",
) -> Session:
    """Add a one-off session outside the course's rule."""
    _check_times(starts_at, ends_at)
    _check_venue(venue, course)
    note = _note(note)
    with transaction.atomic():
        session = Session.objects.create(
            course=course,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue if venue is not None else course.venue,
            capacity=capacity,
            note=note,
        )
        course_touch(course.pk)
    return session


def _note(note: str) -> str:
    """A session's (public) note, cleaned of control and invisible characters; refused
    (ValidationError) when longer than its limit."""
    note = clean_text(note)
    limit_check("note", note, text_limit("scheduling.Session.note"))
    return note


def session_update_details(
    *, session: Session, capacity: int | object | None = _UNSET, note: str | None = None
) -> Session:
    """Change what is not time, place or status: the capacity override and the note."""
    if note is not None:
        note = _note(note)
    with transaction.atomic():
        session = _locked_session(session)
        fields = []
        if capacity is not _UNSET and capacity != session.capacity:
            session.capacity = capacity  # type: ignore[assignment]
            fields.append("capacity")
        if note is not None and note != session.note:
            session.note = note
            fields.append("note")
        if fields:
            session.save(update_fields=[*fields, "updated_at"])
        if "capacity" in fields:
            waitlist_promote(course=session.course, session=session)
    return session


def closure_save(*, closure: Closure) -> Closure:
    """Create or change a closure and re-generate the future sessions it affects."""
    closure.full_clean()
    with transaction.atomic():
        affected: set[int | None] = {closure.centre_id}
        if closure.pk:
            before = Closure.objects.filter(pk=closure.pk).values_list("centre", flat=True)
            affected.update(before)
        closure.save()
        if None in affected:
            _centre_courses_resync(None)
        else:
            for centre in Centre.objects.filter(pk__in=affected):
                _centre_courses_resync(centre)
    return closure


def closure_delete(*, closure: Closure) -> None:
    """Remove a closure; sessions on its days come back (from now on)."""
    with transaction.atomic():
        centre = closure.centre
        closure.delete()
        _centre_courses_resync(centre)


def calendar_tokens_revoke(*, tokens: QuerySet[CalendarToken]) -> int:
    """Stop private calendar links at once (a leaked link); returns how many were still on."""
    with transaction.atomic():
        return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
