"""The slot arithmetic and language matching of consultations, without models or a database.

A session (the duty hours) from `start` to `end` is cut into slots of `slot_minutes` with
`buffer_minutes` between them; a slot that would end after the session's end is dropped. All
arithmetic is on real time (UTC): a session across the autumn switch has the slots the clock on
the wall shows, each of real length. An interpreter's duty hours are local times on a weekday
(the centre's zone) and cover a slot when one of them holds it whole on the slot's local day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

POLISH = "pl"


@dataclass(frozen=True)
class Hours:
    """One row of an interpreter's duty hours at a centre."""

    interpreter_id: int
    languages: frozenset[str]
    weekday: int  # Monday 0
    starts: time
    ends: time
    valid_from: date | None = None
    valid_until: date | None = None

    def covers(self, start: datetime, end: datetime, tz: tzinfo) -> bool:
        local = start.astimezone(tz)
        day = local.date()
        if day.weekday() != self.weekday:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        opens = datetime.combine(day, self.starts, tzinfo=tz).astimezone(UTC)
        closes = datetime.combine(day, self.ends, tzinfo=tz).astimezone(UTC)
        return opens <= start.astimezone(UTC) and end.astimezone(UTC) <= closes


@dataclass(frozen=True)
class FreeSlot:
    course_id: int
    session_id: int
    starts_at: datetime
    ends_at: datetime
    language: str
    interpreter: bool  # True: an interpreter will be booked with it


Span = tuple[datetime, datetime]


def session_slots(
    start: datetime, end: datetime, slot_minutes: int, buffer_minutes: int
) -> list[Span]:
    """The slots of duty hours from `start` to `end` (aware), in UTC, in order."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    length = timedelta(minutes=slot_minutes)
    step = length + timedelta(minutes=max(buffer_minutes, 0))
    cursor, last = start.astimezone(UTC), end.astimezone(UTC)
    slots: list[Span] = []
    while cursor + length <= last:
        slots.append((cursor, cursor + length))
        cursor += step
    return slots


def slot_at(
    start: datetime, end: datetime, slot_minutes: int, buffer_minutes: int, at: datetime
) -> Span | None:
    """The slot of these duty hours that starts exactly at `at`, or None."""
    at = at.astimezone(UTC)
    for span in session_slots(start, end, slot_minutes, buffer_minutes):
        if span[0] == at:
            return span
        if span[0] > at:
            break
    return None


def timing_refusal(
    start: datetime, now: datetime, window_days: int, cutoff_hours: int
) -> str | None:
    """Why a slot starting at `start` cannot be booked at `now`: "past", "not_open" (beyond the
    booking window), "closed" (inside the cutoff), or None when it can."""
    if start <= now:
        return "past"
    if start > now + timedelta(days=window_days):
        return "not_open"
    if start < now + timedelta(hours=cutoff_hours):
        return "closed"
    return None


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def specialist_languages(recorded: Iterable[Iterable[str]]) -> frozenset[str]:
    """The languages the specialists of a course consult in, given each one's recorded list:
    a specialist with none recorded consults in Polish, and so does a course with none."""
    spoken: set[str] = set()
    count = 0
    for languages in recorded:
        count += 1
        spoken |= set(languages) or {POLISH}
    return frozenset(spoken) if count else frozenset({POLISH})


def interpreters_for(
    span: Span,
    language: str,
    tz: tzinfo,
    hours: Sequence[Hours],
    busy: Mapping[int, Sequence[Span]],
) -> list[int]:
    """The interpreters for `language` whose duty hours cover the slot and who have no
    overlapping appointment (`busy`: each interpreter's booked spans anywhere), by id."""
    found: set[int] = set()
    for row in hours:
        if row.interpreter_id in found or language not in row.languages:
            continue
        if not row.covers(span[0], span[1], tz):
            continue
        if any(overlaps(span, other) for other in busy.get(row.interpreter_id, ())):
            continue
        found.add(row.interpreter_id)
    return sorted(found)


def free_slots(
    *,
    course_id: int,
    sessions: Iterable[tuple[int, datetime, datetime]],
    slot_minutes: int,
    buffer_minutes: int,
    window_days: int,
    cutoff_hours: int,
    now: datetime,
    language: str,
    spoken: frozenset[str],
    tz: tzinfo,
    hours: Sequence[Hours],
    busy: Mapping[int, Sequence[Span]],
    taken: Mapping[int, Sequence[Span]],
    blocked: set[tuple[int, datetime]],
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[FreeSlot]:
    """The slots of `sessions` (id, start, end: scheduled ones) a person may book now in
    `language`: not taken (`taken`: each session's booked spans), not blocked (session, start),
    inside the booking window and before the cutoff, in a language the specialist speaks or with
    an interpreter free for it; starting between `start` and `end` when given."""
    found: list[FreeSlot] = []
    for session_id, session_start, session_end in sessions:
        for span in session_slots(session_start, session_end, slot_minutes, buffer_minutes):
            if start is not None and span[0] < start:
                continue
            if end is not None and span[0] >= end:
                continue
            if (session_id, span[0]) in blocked:
                continue
            if any(overlaps(span, other) for other in taken.get(session_id, ())):
                continue
            if timing_refusal(span[0], now, window_days, cutoff_hours) is not None:
                continue
            if language in spoken:
                needs = False
            elif interpreters_for(span, language, tz, hours, busy):
                needs = True
            else:
                continue
            found.append(FreeSlot(course_id, session_id, span[0], span[1], language, needs))
    return found
