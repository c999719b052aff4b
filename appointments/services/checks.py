"""What every booking write checks under its locks: the slot exists, may be booked now, is not
blocked or taken, and the language is covered by the specialist or by a free interpreter.

Locks, always in this order so that two writes never wait for each other in a circle: the
session rows (by id), then the candidate interpreters' rows (by id), then the appointment. On
PostgreSQL these are row locks (`SELECT ... FOR UPDATE`) waited for at most
ENROLMENT_LOCK_TIMEOUT_SECONDS in all (`courses.services.locking`); SQLite writes one at a time
anyway. Once the locks are held, every check reads what committed before: a booking that lost
the race sees the winner's appointment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.errors import (
    InterpreterUnavailable,
    LanguageUnavailable,
    SlotBlocked,
    SlotNotBookable,
    SlotNotFound,
    SlotTaken,
)
from appointments.languages import LANGUAGE_CODES
from appointments.models import ACTIVE_STATUSES, Appointment, BlockedSlot, Interpreter
from appointments.selectors.slots import course_languages, interpreter_hours
from appointments.slots import Span, interpreters_for, slot_at, timing_refusal
from courses.errors import DomainError
from courses.models import BookingMode, Course
from courses.services.locking import locking
from scheduling.models import Session, SessionStatus


def _lock_sessions(ids: Sequence[int]) -> dict[int, Session]:
    """Lock the sessions' rows, by id (a move locks two)."""
    with locking():
        rows = list(
            Session.objects.select_for_update(of=("self",))
            .select_related("course__centre")
            .filter(pk__in=sorted(set(ids)))
            .order_by("pk")
        )
    return {row.pk: row for row in rows}


def _lock_interpreters(ids: Sequence[int]) -> None:
    """Lock the candidate interpreters' rows, by id: two bookings at the same time in two
    sessions (even two centres) that could use the same interpreter take turns."""
    if not ids:
        return
    with locking():
        list(Interpreter.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk"))


def session_at(course: Course, starts_at: datetime) -> Session | None:
    """The session of `course` during which `starts_at` falls (not locked)."""
    return (
        Session.objects.filter(course=course, starts_at__lte=starts_at, ends_at__gt=starts_at)
        .order_by("starts_at", "pk")
        .first()
    )


def lock_sessions(ids: Sequence[int]) -> dict[int, Session]:
    return _lock_sessions(ids)


def check_language(language: str) -> str:
    code = (language or "").strip().lower()
    if code not in LANGUAGE_CODES:
        raise DomainError(_("Choose one of the languages offered."), field="language")
    return code


def check_slot(
    session: Session | None,
    starts_at: datetime,
    *,
    staff: bool,
    now: datetime | None = None,
    exclude: Appointment | None = None,
) -> tuple[Session, Span]:
    """The locked `session` and its slot starting at `starts_at`; refused when there is none,
    it is past, outside the booking window or after the cutoff (staff at the desk may book beyond
    the window and after the cutoff, never in the past), blocked, or taken (by another
    appointment than `exclude`)."""
    now = now or timezone.now()
    if session is None or session.course.booking_mode != BookingMode.SLOTS:
        raise SlotNotFound(
            _("No appointment slot starts at this time: choose one of the free slots."),
            field="starts_at",
        )
    course = session.course
    if session.status == SessionStatus.CANCELLED:
        raise SlotNotBookable(_("These duty hours are cancelled."), field="starts_at")
    span = slot_at(
        session.starts_at, session.ends_at, course.slot_minutes, course.buffer_minutes, starts_at
    )
    if span is None:
        raise SlotNotFound(
            _("No appointment slot starts at this time: choose one of the free slots."),
            field="starts_at",
        )
    refusal = timing_refusal(span[0], now, course.booking_window_days, course.booking_cutoff_hours)
    if refusal == "past" or (refusal is not None and not staff):
        messages = {
            "past": _("This slot has already started."),
            "not_open": _("Booking for this slot has not opened yet."),
            "closed": _("Booking for this slot has closed."),
        }
        raise SlotNotBookable(messages[refusal], field="starts_at")
    if BlockedSlot.objects.filter(session=session, starts_at=span[0]).exists():
        raise SlotBlocked(_("This slot is not available."), field="starts_at")
    taken = Appointment.objects.filter(
        session=session, status__in=ACTIVE_STATUSES, starts_at__lt=span[1], ends_at__gt=span[0]
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise SlotTaken(
            _("Someone has just booked this slot. Please choose another."), field="starts_at"
        )
    return session, span


def choose_interpreter(
    course: Course,
    span: Span,
    language: str,
    *,
    exclude: Appointment | None = None,
    prefer: int | None = None,
) -> Interpreter | None:
    """None when a specialist of the course speaks `language`; else a free interpreter for it
    then, chosen under the lock of every candidate (the one in `prefer` first, then by id).
    Refused when nobody covers the language then, or every interpreter for it is booked."""
    if language in course_languages([course])[course.pk]:
        return None
    hours = interpreter_hours({course.centre_id}).get(course.centre_id, [])
    candidates = interpreters_for(span, language, course.centre.tz, hours, {})
    if not candidates:
        raise LanguageUnavailable(
            _("No consultation in this language is possible at this time."), field="language"
        )
    _lock_interpreters(candidates)
    busy = Appointment.objects.filter(
        interpreter_id__in=candidates,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=span[1],
        ends_at__gt=span[0],
    )
    if exclude is not None:
        busy = busy.exclude(pk=exclude.pk)
    taken = set(busy.values_list("interpreter_id", flat=True))
    free = [pk for pk in candidates if pk not in taken]
    if not free:
        raise InterpreterUnavailable(
            _(
                "Every interpreter for this language is booked at this time. "
                "Please choose another slot."
            ),
            field="starts_at",
        )
    chosen = prefer if prefer in free else free[0]
    return Interpreter.objects.get(pk=chosen)
