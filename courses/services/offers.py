"""Seat offers from the waitlist: accepted, declined, their deadline moved when the person is told
later (the SMS quiet hours), and expired, each passing the seat on to the next person under the
same lock as `courses.services.enrolment`."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals
from courses.errors import InvalidTransition
from courses.models import Course, Enrolment, EnrolmentStatus
from courses.selectors.tenancy import Actor
from courses.services.enrolment import _locked_enrolment, _move, _promote
from courses.services.locking import lock_wait
from scheduling.models import Session


def offer_accept(*, enrolment: Enrolment, actor: Actor = None) -> Enrolment:
    with transaction.atomic(), lock_wait():
        enrolment, course, session = _locked_enrolment(enrolment)
        now = timezone.now()  # after the wait for the lock
        if enrolment.status != EnrolmentStatus.OFFERED:
            raise InvalidTransition(_("There is no open offer to accept."))
        if enrolment.offer_expires_at and enrolment.offer_expires_at <= now:
            _expire(enrolment, course, session, now=now)
        else:
            _move(enrolment, EnrolmentStatus.CONFIRMED, actor, "participant", offer_expires_at=None)
            signals.enrolment_confirmed.send(
                sender=Enrolment, enrolment=enrolment, actor=actor, promoted=True
            )
            return enrolment
    raise InvalidTransition(_("Sorry, the offer has expired and passed to the next person."))


def offer_decline(*, enrolment: Enrolment, actor: Actor = None) -> Enrolment:
    with transaction.atomic(), lock_wait():
        enrolment, course, session = _locked_enrolment(enrolment)
        now = timezone.now()  # after the wait for the lock
        if enrolment.status != EnrolmentStatus.OFFERED:
            raise InvalidTransition(_("There is no open offer to decline."))
        _move(enrolment, EnrolmentStatus.DECLINED, actor, "participant", offer_expires_at=None)
        _promote(course, session, actor, now=now)
    return enrolment


def offer_deadline_extend(*, enrolment: Enrolment, until: datetime) -> datetime | None:
    """An offer's deadline counts from when the person is told of it: an offer made during
    the SMS quiet hours is told when they end. Moves the deadline later to `until`, never
    earlier; gives the deadline it has now, or None when the offer is no longer open (it was
    accepted, declined or expired meanwhile)."""
    with transaction.atomic(), lock_wait():
        fresh, _course, _session = _locked_enrolment(enrolment)
        if fresh.status != EnrolmentStatus.OFFERED:
            return None
        if fresh.offer_expires_at is None or fresh.offer_expires_at < until:
            fresh.offer_expires_at = until
            fresh.save(update_fields=["offer_expires_at", "updated_at"])
    enrolment.offer_expires_at = fresh.offer_expires_at
    return fresh.offer_expires_at


def _expire(
    enrolment: Enrolment, course: Course, session: Session | None, *, now: datetime
) -> None:
    _move(enrolment, EnrolmentStatus.EXPIRED, None, "system")
    signals.offer_expired.send(sender=Enrolment, enrolment=enrolment, actor=None)
    _promote(course, session, None, now=now)


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire offers past their time; each passes on to the next person (run every minute)."""
    now = now or timezone.now()
    due = list(
        Enrolment.objects.filter(status=EnrolmentStatus.OFFERED, offer_expires_at__lte=now)
        .select_related("course", "session")
        .order_by("offer_expires_at", "pk")
    )
    expired = 0
    for enrolment in due:
        with transaction.atomic(), lock_wait():
            fresh, course, session = _locked_enrolment(enrolment)
            if (
                fresh.status == EnrolmentStatus.OFFERED
                and fresh.offer_expires_at
                and fresh.offer_expires_at <= now
            ):
                _expire(fresh, course, session, now=now)
                expired += 1
    return expired
