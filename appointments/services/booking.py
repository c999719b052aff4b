"""Booking, cancelling, moving and marking appointments (signatures first)."""

from __future__ import annotations

from datetime import datetime

from appointments.models import Appointment
from courses.models import Course, Participant
from courses.selectors.tenancy import Actor
from courses.services.participants import ParticipantData


def appointment_book(
    *,
    course: Course,
    starts_at: datetime,
    language: str,
    person: ParticipantData | None = None,
    participant: Participant | None = None,
    actor: Actor = None,
    channel: str = "web",
    verified: bool = False,
    mode: str = "",
    note: str = "",
) -> Appointment:
    raise NotImplementedError


def appointment_cancel(
    *, appointment: Appointment, actor: Actor = None, reason: str = "", by_person: bool = False
) -> Appointment:
    raise NotImplementedError


def appointment_move(
    *, appointment: Appointment, starts_at: datetime, actor: Actor = None, by_person: bool = False
) -> Appointment:
    raise NotImplementedError


def appointment_mark(*, appointment: Appointment, status: str, actor: Actor) -> Appointment:
    raise NotImplementedError
