"""The courses app's models, one module per sub-domain; everything is importable from here."""

from courses.models.attendance import (
    Attendance,
    AttendanceStatus,
)
from courses.models.audit import (
    AuditAction,
    AuditEntry,
)
from courses.models.catalogue import (
    SENSITIVE_SPECIALTIES,
    AppointmentMode,
    Audience,
    BookingMode,
    Course,
    CourseKind,
    Level,
    Specialty,
    WaitlistFit,
    WaitlistMode,
)
from courses.models.centres import (
    Centre,
    FundingEmblem,
    Venue,
    Voivodeship,
    validate_timezone,
)
from courses.models.enrolment import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
)
from courses.models.party import (
    ADULT_AGE,
    MemberStatus,
    PartyMember,
)
from courses.models.people import (
    ERASED_NAME,
    Language,
    Participant,
    Sex,
    new_participant_token,
)
from courses.models.verification import (
    ConsentSource,
    PhoneVerification,
    new_verification_id,
)

__all__ = [
    "ACTIVE_STATUSES",
    "ADULT_AGE",
    "ERASED_NAME",
    "SEAT_STATUSES",
    "SENSITIVE_SPECIALTIES",
    "AppointmentMode",
    "Attendance",
    "AttendanceStatus",
    "Audience",
    "AuditAction",
    "AuditEntry",
    "BookingMode",
    "Centre",
    "ConsentSource",
    "Course",
    "CourseKind",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentSource",
    "EnrolmentStatus",
    "FundingEmblem",
    "Language",
    "Level",
    "MemberStatus",
    "Participant",
    "PartyMember",
    "PhoneVerification",
    "Sex",
    "Specialty",
    "Venue",
    "Voivodeship",
    "WaitlistFit",
    "WaitlistMode",
    "new_participant_token",
    "new_verification_id",
    "validate_timezone",
]
