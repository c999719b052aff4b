"""Self-enrolment with proof of the phone: a one-time SMS code first, then the enrolment.

`verification_start` checks only what does not depend on who the person is (the course is open,
the input reads, consent is given), stores the request and sends a code: the answer is the same
for a number the centre knows and for one it does not, and nothing about a person is looked up.
`verification_confirm` takes the code; only then is the person found or added, their consent
and language recorded and a place taken, in one transaction (`enrolment_request`)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals, writes
from courses.compiled import compiled
from courses.errors import (
    AlreadyEnrolled,
    ConsentRequired,
    DomainError,
    SessionUnavailable,
    TooManyCodes,
    WrongCode,
)
from courses.limits import allow
from courses.models import (
    ACTIVE_STATUSES,
    BookingMode,
    ConsentSource,
    Course,
    Enrolment,
    PhoneVerification,
)
from courses.party import Person
from courses.phones import normalise_mobile
from courses.services.enrolment import enrolment_transaction
from courses.services.enrolment_open import check_open
from courses.services.enrolment_request import enrolment_request
from courses.services.households import booking_plan
from courses.services.participants import ParticipantData, clean_name, clean_statistics
from courses.text import code_digits
from scheduling.models import Session

CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=10)
MAX_TRIES = 5
KEEP_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Started:
    verification: PhoneVerification
    phone: str  # as read, in E.164: the page shows where the code went


def _digest(public_id: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def verification_start(
    *,
    course: Course,
    person: ParticipantData,
    channel: str,
    client: str,
    session: Session | None = None,
    party: Iterable[Person | object] = (),
    attending: bool = True,
    min_places: int | None = None,
) -> Started:
    """Send a code to `person.phone` for an enrolment into `course`. Refused, before any code
    is sent, when the course is not open, the input is wrong, consent is missing, the party
    does not fit the course (PartyInvalid), or too many codes went to this number or this
    client (`client`: the caller's address) lately. The party waits with the request until
    the code is checked."""
    phone = normalise_mobile(person.phone, person.country)
    plan = booking_plan(course, party, attending=attending, min_places=min_places)
    name = clean_name(person.name)
    person = clean_statistics(person)
    if not person.sms_consent:
        raise ConsentRequired(
            _("Please agree to receive SMS: it is how we tell you about your place."),
            field="sms_consent",
        )
    if course.booking_mode != BookingMode.SESSION:
        session = None
    elif session is None:
        raise DomainError(_("Choose a session."), field="session")
    elif session.course_id != course.pk:
        raise SessionUnavailable(_("This session does not belong to the course."), field="session")
    check_open(course, session, public=True, now=timezone.now())
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
            party=plan.party(),
            attending=plan.booking.attending,
            min_places=plan.booking.least,
            channel=channel,
            expires_at=timezone.now() + CODE_VALID,
        )
        verification.code_hash = _digest(verification.public_id, code)
        verification.save()
        signals.verification_code_requested.send(
            sender=PhoneVerification, verification=verification, code=code
        )
    return Started(verification, phone)


def verification_resend(*, verification: str, client: str) -> Started:
    """A new code for the same request (the old one stops working)."""
    old = _open(verification)
    started = verification_start(
        course=old.course,
        session=old.session,
        person=_person(old),
        channel=old.channel,
        client=client,
        party=old.party,
        attending=old.attending,
        min_places=old.min_places,
    )
    PhoneVerification.objects.filter(pk=old.pk).update(used_at=timezone.now())
    return started


def _person(request: PhoneVerification, *, consent_source: str = "") -> ParticipantData:
    """What the person typed, kept with the request (consent was given to ask for the code),
    with their statistics answers and the privacy notice they were shown."""
    return ParticipantData(
        name=request.name,
        phone=request.phone,
        language=request.language,
        email=request.email,
        sms_consent=True,
        consent_source=consent_source,
        country_of_origin=request.country_of_origin,
        birth_year=request.birth_year,
        sex=request.sex,
        privacy_notice_version=request.privacy_notice_version,
    )


def _open_requests(public_id: str, now: datetime) -> QuerySet[PhoneVerification]:
    """The request of `public_id` still open, with its course, centre and venues (the texts
    tell them); public_id is unique: no ORDER BY on the five tables' join."""
    return (
        PhoneVerification.objects.select_related(
            "course__centre", "course__venue", "session__venue"
        )
        .filter(public_id=public_id, used_at__isnull=True, expires_at__gt=now)
        .order_by()[:1]
    )


def _open_requests_locked(public_id: str, now: datetime) -> QuerySet[PhoneVerification]:
    return _open_requests(public_id, now).select_for_update(of=("self",))


def _open(public_id: str, *, lock: bool = False) -> PhoneVerification:
    """The request, still open; with `lock`, its row locked until the transaction ends (tries
    made at once are counted one after the other). Compiled once (`courses.compiled`): it is
    read on the way of every verified enrolment."""
    build = _open_requests_locked if lock else _open_requests
    read = compiled(build, public_id=str(public_id)[:32], now=timezone.now())
    found = cast(PhoneVerification, read[0]) if read else None
    if found is None or found.attempts >= MAX_TRIES:
        raise WrongCode(
            _("This code has expired or was tried too often. Ask for a new code."), field="code"
        )
    return found


def verification_confirm(*, verification: str, code: str) -> Enrolment:
    """Prove the number with its code, then enrol (the person found by phone, or added). A
    wrong code counts as one of five tries; refusals of the enrolment itself (already enrolled,
    closed meanwhile) come only now, to the person who proved the number."""
    code = code_digits(code)
    found: PhoneVerification | None = None
    try:
        # One transaction with the enrolment's (no savepoint): a refused enrolment leaves the
        # code unused.
        with enrolment_transaction():
            found = _open(verification, lock=True)
            right = hmac.compare_digest(found.code_hash, _digest(found.public_id, code))
            if right:  # open and under its tries: _open checked both, under the lock
                writes.update(found, used_at=timezone.now())  # with the enrolment's rows
                return enrolment_request(
                    course=found.course,
                    session=found.session,
                    person=_person(found, consent_source=ConsentSource.VERIFIED_CODE),
                    channel=found.channel,
                    verified=True,
                    party=found.party or (),
                    attending=found.attending,
                    min_places=found.min_places,
                )
            found.attempts += 1
            found.save(update_fields=["attempts"])
            left = MAX_TRIES - found.attempts
    except AlreadyEnrolled as exc:  # the number is proven: they may see their place
        assert found is not None  # noqa: S101 - only the enrolment refuses so
        raise AlreadyEnrolled(
            exc.message, enrolment=_active_place(found, found.course, found.session)
        ) from exc
    if left <= 0:
        raise WrongCode(_("Too many wrong codes. Ask for a new code."), field="code")
    raise WrongCode(
        _("This code is not right. Tries left: %(left)s.") % {"left": left}, field="code"
    )


def _active_place(
    verification: PhoneVerification, course: Course, session: Session | None
) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("participant")
        .filter(
            course=course,
            session=session,
            participant__centre=course.centre,
            participant__phone=verification.phone,
            status__in=ACTIVE_STATUSES,
        )
        .first()
    )


def verifications_purge() -> int:
    """Delete requests older than a day (hourly task): what a person typed before proving
    their number is not kept."""
    moment = timezone.now() - KEEP_FOR
    deleted, _kinds = PhoneVerification.objects.filter(created_at__lt=moment).delete()
    return deleted
