"""Blocking and freeing slots (staff of the course's centre).

A slot holding an appointment is not blocked: the service refuses (`slot_booked`) and staff
cancel or move the appointment first, so a person is never left with an appointment in a slot
the day view shows as blocked, nor cancelled without being told. Freeing a slot gives it to the
first person on that day's waitlist who can have it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.errors import SlotBooked, SlotNotFound
from appointments.models import ACTIVE_STATUSES, Appointment, BlockedSlot
from appointments.services import checks
from appointments.services.waitlist import waitlist_offer
from appointments.slots import slot_at
from courses.errors import WrongCentre
from courses.models import BookingMode
from courses.selectors.tenancy import Actor, as_user
from courses.services.audit import audit_record
from courses.services.enrolment_request import is_staff_of
from courses.services.locking import lock_wait
from scheduling.models import Session


def _slot(
    session: Session, starts_at: datetime, actor: Actor
) -> tuple[Session, tuple[datetime, datetime]]:
    if not is_staff_of(actor, session.course):
        raise WrongCentre(_("This session belongs to another centre."))
    locked = checks.lock_sessions([session.pk])[session.pk]
    course = locked.course
    span = (
        slot_at(
            locked.starts_at, locked.ends_at, course.slot_minutes, course.buffer_minutes, starts_at
        )
        if course.booking_mode == BookingMode.SLOTS
        else None
    )
    if span is None:
        raise SlotNotFound(
            _("No appointment slot starts at this time: choose one of the free slots."),
            field="starts_at",
        )
    return locked, span


def slot_block(
    *, session: Session, starts_at: datetime, actor: Actor, reason: str = ""
) -> BlockedSlot:
    """Take a free slot out of booking; blocking it again changes nothing."""
    with transaction.atomic(), lock_wait():
        locked, span = _slot(session, starts_at, actor)
        if Appointment.objects.filter(
            session=locked, status__in=ACTIVE_STATUSES, starts_at__lt=span[1], ends_at__gt=span[0]
        ).exists():
            raise SlotBooked(
                _("This slot is booked: cancel or move the appointment first."), field="starts_at"
            )
        blocked, created = BlockedSlot.objects.get_or_create(
            session=locked,
            starts_at=span[0],
            defaults={"blocked_by": as_user(actor), "reason": (reason or "")[:200]},
        )
        if created:
            audit_record(
                actor=actor,
                action="appointment.slot_blocked",
                target=blocked,
                centre=locked.course.centre,
            )
    return blocked


def slot_unblock(*, session: Session, starts_at: datetime, actor: Actor) -> None:
    """Free a blocked slot again; the first person waiting for that day may get it."""
    with transaction.atomic(), lock_wait():
        locked, span = _slot(session, starts_at, actor)
        blocked = BlockedSlot.objects.filter(session=locked, starts_at=span[0]).first()
        if blocked is None:
            return
        audit_record(
            actor=actor,
            action="appointment.slot_freed",
            target=blocked,
            centre=locked.course.centre,
        )
        blocked.delete()
        waitlist_offer(session=locked, span=span, now=timezone.now())
