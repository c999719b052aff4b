"""Self-booking with proof of the phone, as for enrolments (`courses.services.verification`).

`appointment_request_start` checks only what does not depend on who the person is (the slot
exists and may be booked in that language now, the input reads, consent is given), stores the
request and sends a 6-digit code: the same answer whether the number is known or not. The code
is held by a `PhoneVerification` (so the outbox sends it like every code) with the slot asked
for next to it (`AppointmentRequest`); its digest is the appointments' own, so the enrolments'
`verify/` never takes an appointment's code. `appointment_request_confirm` takes the code; only
then is the person found or added and the slot booked (`appointment_book`), in one
transaction. The slot may have been taken meanwhile: then `slot_taken`, to the person who
proved the number, who chooses another. `appointment_request_resend` sends a new code for the
same request, checked and limited as the first one was."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment, AppointmentRequest
from appointments.services import checks
from appointments.services.booking import appointment_book
from courses import signals as course_signals
from courses.errors import ConsentRequired, EnrolmentClosed, TooManyCodes, WrongCode
from courses.limits import allow
from courses.models import ConsentSource, Course, PhoneVerification
from courses.phones import normalise_mobile
from courses.services.participants import ParticipantData, clean_name, clean_statistics
from courses.services.verification import CODE_DIGITS, CODE_VALID, MAX_TRIES
from courses.text import code_digits
from scheduling.models import Session


def _digest(public_id: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"appointment:{public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_send(
    *,
    course: Course,
    session: Session,
    starts_at: datetime,
    language: str,
    phone: str,
    name: str,
    person: ParticipantData,
    channel: str,
    client: str,
    digest: Callable[[str, str], str],
) -> PhoneVerification:
    """Send the SMS code of an appointment's (or a day waitlist's) request, within the limits
    per number and per device, and keep what was asked until the code comes back; `digest`
    salts the code for its own flow, so a code never works in another."""
    if not allow(f"code-number:{phone}", rate=settings.VERIFICATION_CODES_PER_NUMBER):
        raise TooManyCodes(
            _("Too many codes were sent to this number. Please try again in an hour."),
            field="phone",
        )
    if not allow(f"code-client:{client}", rate=settings.VERIFICATION_CODES_PER_CLIENT):
        raise TooManyCodes(_("Too many codes from this device. Please try again later."))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        verification = PhoneVerification(
            course=course,
            session=session,
            phone=phone,
            name=name,
            language=person.language or "pl",
            email=person.email,
            country_of_origin=person.country_of_origin,
            birth_year=person.birth_year,
            sex=person.sex,
            privacy_notice_version=person.privacy_notice_version,
            channel=channel if channel in ("web", "api") else "web",
            expires_at=timezone.now() + CODE_VALID,
        )
        verification.code_hash = digest(verification.public_id, code)
        verification.save()
        AppointmentRequest.objects.create(
            verification=verification,
            course=course,
            session=session,
            starts_at=starts_at,
            language=language,
        )
        course_signals.verification_code_requested.send(
            sender=PhoneVerification, verification=verification, code=code
        )
    return verification


def appointment_request_start(
    *,
    course: Course,
    starts_at: datetime,
    language: str,
    person: ParticipantData,
    channel: str,
    client: str,
) -> PhoneVerification:
    """Send a code to `person.phone` for the slot of `course` at `starts_at` in `language`.
    Refused, before any code is sent, when the slot cannot be booked in that language now
    (the same refusals as a booking), the input is wrong, consent is missing, or too many codes
    went to this number or this client lately."""
    phone = normalise_mobile(person.phone, person.country)
    name = clean_name(person.name)
    person = clean_statistics(person)
    if not course.published:
        raise EnrolmentClosed(_("This course is not open for enrolment."))
    if not person.sms_consent:
        raise ConsentRequired(
            _("Please agree to receive SMS: it is how we tell you about your appointment."),
            field="sms_consent",
        )
    language = checks.check_language(language)
    session, span = checks.check_slot(checks.session_at(course, starts_at), starts_at, staff=False)
    with transaction.atomic():  # the interpreter is only looked at here, reserved on booking
        checks.choose_interpreter(session.course, span, language)
        transaction.set_rollback(True)
    return code_send(
        course=course,
        session=session,
        starts_at=span[0],
        language=language,
        phone=phone,
        name=name,
        person=person,
        channel=channel,
        client=client,
        digest=_digest,
    )


def appointment_request_confirm(*, verification: str, code: str) -> Appointment:
    """Prove the number with its code, then book the slot asked for. A wrong code counts as one
    of five tries; refusals of the booking itself (taken meanwhile) come only now."""
    with transaction.atomic():
        found, left = request_prove(verification, code, digest=_digest)
        if found is not None:
            return appointment_book(
                course=found.course,
                starts_at=found.starts_at,
                language=found.language,
                person=request_person(found.verification, verified=True),
                channel=found.verification.channel,
                verified=True,
            )
    raise wrong_code(left)


def open_request(public_id: str, *, lock: bool = False) -> AppointmentRequest:
    """A request whose code may still be given (not used, not expired, tries left), else the
    same refusal as a wrong code: nothing says whether it ever existed. `lock`: the request and
    its verification locked until the transaction ends (to count a try or use the code)."""
    requests = AppointmentRequest.objects.select_related(
        "verification", "course__centre", "session__course__centre"
    )
    if lock:
        requests = requests.select_for_update(of=("self", "verification"))
    found = requests.filter(
        verification__public_id=str(public_id)[:32],
        verification__used_at__isnull=True,
        verification__expires_at__gt=timezone.now(),
    ).first()
    if found is None or found.verification.attempts >= MAX_TRIES:
        raise WrongCode(
            _("This code has expired or was tried too often. Ask for a new code."), field="code"
        )
    return found


def request_prove(
    verification: str, code: str, *, digest: Callable[[str, str], str]
) -> tuple[AppointmentRequest | None, int]:
    """Inside the caller's transaction: the request whose code (salted by `digest`, the flow's
    own) is `code`, its verification marked used; or None and the tries left, the wrong try
    counted (kept: the caller raises `wrong_code(left)` after the transaction)."""
    code = code_digits(code)
    found = open_request(verification, lock=True)
    proof = found.verification
    if hmac.compare_digest(proof.code_hash, digest(proof.public_id, code)):
        proof.used_at = timezone.now()
        proof.save(update_fields=["used_at"])
        return found, MAX_TRIES - proof.attempts
    proof.attempts += 1
    proof.save(update_fields=["attempts"])
    return None, MAX_TRIES - proof.attempts


def wrong_code(left: int) -> WrongCode:
    if left <= 0:
        return WrongCode(_("Too many wrong codes. Ask for a new code."), field="code")
    return WrongCode(
        _("This code is not right. Tries left: %(left)s.") % {"left": left}, field="code"
    )


def request_person(proof: PhoneVerification, *, verified: bool = False) -> ParticipantData:
    """What the person typed, kept with the request (consent was given to ask for the code;
    `verified`: the code came back, which is how the consent is recorded)."""
    return ParticipantData(
        name=proof.name,
        phone=proof.phone,
        language=proof.language,
        email=proof.email,
        sms_consent=True,
        consent_source=ConsentSource.VERIFIED_CODE if verified else "",
        country_of_origin=proof.country_of_origin,
        birth_year=proof.birth_year,
        sex=proof.sex,
        privacy_notice_version=proof.privacy_notice_version,
    )


def appointment_request_resend(*, verification: str, client: str) -> PhoneVerification:
    """A new code for the same slot (the old one stops working once the new one is sent): the
    slot is checked again and the limits per number and per device count it, as for the first
    code. Refused like the first code, and nothing changes then."""
    found = open_request(verification)
    proof = found.verification
    started = appointment_request_start(
        course=found.course,
        starts_at=found.starts_at,
        language=found.language,
        person=request_person(proof),
        channel=proof.channel,
        client=client,
    )
    PhoneVerification.objects.filter(pk=proof.pk).update(used_at=timezone.now())
    return started
