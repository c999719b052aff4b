"""Enrolment and waitlist services. Each owns its transaction.

Seats are counted, never cached: every change locks the course row (booking per course) or the
session row (booking per session) first, then counts the active enrolments, then writes. Locks
are taken in that one order (the course or session, then enrolments), briefly, and locks that
cannot be had within ENROLMENT_LOCK_TIMEOUT_SECONDS (all of them together) become a clear "busy,
try again" (Busy).
Database constraints back the rest: one active enrolment per person and course or session.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals, writes
from courses.errors import (
    AlreadyEnrolled,
    ConsentRequired,
    DomainError,
)
from courses.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    AuditAction,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    Participant,
    WaitlistMode,
)
from courses.party import NEXT, Person, Waiting, promotions
from courses.selectors.seats import (
    capacity_of,
    seats_taken,
    waitlist_position_decide,
    waitlist_queue,
)
from courses.selectors.tenancy import Actor, as_user
from courses.services.audit import audit_record
from courses.services.enrolment_open import check_open
from courses.services.locking import lock_wait, locking, seats_lock, seats_lock_and_count
from courses.services.party import party_fits, party_prepare, party_store, party_trim
from courses.text import clean_line
from scheduling.models import Session


def _record(enrolment: Enrolment, before: str, actor: Actor, kind: str) -> None:
    event = EnrolmentEvent(
        enrolment=enrolment,
        from_status=before,
        to_status=enrolment.status,
        actor=as_user(actor),
        actor_kind=kind,
    )
    writes.insert([event])


def _move(enrolment: Enrolment, status: str, actor: Actor, kind: str, **fields: Any) -> None:
    before = enrolment.status
    enrolment.status = status
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.save(update_fields=["status", *fields, "updated_at"])
    _record(enrolment, before, actor, kind)


def _promote(
    course: Course, session: Session | None, actor: Actor, *, now: datetime
) -> list[Enrolment]:
    """Give free places to the waitlist (the target row is already locked), in its order, as
    `courses.party.promotions` decides: a waiting booking of N places only when N are free, or
    the fewest it accepts (then the places it cannot have are given up: `party_trim`); with the
    course's `waitlist_fit`, the head waits for its places or the next that fits gets them."""
    free = capacity_of(course, session) - seats_taken(course, session)
    if free <= 0:
        return []
    queued = waitlist_queue(course, session)
    # Each booking promoted takes a place at least: the head's `free` are all that can be.
    candidates = list(queued if course.waitlist_fit == NEXT else queued[:free])
    grants = promotions(
        [Waiting(e.pk, e.places, e.min_places) for e in candidates], free, course.waitlist_fit
    )
    by_pk: dict[Hashable, Enrolment] = {e.pk: e for e in candidates}
    promoted = []
    for grant in grants:
        enrolment = by_pk[grant.key]
        fewer: dict[str, Any] = {}
        if grant.places < enrolment.places:
            party_trim(enrolment, grant.places, now=now)
            fewer = {"places": enrolment.places, "attending": enrolment.attending}
            fewer["min_places"] = None
        if course.waitlist_mode == WaitlistMode.OFFER:
            _move(
                enrolment,
                EnrolmentStatus.OFFERED,
                actor,
                "system",
                offer_expires_at=now + timedelta(hours=course.offer_hours),
                **fewer,
            )
            # offer_hours: the deadline counts from when the person is told (see
            # offer_deadline_extend), not from now, e.g. in the SMS quiet hours.
            signals.offer_made.send(
                sender=Enrolment, enrolment=enrolment, actor=actor, offer_hours=course.offer_hours
            )
        else:
            _move(enrolment, EnrolmentStatus.CONFIRMED, actor, "system", **fewer)
            signals.enrolment_confirmed.send(
                sender=Enrolment, enrolment=enrolment, actor=actor, promoted=True
            )
        promoted.append(enrolment)
    return promoted


# Whether an enrolment transaction is open here: one opened inside it joins it.
_enrolling: ContextVar[bool] = ContextVar("enrolling", default=False)


