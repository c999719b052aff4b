"""The appointments' models (re-exported: import them from `appointments.models`)."""

from appointments.models.booking import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentRequest,
    AppointmentSource,
    AppointmentStatus,
    BlockedSlot,
    DayWaitlistEntry,
    DayWaitlistStatus,
)
from appointments.models.people import (
    Interpreter,
    InterpreterHours,
    SpecialistLanguage,
    validate_language_list,
)

__all__ = [
    "ACTIVE_STATUSES",
    "Appointment",
    "AppointmentRequest",
    "AppointmentSource",
    "AppointmentStatus",
    "BlockedSlot",
    "DayWaitlistEntry",
    "DayWaitlistStatus",
    "Interpreter",
    "InterpreterHours",
    "SpecialistLanguage",
    "validate_language_list",
]
