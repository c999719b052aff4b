"""Bookings for several people: a class booked with its childcare, one person's place given up.

`booking_create` is how `courses.services.enrolment_request` takes a place for a party: the
class (or workshop) booking, and when the class has a linked childcare activity, the children's
booking there, in the same transaction. The class is locked first and its childcare after it,
always in that order (cancelling the class cancels the childcare the same way), so two bookings
never wait for each other.

`party_place_cancel` gives up one person's place: a child's, or the booking person's own when
they only bring the others. The booking's places go down by one and the freed place goes to the
waitlist in the same transaction, as a cancellation's does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import InvalidTransition
from courses.models import (
    SEAT_STATUSES,
    AuditAction,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    MemberStatus,
    Participant,
    PartyMember,
)
from courses.party import Person, split_for_childcare
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.services.enrolment import (
    _locked_enrolment,
    _promote,
    enrolment_cancel,
    enrolment_create,
)
from courses.services.locking import lock_wait
from courses.services.party import course_year, party_member_drop
from scheduling.models import Session


@dataclass(frozen=True)
class Booking:
    enrolment: Enrolment
    childcare: Enrolment | None = None  # the children's booking in the class's childcare


def _childcare_session(care: Course, session: Session | None) -> Session | None:
    """The childcare's session at the class session's time (booked per session)."""
    if care.booking_mode != BookingMode.SESSION or session is None:
        return None
    found = care.sessions.filter(starts_at=session.starts_at).first()
    if found is None:
        raise InvalidTransition(_("The childcare has no session at this time."), field="session")
    return found


def booking_create(
    *,
    course: Course,
    participant: Participant,
    session: Session | None = None,
    source: str = EnrolmentSource.WEB,
    actor: Actor = None,
    priority: int = 0,
    party: Sequence[Person] = (),
    attending: bool = True,
    min_places: int | None = None,
) -> Booking:
    """Book `participant` and their `party` into `course`. A class with childcare: the
    children (under 18 in the course's year) go to the childcare, the others to the class;
    when the childcare is full the children wait there, and the class place stands."""
    children: list[Person] = []
    people = list(party)
    if course.childcare_id and people:
        people, children = split_for_childcare(people, course_year(course))
    with transaction.atomic():
        enrolment = enrolment_create(
            course=course,
            participant=participant,
            session=session,
            source=source,
            actor=actor,
            priority=priority,
            party=people,
            attending=attending,
            min_places=min_places if not children else None,
        )
        if not children:
            return Booking(enrolment)
        care = course.childcare
        assert care is not None  # noqa: S101 - narrowing: childcare_id is set
        childcare = enrolment_create(
            course=care,
            participant=participant,
            session=_childcare_session(care, enrolment.session),
            source=source,
            actor=actor,
            priority=priority,
            party=children,
            attending=False,
            childcare_of=enrolment,
        )
    return Booking(enrolment, childcare)


def party_place_cancel(
    *, enrolment: Enrolment, member: PartyMember | None = None, actor: Actor = None
) -> Enrolment:
    """Give up one person's place in a booking: `member`'s, or with None the booking person's
    own (they keep the booking for the others). The last place given up cancels the booking.
    A person whose place is gone already changes nothing."""
    with transaction.atomic(), lock_wait():
        fresh, course, session = _locked_enrolment(enrolment)
        if not fresh.is_active:
            return fresh
        if member is not None:
            member = PartyMember.objects.filter(
                pk=member.pk, enrolment=fresh, status=MemberStatus.ACTIVE
            ).first()
            if member is None:
                return fresh
        elif not fresh.attending:
            return fresh
        if fresh.places <= 1:
            return enrolment_cancel(enrolment=fresh, actor=actor)
        now = timezone.now()
        before = fresh.places
        if member is not None:
            party_member_drop(member, now=now)
            fresh.places -= 1
        else:
            fresh.attending, fresh.places = False, fresh.places - 1
            fresh.save(update_fields=["attending", "places", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CHANGED,
            target=fresh,
            centre=course.centre,
            participant=fresh.participant,
            detail={
                "fields": ["places"],
                "places_from": before,
                "places_to": fresh.places,
                "member": member.pk if member is not None else None,
            },
        )
        if fresh.status in (*SEAT_STATUSES, EnrolmentStatus.WAITLISTED):
            # A freed place, or a waiting family that became small enough to fit.
            _promote(course, session, actor, now=now)
    return fresh
