"""Domain refusals. Each is one type under `DomainError`, carries a translated message, and is
mapped to a 4xx answer in one place for the API (`courses.api.base.exception_handler`) and
shown as a form error in pages and the admin."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class SessionCancelled(DomainError):
    status_code = 409
    code = "session_cancelled"


class InvalidSessionTime(DomainError):
    code = "invalid_session_time"


class WrongCentre(DomainError):
    code = "wrong_centre"


class AlreadyEnrolled(DomainError):
    """Told only to staff, or to someone who proved the number (then with their place)."""

    status_code = 409
    code = "already_enrolled"

    def __init__(
        self, message: str | Promise, *, field: str | None = None, enrolment: Any = None
    ) -> None:
        super().__init__(message, field=field)
        self.enrolment = enrolment


class EnrolmentClosed(DomainError):
    """Course not published, finished, closed for enrolment, or with no booking at all."""

    status_code = 409
    code = "enrolment_closed"


class SessionUnavailable(DomainError):
    status_code = 409
    code = "session_unavailable"


class ConsentRequired(DomainError):
    code = "consent_required"


class InvalidTransition(DomainError):
    """The enrolment is not in a state that allows this (e.g. accepting an expired offer)."""

    status_code = 409
    code = "invalid_transition"


class Busy(DomainError):
    """The course is locked by others for too long: nothing changed, try again."""

    status_code = 503
    code = "busy"


class RegisterClosed(DomainError):
    """The session is cancelled, or its day has not come yet."""

    status_code = 409
    code = "register_closed"


class NotOnRegister(DomainError):
    code = "not_on_register"


class WrongCode(DomainError):
    """The SMS code is wrong, expired or used up."""

    code = "wrong_code"


class TooManyCodes(DomainError):
    """Too many codes went to this number or from this client lately."""

    status_code = 429
    code = "too_many_codes"


class PhoneNotVerified(DomainError):
    """A self-enrolment that has not proven its phone number with the SMS code."""

    status_code = 403
    code = "phone_not_verified"