@contextmanager
def enrolment_transaction() -> Iterator[None]:
    """The transaction of a new enrolment (`enrolment_create_within`): its row locks waited for
    ENROLMENT_LOCK_TIMEOUT_SECONDS at most in all, and a duplicate that the database constraint
    caught (the check under the lock could not see it) refused as "already enrolled". Opened
    inside another one (the code check around an enrolment request), it joins that one: no
    savepoint, whatever fails rolls back the whole of it. Its rows go to the database together
    at its end (`courses.writes`), with its COMMIT: the person's audit entry, the code marked
    used, the enrolment and what goes with it."""
    if _enrolling.get():
        yield
        return
    token = _enrolling.set(True)
    try:
        with transaction.atomic(), lock_wait(), writes.together(commit=True):
            yield
    except IntegrityError as exc:
        raise AlreadyEnrolled(_("You are already enrolled or on the waitlist.")) from exc
    finally:
        _enrolling.reset(token)


def enrolment_create(
    *,
    course: Course,
    participant: Participant,
    session: Session | None = None,
    source: str = EnrolmentSource.WEB,
    actor: Actor = None,
    priority: int = 0,
    party: Iterable[Person | object] = (),
    attending: bool = True,
    min_places: int | None = None,
    childcare_of: Enrolment | None = None,
) -> Enrolment:
    """Enrol a person: a confirmed seat if one is free and nobody waits, else the waitlist.

    A household: `party` the people besides (or, with `attending` False, instead of) the
    booking person (`Person`s or `{name, birth_year}` items), `min_places` the fewest places
    they would accept; the booking takes all its places only when that many are free (see
    `courses.party`). Checked against the course's `max_party` and ages before anything is
    written (PartyInvalid).

    Self-enrolment (web form, anonymous API) needs a published course open for enrolment and
    the person's SMS consent; staff may enrol anyone into any course of their centre. The
    enrolment returned carries its place on the waitlist as decided (None when confirmed):
    `courses.selectors.seats.waitlist_position_when_made`."""
    with enrolment_transaction():
        return enrolment_create_within(
            course=course,
            participant=participant,
            session=session,
            source=source,
            actor=actor,
            priority=priority,
            party=party,
            attending=attending,
            min_places=min_places,
            childcare_of=childcare_of,
        )


def enrolment_create_within(
    *,
    course: Course,
    participant: Participant,
    session: Session | None = None,
    source: str = EnrolmentSource.WEB,
    actor: Actor = None,
    priority: int = 0,
    party: Iterable[Person | object] = (),
    attending: bool = True,
    min_places: int | None = None,
    childcare_of: Enrolment | None = None,
) -> Enrolment:
    """`enrolment_create` inside a transaction the caller opened with `enrolment_transaction`
    (an enrolment request adds the person in the same one).

    The course or session row is locked only for what must see the seats as they are: the
    course's booking settings read again with the lock and, in the same round trip
    (`seats_lock_and_count`), one query for the seats, the waitlist, the person's own places
    and "still open" (per course); then the enrolment, its event (and for staff its audit
    entry) and its notices. The notices' texts are prepared before the lock
    (enrolment_preparing), from the caller's copy of the course."""
    public = source in (EnrolmentSource.WEB, EnrolmentSource.API) and as_user(actor) is None
    if participant.centre_id != course.centre_id:
        raise DomainError(_("The person belongs to another centre."), field="participant")
    if public and not participant.sms_consent:
        raise ConsentRequired(
            _("Please agree to receive SMS: it is how we tell you about your place."),
            field="sms_consent",
        )
    booking = party_prepare(course, party, attending=attending, min_places=min_places)
    if course.booking_mode != BookingMode.SESSION:
        session = None
    staff = as_user(actor) is not None
    priority = priority if staff else 0
    prepared = dict(
        signals.enrolment_preparing.send(
            sender=Enrolment, course=course, session=session, participant=participant
        )
    )
    course, session, seats = seats_lock_and_count(
        course,
        session,
        participant_id=participant.pk,
        priority=priority,
        running_after=timezone.now() if session is None else None,  # "still running" by then
    )
    now = timezone.now()  # after the wait for the lock
    check_open(course, session, public=public, now=now, running=seats.running)
    if seats.mine:
        raise AlreadyEnrolled(_("You are already enrolled or on the waitlist."))
    fits = party_fits(course, session, seats, booking.places)
    status = EnrolmentStatus.CONFIRMED if fits else EnrolmentStatus.WAITLISTED
    enrolment = Enrolment(
        pk=seats.next_id,  # drawn under the lock (PostgreSQL), else the database's
        participant=participant,
        course=course,
        session=session,
        status=status,
        source=source,
        priority=priority,
        places=booking.places,
        attending=booking.attending,
        min_places=booking.least,
        childcare_of=childcare_of,
    )
    enrolment.stamp_place(now)
    # The enrolment, its event, its audit entry and its notices in one message (courses.writes).
    with writes.together():
        writes.insert([enrolment])
        _record(enrolment, "", actor, "staff" if staff else "participant")
        where = {"course": course.pk, "session": session.pk if session else None}
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CREATED,
            target=enrolment,
            centre=course.centre,
            participant=participant,
            detail={
                **where,
                "status": status,
                "source": source,
                **({"places": booking.places} if booking.places != 1 else {}),
            },
        )
        position = None if fits else seats.position()
        waitlist_position_decide(enrolment, position)
        announced = dict(sender=Enrolment, enrolment=enrolment, actor=actor, prepared=prepared)
        if fits:
            signals.enrolment_confirmed.send(**announced, promoted=False)
        else:
            signals.enrolment_waitlisted.send(**announced, position=position)
    if booking.people:  # their ids are read back (the API answers them)
        party_store(enrolment, booking.people, course=course, now=now)
    return enrolment


