"""The appointments' refusals: DomainError subclasses (mapped to 4xx answers in one place by
`courses.api.base.exception_handler`), each with its code."""

from __future__ import annotations

from courses.errors import DomainError


class SlotTaken(DomainError):
    """Someone else booked the slot first (or it was booked while the person chose)."""

    status_code = 409
    code = "slot_taken"


class SlotNotFound(DomainError):
    """No slot starts then: outside the duty hours, between slots, or not a slot course."""

    code = "slot_not_found"


class SlotNotBookable(DomainError):
    """The slot is in the past, beyond the booking window or inside the cutoff."""

    code = "slot_not_bookable"


class SlotBlocked(DomainError):
    status_code = 409
    code = "slot_blocked"


class LanguageUnavailable(DomainError):
    """No specialist of the course speaks the language and no interpreter for it is free."""

    status_code = 409
    code = "language_unavailable"


class AppointmentClosed(DomainError):
    """The appointment is not in a state that allows this (already cancelled, not started...)."""

    status_code = 409
    code = "appointment_closed"


class InterpreterUnavailable(DomainError):
    """The language needs an interpreter and each one for it is booked then."""

    status_code = 409
    code = "interpreter_unavailable"


class AlreadyBooked(DomainError):
    """The person already has an appointment that day with this specialist."""

    status_code = 409
    code = "already_booked"


class SlotBooked(DomainError):
    """A slot with an appointment cannot be blocked: cancel or move the appointment first."""

    status_code = 409
    code = "slot_booked"
