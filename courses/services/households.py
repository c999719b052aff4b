"""Bookings for several people: a class booked with its childcare, one person's place given up.

`booking_plan` reads and checks what a booking covers before anything is written (the party
against the course's `max_party` and ages; in a class with a childcare activity the children,
under 18 in the course's year, go to the childcare, checked against its own). `booking_create`
is how `courses.services.enrolment_request` takes the places: the class (or workshop) booking,
and the children's booking in the childcare, in the same transaction. The class is locked
first and its childcare after it, always in that order (cancelling the class cancels the
childcare the same way), so two bookings never wait for each other. When the childcare is
full the children's booking waits there (its waitlist, its SMS); the class place stands.

`party_place_cancel` gives up one person's place: a child's, or the booking person's own when
they only bring the others. The booking's places go down by one and the freed place goes to the
waitlist in the same transaction, as a cancellation's does.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    enrolment_create_within,
    enrolment_transaction,
)
from courses.services.locking import lock_wait
from courses.services.party import (
    ALONE,
    PartyBooking,
    course_year,
    party_member_drop,
    party_people,
    party_prepare,
)
from scheduling.models import Session


@dataclass(frozen=True)
class Plan:
    """A booking checked, not yet made: the class's part and the childcare's (with its course)."""

    booking: PartyBooking = ALONE
    childcare: PartyBooking | None = None
    care: Course | None = None

    def party(self) -> list[dict[str, object]]:
        """Everyone besides the booking person, as `{name, birth_year}` (kept with a phone
        verification until the code is checked)."""
        people = [*self.booking.people, *(self.childcare.people if self.childcare else ())]
        return [{"name": p.name, "birth_year": p.birth_year} for p in people]


def booking_plan(
    course: Course,
    party: Iterable[Person | object] = (),
    *,
    attending: bool = True,
    min_places: int | None = None,
) -> Plan:
    """What a booking of `party` in `course` covers, or PartyInvalid; nothing is written."""
    people = party_people(party)
    children: list[Person] = []
    if course.childcare_id and people:
        people, children = split_for_childcare(people, course_year(course))
    if not children:
        return Plan(party_prepare(course, people, attending=attending, min_places=min_places))
    care = course.childcare
    assert care is not None  # noqa: S101 - narrowing: childcare_id is set
    # Fewer places are for the class alone: the children come to the childcare or not at all.
    booking = party_prepare(course, people, attending=attending, min_places=min_places)
    return Plan(booking, party_prepare(care, children, attending=False), care)


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


def booking_create_within(
    *,
    course: Course,
    participant: Participant,
    plan: Plan,
    session: Session | None = None,
    source: str = EnrolmentSource.WEB,
    actor: Actor = None,
    priority: int = 0,
) -> Booking:
    """Book `participant` as `plan` says, inside the caller's `enrolment_transaction`: the
    class first, then the children into its childcare (its lock after the class's)."""
    enrolment = enrolment_create_within(
        course=course,
        participant=participant,
        session=session,
        source=source,
        actor=actor,
        priority=priority,
        party=plan.booking.people,
        attending=plan.booking.attending,
        min_places=plan.booking.least,
    )
    if plan.childcare is None or plan.care is None:
        return Booking(enrolment)
    childcare = enrolment_create_within(
        course=plan.care,
        participant=participant,
        session=_childcare_session(plan.care, enrolment.session),
        source=source,
        actor=actor,
        priority=priority,
        party=plan.childcare.people,
        attending=False,
        childcare_of=enrolment,
    )
    setattr(enrolment, _CHILDCARE, childcare)
    return Booking(enrolment, childcare)


def booking_create(
    *,
    course: Course,
    participant: Participant,
    party: Iterable[Person | object] = (),
    attending: bool = True,
    min_places: int | None = None,
    session: Session | None = None,
    source: str = EnrolmentSource.WEB,
    actor: Actor = None,
    priority: int = 0,
) -> Booking:
    """Book a person already known (and their party) into `course` and its childcare, in one
    transaction (`enrolment_request` finds or adds the person in the same one instead)."""
    plan = booking_plan(course, party, attending=attending, min_places=min_places)
    with enrolment_transaction():
        return booking_create_within(
            course=course,
            participant=participant,
            plan=plan,
            session=session,
            source=source,
            actor=actor,
            priority=priority,
        )


_CHILDCARE = "_childcare_booking"


def childcare_booking(enrolment: Enrolment) -> Enrolment | None:
    """The children's booking made with `enrolment` in its class's childcare (None without)."""
    return getattr(enrolment, _CHILDCARE, None)


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