def _locked_enrolment(enrolment: Enrolment) -> tuple[Enrolment, Course, Session | None]:
    course, session = seats_lock(enrolment.course, enrolment.session)
    with locking():
        fresh = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("participant")
            .get(pk=enrolment.pk)
        )
    fresh.course, fresh.session = course, session
    return fresh, course, session


def enrolment_cancel(
    *, enrolment: Enrolment, actor: Actor = None, by_system: bool = False, reason: str = ""
) -> Enrolment:
    """Give up a seat or a waitlist place (the person, staff, or with `by_system` a periodic
    task), with staff's `reason` kept on the place. A freed seat goes to the head of the
    waitlist in the same transaction. Cancelling what is no longer active changes nothing.
    Staff cancellations are in the audit log (whether a reason was given, never its text)."""
    reason = clean_line(reason)[:200]
    with transaction.atomic(), lock_wait():
        enrolment, course, session = _locked_enrolment(enrolment)
        now = timezone.now()  # after the wait for the lock
        if not enrolment.is_active:
            return enrolment
        held_seat = enrolment.status in SEAT_STATUSES
        before = enrolment.status
        kind = "system" if by_system else "staff" if as_user(actor) else "participant"
        _move(enrolment, EnrolmentStatus.CANCELLED, actor, kind, cancel_reason=reason)
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CHANGED,
            target=enrolment,
            centre=course.centre,
            participant=enrolment.participant,
            detail={
                "from": before,
                "to": enrolment.status,
                **({"reason_given": True} if reason else {}),
            },
        )
        signals.enrolment_cancelled.send(sender=Enrolment, enrolment=enrolment, actor=actor)
        if held_seat:
            _promote(course, session, actor, now=now)
        if course.childcare_id:  # the children's places in the class's childcare go with it
            for care in Enrolment.objects.filter(
                childcare_of=enrolment, status__in=ACTIVE_STATUSES
            ).select_related("course", "session"):
                enrolment_cancel(enrolment=care, actor=actor, by_system=by_system, reason=reason)
    return enrolment


def waitlist_promote(
    *, course: Course, session: Session | None = None, actor: Actor = None
) -> list[Enrolment]:
    """After capacity was raised: give the new seats to the waitlist. For a course booked per
    session without a session given: every session still to come."""
    if course.booking_mode == BookingMode.SESSION and session is None:
        upcoming = course.sessions.upcoming()
        return [
            e for s in upcoming for e in waitlist_promote(course=course, session=s, actor=actor)
        ]
    with transaction.atomic(), lock_wait():
        course, session = seats_lock(course, session)
        return _promote(course, session, actor, now=timezone.now())


def enrolment_priority_set(*, enrolment: Enrolment, priority: int, actor: Actor) -> Enrolment:
    """Staff move a person up or down the waitlist (higher goes first); audited."""
    with transaction.atomic():
        enrolment.priority = priority
        enrolment.save(update_fields=["priority", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CHANGED,
            target=enrolment,
            centre=enrolment.course.centre,
            participant=enrolment.participant,
            detail={"fields": ["priority"]},
        )
    return enrolment
