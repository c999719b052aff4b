"""Joining a full day's waitlist from the public pages, with proof of the phone, as a booking
is made (`appointments.services.requests`): the request (the day and the language) waits next
to a `PhoneVerification` until its SMS code is given; only then is the person found or added
and put on the waitlist (`day_waitlist_join`), in one transaction. The same answer whether the
number is known or not.

The request is an `AppointmentRequest` for the day's session whose `starts_at` is the session's
start; its code's digest is the waitlist's own ("day-waitlist:"), so a booking's confirmation
(or an enrolment's) never accepts it, and this one never accepts theirs. A new code for the
same request: `day_waitlist_request_resend`."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.errors import AppointmentClosed
from appointments.models import DayWaitlistEntry
from appointments.selectors.slots import free_slots
from appointments.services import checks
from appointments.services.requests import (
    code_send,
    open_request,
    request_person,
    request_prove,
    wrong_code,
)
from appointments.services.waitlist import day_waitlist_join
from courses.errors import ConsentRequired, DomainError, EnrolmentClosed
from courses.models import BookingMode, PhoneVerification
from courses.phones import normalise_mobile
from courses.services.participants import (
    ParticipantData,
    clean_name,
    clean_statistics,
    participant_upsert,
)
from scheduling.models import Session, SessionStatus


def _digest(public_id: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"day-waitlist:{public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def day_waitlist_request_start(
    *, session: Session, language: str, person: ParticipantData, channel: str, client: str
) -> PhoneVerification:
    """Send a code to `person.phone` to join the waitlist of `session` (a full day of a published
    slot-booked course) in `language`. Refused before any code is sent when the day is not full
    in that language (book a slot instead), has passed or is cancelled, the input is wrong,
    consent is missing, or too many codes went out lately."""
    course = session.course
    phone = normalise_mobile(person.phone, person.country)
    name = clean_name(person.name)
    person = clean_statistics(person)
    if not course.published or course.booking_mode != BookingMode.SLOTS:
        raise EnrolmentClosed(_("This course is not open for enrolment."))
    if not person.sms_consent:
        raise ConsentRequired(
            _("Please agree to receive SMS: it is how we tell you about your appointment."),
            field="sms_consent",
        )
    language = checks.check_language(language)
    if session.status == SessionStatus.CANCELLED or session.ends_at <= timezone.now():
        raise AppointmentClosed(_("There is no waitlist for this day."))
    if free_slots(
        courses=[course], language=language, start=session.starts_at, end=session.ends_at
    ):
        raise DomainError(_("This day still has free slots: please book one."), field="session")
    return code_send(
        course=course,
        session=session,
        starts_at=session.starts_at,
        language=language,
        phone=phone,
        name=name,
        person=person,
        channel=channel,
        client=client,
        digest=_digest,
    )


def day_waitlist_request_confirm(*, verification: str, code: str) -> DayWaitlistEntry:
    """Prove the number with its code, then put the person on the day's waitlist. A wrong code
    counts as one of five tries; a day that got a free slot meanwhile is said only now."""
    with transaction.atomic():
        found, left = request_prove(verification, code, digest=_digest)
        if found is not None:
            participant = participant_upsert(
                centre=found.course.centre,
                data=request_person(found.verification, verified=True),
            )
            return day_waitlist_join(
                session=found.session,
                participant=participant,
                language=found.language,
                channel=found.verification.channel,
            )
    raise wrong_code(left)


def day_waitlist_request_resend(*, verification: str, client: str) -> PhoneVerification:
    """A new code for the same day's waitlist (the old one stops working once the new one is
    sent), checked and limited as the first code was; refused like it, and nothing changes."""
    found = open_request(verification)
    proof = found.verification
    started = day_waitlist_request_start(
        session=found.session,
        language=found.language,
        person=request_person(proof),
        channel=proof.channel,
        client=client,
    )
    PhoneVerification.objects.filter(pk=proof.pk).update(used_at=timezone.now())
    return started
