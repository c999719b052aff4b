"""Sessions generated from course rules, and the closures that take days out of them. Each
function owns its transaction."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

import holidays
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from courses.models import Centre, Course
from scheduling import rules, signals
from scheduling.models import Closure, Session, SessionStatus


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


def _day_start(moment: datetime, tz: tzinfo) -> datetime:
    """Local midnight of the day of `moment`."""
    return rules.localize(datetime.combine(moment.astimezone(tz).date(), time()), tz)


def _match(
    sessions: Iterable[Session], occurrences: Iterable[rules.Occurrence], tz: tzinfo
) -> tuple[list[tuple[Session, rules.Occurrence]], list[rules.Occurrence], list[Session]]:
    """Pair the course's sessions with what its rule now makes: first by the same original
    start, then the rest by the local date of the original start, in order of time (a changed
    start time or DST gives new original starts on the same days). Returns the pairs, the
    occurrences no session stands for (to create) and the sessions no occurrence needs."""
    by_start = {s.original_start: s for s in sessions}
    pairs: list[tuple[Session, rules.Occurrence]] = []
    unpaired: list[rules.Occurrence] = []
    seen: set[datetime] = set()
    for occurrence in occurrences:
        if occurrence.original_start in seen:
            continue  # an RDATE at the instant a gap time moved to: one session
        seen.add(occurrence.original_start)
        session = by_start.pop(occurrence.original_start, None)
        if session is None:
            unpaired.append(occurrence)
        else:
            pairs.append((session, occurrence))
    by_day: dict[date, list[Session]] = defaultdict(list)
    for session in sorted(by_start.values(), key=lambda s: s.original_start):  # type: ignore[arg-type,return-value]
        by_day[session.original_start.astimezone(tz).date()].append(session)  # type: ignore[union-attr]
    new: list[rules.Occurrence] = []
    for occurrence in unpaired:
        same_day = by_day.get(occurrence.original_start.astimezone(tz).date())
        if same_day:
            pairs.append((same_day.pop(0), occurrence))
        else:
            new.append(occurrence)
    return pairs, new, [s for day in by_day.values() for s in day]


def course_sessions_sync(
    *,
    course: Course,
    since: datetime | None = None,
    now: datetime | None = None,
    closures: Sequence[Closure] | None = None,
) -> SyncResult:
    """Make the course's sessions match its rule minus closures and holidays.

    Each occurrence of the rule is stood for by one session: the one made for the same
    original start, else one made for the same local day (see `_match`), else a new one. What
    staff did to a session survives every change of the course:
    - a **cancelled** session stays cancelled: no other session is made on its day unless staff
      restore it. It follows the course's time, duration and venue, so restoring brings it
      back as the course now runs;
    - a **moved** session stays exactly where staff put it (time, end, venue); only its
      original start follows the rule (the instance it stands for);
    - sessions nobody changed follow the course (time, real duration, venue); a capacity or
      note staff gave a session is its own and stays.
    Sessions the rule no longer makes are deleted, except moved ones, and cancelled ones on a
    day that is only closed (a closure or holiday): the cancellation is still there when the
    day opens again. Sessions added by hand are never touched. With `since`, sessions (by
    original start) before that instant are history and stay as they are; one earlier on the
    day of `since` still stands for that day. Writes nothing when nothing changed.

    `closures` may be passed when generating many courses of one centre at once (all closures of
    the course's centre and the global ones). A course deleted meanwhile has nothing to
    generate: nothing is written.
    """
    with transaction.atomic():
        # One generation per course at a time; the unique constraint backs it. The course row
        # is locked before anything else, as course_delete does.
        if not Course.objects.select_for_update().filter(pk=course.pk).values_list("pk"):
            return SyncResult()
        tz = course.centre.tz
        schedule = course.schedule()
        until = course.centre.horizon_end(now) if schedule.is_open_ended else date.max
        closed = ClosedDays(
            closures if closures is not None else closures_for(course.centre),
            public_holidays=course.skip_public_holidays,
        )
        # The whole day of `since` is matched, so that a session earlier today (history) still
        # stands for today; nothing before `since` is written.
        day_start = _day_start(since, tz) if since is not None else None
        occurrences = rules.expand(schedule, until=until, excluded_dates=closed, since=day_start)
        existing = course.sessions.filter(original_start__isnull=False)
        if day_start is not None:
            existing = existing.filter(original_start__gte=day_start)
        pairs, new, unneeded = _match(existing, occurrences, tz)

        def history(moment: datetime | None) -> bool:
            return since is not None and moment is not None and moment < since

        to_update, rescheduled = [], []
        for session, occurrence in pairs:
            if history(session.original_start) or history(occurrence.original_start):
                continue  # it stands for its day as it is
            if session.moved:
                target = (session.starts_at, session.ends_at, session.venue_id)
            else:
                target = (occurrence.starts_at, occurrence.ends_at, course.venue_id)
            if (session.original_start, session.starts_at, session.ends_at, session.venue_id) == (
                occurrence.original_start,
                *target,
            ):
                continue
            if session.status == SessionStatus.SCHEDULED and session.starts_at != target[0]:
                rescheduled.append(session)
            session.original_start = occurrence.original_start
            session.starts_at, session.ends_at, session.venue_id = target
            session.sequence += 1
            to_update.append(session)
        to_delete = [
            s.pk
            for s in unneeded
            if not s.moved
            and not history(s.original_start)
            and not (
                s.status == SessionStatus.CANCELLED
                and s.original_start.astimezone(tz).date() in closed  # type: ignore[union-attr]
            )
        ]
        to_create = [
            Session(
                course=course,
                original_start=o.original_start,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                venue_id=course.venue_id,
            )
            for o in new
            if not history(o.original_start)
        ]
        if to_delete:
            Session.objects.filter(pk__in=to_delete).delete()
        if to_update:
            stamp = timezone.now()
            for session in to_update:
                session.updated_at = stamp
            Session.objects.bulk_update(
                to_update,
                ["original_start", "starts_at", "ends_at", "venue", "sequence", "updated_at"],
                batch_size=500,
            )
        if to_create:
            Session.objects.bulk_create(to_create, batch_size=500)
        if to_delete or to_update or to_create:
            course_touch(course.pk)
        if rescheduled:
            signals.sessions_rescheduled.send(sender=Session, sessions=rescheduled)
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
