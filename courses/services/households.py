"""Bookings for several people: a class booked with its childcare, one person's place given up.

`party_place_cancel` gives up one person's place: a child's, or the booking person's own when
they only bring the others. The booking's places go down by one and the freed place goes to the
waitlist in the same transaction, as a cancellation's does.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from courses.models import (
    SEAT_STATUSES,
    AuditAction,
    Enrolment,
    EnrolmentStatus,
    MemberStatus,
    PartyMember,
)
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.services.enrolment import (
    _locked_enrolment,
    _promote,
    enrolment_cancel,
)
from courses.services.locking import lock_wait
from courses.services.party import party_member_drop


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
