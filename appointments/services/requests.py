"""Self-booking with proof of the phone (signatures first)."""

from __future__ import annotations

from datetime import datetime

from appointments.models import Appointment
from courses.models import Course, PhoneVerification
from courses.services.participants import ParticipantData


def appointment_request_start(
    *,
    course: Course,
    starts_at: datetime,
    language: str,
    person: ParticipantData,
    channel: str,
    client: str,
) -> PhoneVerification:
    raise NotImplementedError


def appointment_request_confirm(*, verification: str, code: str) -> Appointment:
    raise NotImplementedError
