"""An enrolment request: find or add the person, then enrol them, in one transaction.

The one way the form, the API and the admin desk enrol someone. A refused request (a full stop
of the services: closed course, already enrolled, bad phone, missing consent, busy) rolls back
everything it did, so it stores no person, no consent and no changed language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from courses.errors import PhoneNotVerified
from courses.models import ConsentSource, Course, Enrolment, EnrolmentSource
from courses.party import Person
from courses.selectors.tenancy import Actor, is_staff_of_centre
from courses.services.enrolment import enrolment_transaction
from courses.services.households import booking_create_within, booking_plan
from courses.services.participants import ParticipantData, participant_upsert
from scheduling.models import Session

# Where a request comes from: the public form, the API, or staff at the admin desk.
CHANNELS = {"web": EnrolmentSource.WEB, "api": EnrolmentSource.API, "desk": EnrolmentSource.STAFF}


def is_staff_of(actor: Actor, course: Course) -> bool:
    """Staff of the course's centre (or a superuser) may enrol anyone, at any priority."""
    return is_staff_of_centre(actor, course.centre_id)


def enrolment_request(
    *,
    course: Course,
    person: ParticipantData,
    channel: str,
    session: Session | None = None,
    actor: Actor = None,
    walk_in: bool = False,
    priority: int = 0,
    verified: bool = False,
    party: Iterable[Person | object] = (),
    attending: bool = True,
    min_places: int | None = None,
) -> Enrolment:
    """Enrol `person` (found by phone in the course's centre, or added) into `course`.

    Staff of the centre enrol at the desk (source `staff`, or `walk_in`), with a priority and
    without the person's SMS consent; anyone else enrols themselves (source `web` or `api`),
    which needs a published course open for enrolment, the person's consent, and proof that
    the phone is theirs (`verified`: `courses.services.verification`): a stranger who knows a
    number must not take over that person's link, consent or language.

    A household: `party` (the people besides, or with `attending` False instead of, the
    person), `min_places` (the fewest places they accept); in a class with childcare the
    children go to the childcare (`courses.services.households.booking_plan`, checked before
    anything is written; its booking: `households.childcare_booking`)."""
    plan = booking_plan(course, party, attending=attending, min_places=min_places)
    staff = is_staff_of(actor, course)
    if not staff and not verified:
        raise PhoneNotVerified(_("Please confirm your phone number with the code we send."))
    if person.sms_consent and not person.consent_source:
        given = ConsentSource.WALK_IN if walk_in else ConsentSource.DESK
        if channel == "api":
            given = ConsentSource.API_STAFF
        person = replace(person, consent_source=given)
    if staff:
        source = EnrolmentSource.WALK_IN if walk_in else EnrolmentSource.STAFF
    else:
        source = CHANNELS[channel] if channel != "desk" else EnrolmentSource.WEB
    by = actor if staff else None
    with enrolment_transaction():
        participant = participant_upsert(
            centre=course.centre, data=person, actor=by, via=channel if staff else ""
        )
        return booking_create_within(
            course=course,
            session=session,
            participant=participant,
            plan=plan,
            source=source,
            actor=by,
            priority=priority if staff else 0,
        ).enrolment
