"""Free slots and a day's slots, read in a fixed number of queries however many sessions,
specialists and interpreters there are: everything is fetched once, then matched in Python by
the pure functions of `appointments.slots`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from appointments.languages import language_codes
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    BlockedSlot,
    InterpreterHours,
    SpecialistLanguage,
)
from appointments.slots import FreeSlot, Hours, Span, interpreters_for, session_slots
from appointments.slots import free_slots as slots_free
from appointments.slots import specialist_languages as spoken_by
from courses.models import BookingMode, Course
from scheduling.models import Session, SessionStatus

# How far beyond a slot an overlapping appointment of an interpreter can start: the longest slot.
LONGEST_SLOT = timedelta(minutes=240)


def course_languages(courses: Sequence[Course]) -> dict[int, frozenset[str]]:
    """Each course's consultation languages (its trainers'; Polish when none recorded): two
    queries for any number of courses."""
    through = Course.trainers.through
    trainers: dict[int, list[int]] = defaultdict(list)
    for course_id, user_id in through.objects.filter(
        course_id__in=[c.pk for c in courses]
    ).values_list("course_id", "user_id"):
        trainers[course_id].append(user_id)
    spoken: dict[int, set[str]] = defaultdict(set)
    users = {user for ids in trainers.values() for user in ids}
    for user_id, language in SpecialistLanguage.objects.filter(user_id__in=users).values_list(
        "user_id", "language"
    ):
        spoken[user_id].add(language)
    return {c.pk: spoken_by(spoken[user] for user in trainers.get(c.pk, [])) for c in courses}


def interpreter_hours(centre_ids: set[int]) -> dict[int, list[Hours]]:
    """The active interpreters' duty hours at these centres, by centre (an interpreter of
    another network is never counted, whatever a row says)."""
    rows = InterpreterHours.objects.filter(
        centre_id__in=centre_ids, interpreter__active=True
    ).values_list(
        "centre_id",
        "centre__network",
        "interpreter_id",
        "interpreter__centre_id",
        "interpreter__centre__network",
        "interpreter__languages",
        "weekday",
        "starts_at",
        "ends_at",
        "valid_from",
        "valid_until",
    )
    found: dict[int, list[Hours]] = defaultdict(list)
    for row in rows:
        centre, network, interpreter, home, home_network, languages = row[:6]
        weekday, starts, ends, valid_from, valid_until = row[6:]
        if home != centre and (not network or network != home_network):
            continue
        spoken = frozenset(language_codes(languages))
        found[centre].append(
            Hours(interpreter, spoken, weekday, starts, ends, valid_from, valid_until)
        )
    return found


def interpreters_busy(
    interpreter_ids: set[int], start: datetime, end: datetime
) -> dict[int, list[Span]]:
    """The spans each interpreter is booked for (anywhere) that may overlap [start, end)."""
    busy: dict[int, list[Span]] = defaultdict(list)
    for interpreter, starts, ends in Appointment.objects.filter(
        interpreter_id__in=interpreter_ids,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("interpreter_id", "starts_at", "ends_at"):
        busy[interpreter].append((starts, ends))
    return busy


@dataclass
class Context:
    """Everything the slots of some courses' sessions depend on, fetched once."""

    sessions: dict[int, list[tuple[int, datetime, datetime]]] = field(default_factory=dict)
    spoken: dict[int, frozenset[str]] = field(default_factory=dict)
    hours: dict[int, list[Hours]] = field(default_factory=dict)
    busy: dict[int, list[Span]] = field(default_factory=dict)
    taken: dict[int, list[Span]] = field(default_factory=dict)
    appointments: dict[tuple[int, datetime], Any] = field(default_factory=dict)
    blocked: set[tuple[int, datetime]] = field(default_factory=set)


