"""The specialists' day view: a day's consultation sessions (booked in slots) of the user's
scope, each with every slot and its state (`appointments.selectors.slots.day_slots`): booked,
with the person, language and interpreter; free, with the languages an interpreter is free
for; blocked. Staff see their centres' consultations, a specialist (a trainer of one) their
own; a specialist picked narrows the day to the courses they hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from appointments.languages import CONSULTATION_LANGUAGES, POLISH
from appointments.models import ACTIVE_STATUSES, Appointment
from appointments.selectors.slots import DaySlot, course_languages, day_slots, sessions_slots
from courses.models import BookingMode, Course
from scheduling.models import Session, SessionStatus
from workspace.selectors.scope import Scope
from workspace.selectors.today import local_day_start

LANGUAGE_NAMES = dict(CONSULTATION_LANGUAGES)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True)
class SlotRow:
    """A slot of the day as the page shows it: the core's DaySlot with its languages named."""

    slot: DaySlot

    @property
    def starts_at(self) -> datetime:
        return self.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.slot.ends_at

    @property
    def state(self) -> str:
        return self.slot.state

    @property
    def appointment(self) -> Appointment | None:
        return self.slot.appointment

    @property
    def interpreter_names(self) -> list[str]:
        return [language_name(code) for code in self.slot.interpreter_languages]


@dataclass(frozen=True)
class DaySession:
    """One session (duty hours) of the day with its slots, as the day view lists it."""

    session: Session
    slots: list[SlotRow]
    specialists: list[AuthUser]
    languages: list[str]  # the names of the languages its specialists consult in

    @property
    def booked(self) -> int:
        return sum(1 for slot in self.slots if slot.state == "booked")

    @property
    def free(self) -> int:
        return sum(1 for slot in self.slots if slot.state == "free")


def slot_courses(scope: Scope) -> QuerySet[Course]:
    """The consultations booked in slots the user may open."""
    return scope.courses().filter(booking_mode=BookingMode.SLOTS)


def specialists(scope: Scope) -> list[AuthUser]:
    """The specialists of those consultations (their trainers), by name."""
    return list(
        AuthUser.objects.filter(courses__in=slot_courses(scope).values("pk"))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def day_sessions(
    scope: Scope, day: date, *, specialist: AuthUser | None = None
) -> list[DaySession]:
    """The day's sessions of the user's slot-booked consultations (cancelled ones too, shown
    as such, without slots), those of `specialist` only when given."""
    start, end = local_day_start(day), local_day_start(day + timedelta(days=1))
    courses = slot_courses(scope)
    if specialist is not None:
        courses = courses.filter(trainers=specialist)
    sessions = list(
        scope.sessions()
        .filter(course__in=courses.values("pk"), starts_at__gte=start, starts_at__lt=end)
        .prefetch_related("course__trainers")
        .order_by("starts_at", "course__title", "pk")
    )
    spoken = course_languages([s.course for s in sessions]) if sessions else {}
    slots = sessions_slots(
        [s for s in sessions if s.status != SessionStatus.CANCELLED], spoken=spoken
    )
    found = []
    for session in sessions:
        languages = sorted(spoken.get(session.course_id, {POLISH}))
        found.append(
            DaySession(
                session=session,
                slots=[SlotRow(slot) for slot in slots.get(session.pk, [])],
                specialists=list(session.course.trainers.all()),
                languages=[language_name(code) for code in languages],
            )
        )
    return found


def session_for_slots(scope: Scope, session_id: int) -> Session:
    """A session of a slot-booked consultation of the user's scope, else 404."""
    session = (
        scope.sessions()
        .filter(pk=session_id, course__booking_mode=BookingMode.SLOTS)
        .select_related("course__centre")
        .first()
    )
    if session is None:
        raise Http404
    return session


def slot_of(session: Session, starts_at: datetime) -> DaySlot | None:
    """The session's slot that starts at `starts_at`, with its state, or None."""
    for slot in day_slots(session=session):
        if slot.starts_at == starts_at:
            return slot
    return None


def appointment_for_staff(scope: Scope, appointment_id: int) -> Appointment:
    """An appointment in a consultation of the user's scope, else 404."""
    appointment = (
        Appointment.objects.filter(pk=appointment_id, course__in=scope.courses().values("pk"))
        .select_related("course__centre", "session", "participant", "interpreter")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def appointments_today(scope: Scope, *, now: datetime | None = None) -> int | None:
    """How many appointments the user's consultations hold today (for the Today page), in one
    query; None when the user has no consultation booked in slots."""
    day = timezone.localdate(now or timezone.now())
    start, end = local_day_start(day), local_day_start(day + timedelta(days=1))
    today = Q(
        appointments__status__in=ACTIVE_STATUSES,
        appointments__starts_at__gte=start,
        appointments__starts_at__lt=end,
    )
    facts = slot_courses(scope).aggregate(
        courses=Count("pk", distinct=True), booked=Count("appointments", filter=today)
    )
    return facts["booked"] if facts["courses"] else None
