"""What the public pages and the personal page show of appointments: the languages a person may
choose for a consultation, its free slots day by day, a person's appointments and the days they
wait for. A fixed number of queries however many days, slots or appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from appointments.languages import CONSULTATION_LANGUAGES
from appointments.models import (
    Appointment,
    AppointmentStatus,
    DayWaitlistEntry,
    DayWaitlistStatus,
)
from appointments.selectors.slots import course_languages, free_slots, interpreter_hours
from appointments.slots import FreeSlot
from courses.models import Course, Participant
from scheduling.models import Session, SessionStatus

LANGUAGE_NAMES = dict(CONSULTATION_LANGUAGES)


def language_name(code: str) -> str:
    """A consultation language in its own name ("Українська"), as a person looks for theirs."""
    return LANGUAGE_NAMES.get(code, code)


def booking_languages(course: Course) -> list[tuple[str, str]]:
    """The languages a person may ask for: the site's four, the specialists' and those the
    interpreters at the course's centre cover; in the order of CONSULTATION_LANGUAGES."""
    codes = {code for code, _name in settings.LANGUAGES}
    codes |= course_languages([course])[course.pk]
    for row in interpreter_hours({course.centre_id}).get(course.centre_id, []):
        codes |= row.languages
    return [(code, name) for code, name in CONSULTATION_LANGUAGES if code in codes]


@dataclass(frozen=True)
class Day:
    """One session (the duty hours of a day) with the slots free in the language asked for."""

    session: Session
    slots: list[FreeSlot]

    @property
    def full(self) -> bool:
        return not self.slots


def bookable_days(course: Course, language: str, *, now: datetime | None = None) -> list[Day]:
    """The course's coming duty hours within its booking window, each with its free slots in
    `language` (an empty list: the day is full, its waitlist may be joined)."""
    now = now or timezone.now()
    end = now + timedelta(days=course.booking_window_days)
    sessions = list(
        Session.objects.filter(
            course=course, status=SessionStatus.SCHEDULED, starts_at__lt=end, ends_at__gt=now
        )
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    if not sessions:
        return []
    slots = free_slots(courses=[course], language=language, start=now, end=end, now=now)
    by_session: dict[int, list[FreeSlot]] = {s.pk: [] for s in sessions}
    for slot in slots:
        if slot.session_id in by_session:
            by_session[slot.session_id].append(slot)
    return [Day(s, by_session[s.pk]) for s in sessions]


def free_slot(course: Course, language: str, starts_at: datetime) -> FreeSlot | None:
    """The free slot of `course` starting at `starts_at` in `language`, if it is one now."""
    found = free_slots(
        courses=[course],
        language=language,
        start=starts_at,
        end=starts_at + timedelta(minutes=1),
    )
    return next((s for s in found if s.starts_at == starts_at), None)


@dataclass(frozen=True)
class MyAppointment:
    """One appointment as its holder sees it: `changeable` while booked and still to come (it
    may be moved or cancelled, and a video link is shown)."""

    appointment: Appointment
    language: str  # the language's own name
    changeable: bool


def personal_appointments(participant: Participant) -> list[MyAppointment]:
    """The person's appointments as their page shows them (see `person_appointments`)."""
    now = timezone.now()
    return [
        MyAppointment(
            a,
            language_name(a.language),
            a.status == AppointmentStatus.BOOKED and a.starts_at > now,
        )
        for a in person_appointments(participant)
    ]


def person_appointments(participant: Participant) -> list[Appointment]:
    """The person's appointments, the coming booked ones first (soonest first), then the rest
    (newest first), with their course, centre, place and interpreter."""
    now = timezone.now()
    rows = list(
        Appointment.objects.filter(participant=participant).select_related(
            "course__centre", "course__venue", "session__venue"
        )
    )
    coming = sorted(
        (a for a in rows if a.status == AppointmentStatus.BOOKED and a.ends_at > now),
        key=lambda a: a.starts_at,
    )
    rest = sorted((a for a in rows if a not in coming), key=lambda a: a.starts_at, reverse=True)
    return coming + rest


def person_waiting_days(participant: Participant) -> list[DayWaitlistEntry]:
    """The days the person waits for a slot (still to come)."""
    return list(
        DayWaitlistEntry.objects.filter(
            participant=participant,
            status=DayWaitlistStatus.WAITING,
            session__ends_at__gt=timezone.now(),
        )
        .select_related("session__course__centre")
        .order_by("session__starts_at")
    )
