"""How a course's sessions become iCalendar series and events. Pure: no database.

The feed publishes what the sessions are, in shapes that no RFC 5545 client can read two ways:
- Each RRULE of a course is a series (the first keeps the UID `course-<pk>@host`); instances
  without a session (EXDATE and EXRULE dates, closures, holidays, cancelled) are EXDATEs, a
  session staff moved, gave another place or a note is an override (RECURRENCE-ID).
- An instance whose local time does not exist (the spring gap), happens twice (the autumn fold)
  or whose end has another UTC offset than its start (it spans a switch) is never left to a
  client to resolve: the series is split around it (the part after it gets a UID of its own)
  and its session is published as a VEVENT of its own written in UTC.
- A series starts (DTSTART) on its first published, unmoved instance, and its UNTIL is the end of
  its last instance's local day (in UTC): a reader that ignores the VTIMEZONE and compares UNTIL
  with the local DTSTART still keeps the last session.
- Sessions outside every rule (RDATEs, sessions added by hand) that share a time of day, a
  duration, a place and a note are one weekly series with EXDATEs when that is smaller than a
  VEVENT each, so a feed stays small whatever a course's rule looks like.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from recurrence import Rule

from scheduling import ical, rules

# Bytes of a VEVENT without its texts, and of one more EXDATE value: to choose the smaller shape.
_EVENT_BYTES = 320
_EXDATE_BYTES = 17


@dataclass(frozen=True)
class Published:
    """A session as the feed sees it (aware times in any zone)."""

    pk: int
    uid: str  # "session-<pk>@host", when it is published on its own
    starts_at: datetime
    ends_at: datetime
    original_start: datetime | None
    cancelled: bool
    location: str
    text: ical.Text  # what people read about this session (the course's text, its note)
    sequence: int
    last_modified: datetime


@dataclass(frozen=True)
class CourseShape:
    """What the feed needs of a course besides its sessions."""

    uid: str  # "course-<pk>@host"
    text: ical.Text
    location: str
    revision: int
    last_modified: datetime


def is_clean(naive: datetime, duration: timedelta, tz: tzinfo) -> bool:
    """A local start every client reads as one instant, with an end at the same UTC offset."""
    start = rules.localize(naive, tz)
    if start.replace(tzinfo=None) != naive:
        return False  # in the spring gap
    if naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return False  # in the autumn fold
    return start.utcoffset() == rules.ends_after(start, duration).utcoffset()


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """UNTIL for a series whose last instance is on the local `day`: 23:59:59 there, in UTC."""
    return rules.localize(datetime.combine(day, time(23, 59, 59)), tz).astimezone(UTC)


@dataclass
class _Run:
    """Consecutive clean instances of one rule: (wall, start, session or None)."""

    uid: str
    items: list[tuple[datetime, datetime, Published | None]]


def _runs(
    uid: str,
    candidates: Iterable[tuple[datetime, Published | None]],
    *,
    duration: timedelta,
    tz: tzinfo,
) -> list[_Run]:
    """Split candidates (naive local starts in order) around every instance that is not clean."""
    base = uid.split("@", 1)
    runs = [_Run(uid, [])]
    for naive, session in candidates:
        if not is_clean(naive, duration, tz):
            runs.append(_Run(f"{base[0]}-after-{naive:%Y%m%d}@{base[1]}", []))
            continue
        runs[-1].items.append((naive.replace(tzinfo=tz), rules.localize(naive, tz), session))
    return [r for r in runs if r.items]


def _series(
    run: _Run, course: CourseShape, rrule: str, duration: timedelta, tz: tzinfo
) -> ical.Series | None:
    """The run as a series from its first unmoved published instance to its last published one;
    None when it publishes nothing. Sessions before the first unmoved one are left out (the
    caller publishes them on their own)."""

    def published(item: tuple[datetime, datetime, Published | None]) -> bool:
        return item[2] is not None and not item[2].cancelled

    def unmoved(item: tuple[datetime, datetime, Published | None]) -> bool:
        session = item[2]
        return (
            session is not None
            and not session.cancelled
            and session.text == course.text
            and session.location == course.location
            and session.starts_at == item[1]
            and session.ends_at == rules.ends_after(item[1], duration)
        )

    first = next((i for i, item in enumerate(run.items) if unmoved(item)), None)
    if first is None:
        return None
    last = max(i for i, item in enumerate(run.items) if published(item))
    exdates, overrides, claimed = [], [], []
    for wall, start, session in run.items[first : last + 1]:
        if session is None or session.cancelled:
            exdates.append(wall)
            continue
        claimed.append(session.pk)
        if not unmoved((wall, start, session)):
            overrides.append(
                ical.Override(
                    recurrence_id=wall,
                    start=session.starts_at.astimezone(tz),
                    end=session.ends_at.astimezone(tz),
                    text=session.text,
                )
            )
    start = run.items[first][1]
    return ical.Series(
        uid=run.uid,
        text=course.text,
        start=start,
        duration=duration,
        rrule=rrule,
        until=end_of_day(run.items[last][0].date(), tz),
        sequence=course.revision,
        last_modified=course.last_modified,
        exdates=tuple(exdates),
        overrides=tuple(overrides),
        claims=tuple(claimed),
    )


def _rrule_text(rule: Rule, tz: tzinfo) -> str:
    """The RRULE value without COUNT and UNTIL (a feed sets its own UNTIL)."""
    parts = rules.format_rule(rule, tz).split(";")
    return ";".join(p for p in parts if not p.startswith(("COUNT=", "UNTIL=")))


def _rule_starts(
    schedule: rules.Schedule, rule: Rule, *, since: datetime, until: date
) -> list[tuple[datetime, datetime]]:
    """(wall, start) for each occurrence one RRULE makes from `since` to the local date `until`,
    before any EXDATE, RDATE, closure or holiday. `wall` is the rule's local time with the zone
    attached as written; `start` the real instant (`rules.localize`): they differ only in the
    spring DST gap."""
    limit = datetime.combine(until, time.max)
    out = []
    for naive in rules.dateutil_rule(rule, schedule.first_start, schedule.tz):
        if naive > limit:
            break
        start = rules.localize(naive, schedule.tz)
        if start >= since:
            out.append((naive.replace(tzinfo=schedule.tz), start))
    return out


def components(
    course: CourseShape,
    schedule: rules.Schedule,
    sessions: Sequence[Published],
    *,
    since: datetime,
    until: date,
) -> tuple[list[ical.Series], list[ical.SingleEvent]]:
    """The series and single events that publish exactly the scheduled `sessions` (those that
    end at or after `since`), the rule expanded up to the local date `until`."""
    tz, duration = schedule.tz, schedule.duration
    by_original = {s.original_start: s for s in sessions if s.original_start is not None}
    series: list[ical.Series] = []
    claimed: set[int] = set()
    in_utc: set[int] = set()
    for index, rule in enumerate(schedule.recurrence.rrules):
        uid = course.uid if index == 0 else course.uid.replace("@", f"-r{index + 1}@", 1)
        rrule = _rrule_text(rule, tz)
        candidates = []
        for wall, start in _rule_starts(schedule, rule, since=since, until=until):
            session = by_original.get(start)
            if session is not None and session.pk in claimed:
                session = None  # an earlier rule made the same start
            naive = wall.replace(tzinfo=None)
            if session is not None and not is_clean(naive, duration, tz):
                in_utc.add(session.pk)  # its rule time was in a gap or a fold, or spanned one
            candidates.append((naive, session))
        for run in _runs(uid, candidates, duration=duration, tz=tz):
            made = _series(run, course, rrule, duration, tz)
            if made is not None:
                series.append(made)
                claimed.update(made.claims)
    rest = [s for s in sessions if not s.cancelled and s.pk not in claimed and s.ends_at >= since]
    more_series, events = _grouped(course, rest, tz, in_utc)
    return series + more_series, events


def single(session: Published, tz: tzinfo, *, utc: bool = False) -> ical.SingleEvent:
    """A session as a VEVENT of its own; in UTC when `utc` or its local times are not clean."""
    return ical.SingleEvent(
        utc=utc,
        uid=session.uid,
        text=session.text,
        start=session.starts_at.astimezone(tz),
        end=session.ends_at.astimezone(tz),
        sequence=session.sequence,
        last_modified=session.last_modified,
    )


def _grouped(
    course: CourseShape, sessions: Sequence[Published], tz: tzinfo, in_utc: set[int]
) -> tuple[list[ical.Series], list[ical.SingleEvent]]:
    """Sessions outside every rule: those that share a local time of day, a real duration, a
    place and a text become one weekly series (split like a rule's) when that is smaller."""
    groups: dict[tuple[time, timedelta, str, ical.Text], list[Published]] = defaultdict(list)
    events: list[ical.SingleEvent] = []
    for session in sessions:
        local = session.starts_at.astimezone(tz)
        duration = session.ends_at - session.starts_at
        if session.pk in in_utc or not is_clean(local.replace(tzinfo=None), duration, tz):
            events.append(single(session, tz, utc=True))
            continue
        key = (local.time(), duration, session.location, session.text)
        groups[key].append(session)
    series: list[ical.Series] = []
    for (at, duration, location, text), members in groups.items():
        made = _group_series(course, at, duration, location, text, members, tz)
        if made:
            series += made
            claimed = {pk for item in made for pk in item.claims}
            members = [m for m in members if m.pk not in claimed]
        events += [single(m, tz) for m in members]
    return series, events


def _group_series(
    course: CourseShape,
    at: time,
    duration: timedelta,
    location: str,
    text: ical.Text,
    members: list[Published],
    tz: tzinfo,
) -> list[ical.Series]:
    if len(members) < 2:
        return []
    by_day = {m.starts_at.astimezone(tz).date(): m for m in members}
    weekdays = sorted({day.weekday() for day in by_day})
    first, last = min(by_day), max(by_day)
    days = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() in weekdays
    ]
    texts = len((text.summary + text.description + text.location + text.url).encode())
    gaps = len(days) - len(by_day)
    if gaps * _EXDATE_BYTES >= (len(members) - 1) * (_EVENT_BYTES + texts):
        return []  # one VEVENT each is smaller
    digest = hashlib.sha256(f"{location}|{text.description}".encode()).hexdigest()[:8]
    minutes = int(duration.total_seconds() // 60)
    uid = course.uid.replace("@", f"-at{at:%H%M}-{minutes}m-{digest}@", 1)
    rrule = "FREQ=WEEKLY;BYDAY=" + ",".join(ical.DAY_NAMES[d] for d in weekdays)
    shape = CourseShape(uid, text, location, course.revision, course.last_modified)
    candidates = [(datetime.combine(day, at), by_day.get(day)) for day in days]
    made = []
    for run in _runs(uid, candidates, duration=duration, tz=tz):
        item = _series(run, shape, rrule, duration, tz)
        if item is not None:
            made.append(item)
    return made