def slot_context(
    courses: Sequence[Course],
    start: datetime,
    end: datetime,
    *,
    with_appointments: bool = False,
    spoken: dict[int, frozenset[str]] | None = None,
) -> Context:
    """Fetch the sessions from `start` to `end` of `courses` (their centres selected) and what
    their slots depend on: seven queries, five when the caller has the courses' languages
    already (`spoken`, as `course_languages` gives them)."""
    ctx = Context()
    course_ids = [c.pk for c in courses]
    sessions: dict[int, list[tuple[int, datetime, datetime]]] = defaultdict(list)
    for pk, course_id, starts, ends in (
        Session.objects.filter(
            course_id__in=course_ids,
            status=SessionStatus.SCHEDULED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .order_by("starts_at", "id")
        .values_list("id", "course_id", "starts_at", "ends_at")
    ):
        sessions[course_id].append((pk, starts, ends))
    ctx.sessions = sessions
    ctx.spoken = course_languages(courses) if spoken is None else spoken
    ctx.hours = interpreter_hours({c.centre_id for c in courses})
    booked = Appointment.objects.filter(
        course_id__in=course_ids,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=end,
        ends_at__gt=start,
    )
    taken: dict[int, list[Span]] = defaultdict(list)
    if with_appointments:
        for appointment in booked.select_related("participant", "interpreter"):
            taken[appointment.session_id].append((appointment.starts_at, appointment.ends_at))
            ctx.appointments[(appointment.session_id, appointment.starts_at)] = appointment
    else:
        for session_id, starts, ends in booked.values_list("session_id", "starts_at", "ends_at"):
            taken[session_id].append((starts, ends))
    ctx.taken = taken
    ctx.blocked = set(
        BlockedSlot.objects.filter(
            session__course_id__in=course_ids,
            starts_at__gte=start - LONGEST_SLOT,
            starts_at__lt=end,
        ).values_list("session_id", "starts_at")
    )
    ids = {row.interpreter_id for rows in ctx.hours.values() for row in rows}
    ctx.busy = interpreters_busy(ids, start - LONGEST_SLOT, end + LONGEST_SLOT) if ids else {}
    return ctx


def free_slots(
    *,
    courses: Sequence[Course],
    language: str,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> list[FreeSlot]:
    """The slots of slot-booked `courses` starting from `start` to `end` that a person may book
    now in `language`, in time order. A fixed number of queries whatever the sizes."""
    now = now or timezone.now()
    courses = [c for c in courses if c.booking_mode == BookingMode.SLOTS]
    if not courses:
        return []
    ctx = slot_context(courses, start, end)
    found: list[FreeSlot] = []
    for course in courses:
        found += slots_free(
            course_id=course.pk,
            sessions=ctx.sessions.get(course.pk, []),
            slot_minutes=course.slot_minutes,
            buffer_minutes=course.buffer_minutes,
            window_days=course.booking_window_days,
            cutoff_hours=course.booking_cutoff_hours,
            now=now,
            language=language,
            spoken=ctx.spoken[course.pk],
            tz=course.centre.tz,
            hours=ctx.hours.get(course.centre_id, []),
            busy=ctx.busy,
            taken=ctx.taken,
            blocked=ctx.blocked,
            start=start,
            end=end,
        )
    found.sort(key=lambda slot: (slot.starts_at, slot.course_id))
    return found


@dataclass(frozen=True)
class DaySlot:
    """One slot of a session as staff see it: free, booked (with its appointment) or blocked."""

    starts_at: datetime
    ends_at: datetime
    state: str  # "free" | "booked" | "blocked"
    appointment: Any = None
    # Free slots: the languages an interpreter is free for then (the specialist's own aside).
    interpreter_languages: tuple[str, ...] = ()


def day_slots(*, session: Session) -> list[DaySlot]:
    """Every slot of `session` (its course and centre selected) with its state, for the
    specialist's day view; booked slots carry the appointment (person and interpreter
    selected)."""
    return sessions_slots([session])[session.pk]


def sessions_slots(
    sessions: Sequence[Session], *, spoken: dict[int, frozenset[str]] | None = None
) -> dict[int, list[DaySlot]]:
    """`day_slots` of each of `sessions` (a day's duty hours, their courses and centres
    selected), by session id, from one `slot_context` for them all: seven queries however
    many sessions, specialists and interpreters the day has (five given `spoken`)."""
    if not sessions:
        return {}
    courses = list({session.course_id: session.course for session in sessions}.values())
    ctx = slot_context(
        courses,
        min(session.starts_at for session in sessions),
        max(session.ends_at for session in sessions),
        with_appointments=True,
        spoken=spoken,
    )
    return {session.pk: _slots_of(session, ctx) for session in sessions}


def _slots_of(session: Session, ctx: Context) -> list[DaySlot]:
    course = session.course
    hours = ctx.hours.get(course.centre_id, [])
    languages = sorted({code for row in hours for code in row.languages} - ctx.spoken[course.pk])
    found: list[DaySlot] = []
    for span in session_slots(
        session.starts_at, session.ends_at, course.slot_minutes, course.buffer_minutes
    ):
        appointment = ctx.appointments.get((session.pk, span[0]))
        if appointment is not None:
            found.append(DaySlot(span[0], span[1], "booked", appointment))
        elif (session.pk, span[0]) in ctx.blocked:
            found.append(DaySlot(span[0], span[1], "blocked"))
        else:
            free_for = tuple(
                code
                for code in languages
                if interpreters_for(span, code, course.centre.tz, hours, ctx.busy)
            )
            found.append(DaySlot(span[0], span[1], "free", interpreter_languages=free_for))
    return found
