"""Enrolment and waitlist services. Each owns its transaction.

Seats are counted, never cached: every change locks the course row (booking per course) or the
session row (booking per session) first, then counts the active enrolments, then writes. Locks
are taken in that one order (the course or session, then enrolments), briefly, and a lock that
cannot be had within ENROLMENT_LOCK_TIMEOUT_SECONDS becomes a clear "busy, try again" (Busy).
Database constraints back the rest: one active enrolment per person and course or session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals
from courses.audit import audit_record
from courses.errors import (
    AlreadyEnrolled,
    Busy,
    ConsentRequired,
    DomainError,
    EnrolmentClosed,
    InvalidTransition,
    SessionUnavailable,
)
from courses.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    AuditAction,
    BookingMode,
    Centre,
    Course,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    Participant,
    WaitlistMode,
)
from courses.models import new_participant_token as _new_participant_token
from courses.phones import normalise_mobile
from scheduling.models import Session, SessionStatus

Actor = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class ParticipantData:
    """What a person (or staff at the desk) gives: the phone is raw input, read in `country`."""

    name: str
    phone: str
    country: str = "PL"
    language: str = "pl"
    sms_consent: bool = False
    email: str = ""


def _staff(actor: Actor) -> AuthUser | None:
    return actor if isinstance(actor, AuthUser) and actor.is_authenticated else None


def participant_upsert(
    *, centre: Centre, data: ParticipantData, actor: Actor = None, via: str = ""
) -> Participant:
    """Find the person by phone in this centre, or add them. A repeated sign-up never makes a
    second person; it records a newly given SMS consent and the language now preferred. A
    person added by staff (`actor`) is in the audit log, with `via` (desk, api, walk_in)."""
    phone = normalise_mobile(data.phone, data.country)
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("Enter your name."), field="name")
    if data.language and data.language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Choose one of the languages offered."), field="language")
    now = timezone.now()
    with transaction.atomic():
        participant, created = Participant.objects.get_or_create(
            centre=centre,
            phone=phone,
            defaults={
                "name": name[:200],
                "language": data.language or "pl",
                "email": data.email,
                "sms_consent": data.sms_consent,
                "sms_consent_at": now if data.sms_consent else None,
            },
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.PARTICIPANT_CREATED,
                target=participant,
                centre=centre,
                participant=participant,
                detail={"via": via} if via else {},
            )
        else:
            changed = []
            if data.sms_consent and not participant.sms_consent:
                participant.sms_consent, participant.sms_consent_at = True, now
                changed += ["sms_consent", "sms_consent_at"]
            if data.language and data.language != participant.language:
                participant.language = data.language
                changed.append("language")
            if changed:
                participant.save(update_fields=[*changed, "updated_at"])
    return participant


def participant_sms_consent(*, participant: Participant, given: bool) -> Participant:
    """Give or withdraw SMS consent (as easy to withdraw as to give); announced so the outbox
    can lift a STOP given by SMS too."""
    with transaction.atomic():
        participant.sms_consent = given
        participant.sms_consent_at = timezone.now() if given else None
        participant.save(update_fields=["sms_consent", "sms_consent_at", "updated_at"])
        signals.sms_consent_changed.send(sender=Participant, participant=participant, given=given)
    return participant


def participant_new_token(*, participant: Participant) -> Participant:
    """A new personal link; the old one (page and calendar feed) stops working at once."""
    participant.token = _new_participant_token()
    participant.save(update_fields=["token", "updated_at"])
    return participant


@contextmanager
def _lock_timeout() -> Iterator[None]:
    """Inside a transaction: wait at most ENROLMENT_LOCK_TIMEOUT_SECONDS for a row lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            milliseconds = int(settings.ENROLMENT_LOCK_TIMEOUT_SECONDS * 1000)
            cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")
    try:
        yield
    except OperationalError as exc:
        if "lock" in str(exc).lower():
            raise Busy(_("Many people are enrolling right now. Please try again.")) from exc
        raise


def _lock_target(course: Course, session: Session | None) -> tuple[Course, Session | None]:
    """Lock the row whose seats are counted: the session (per-session booking) or the course."""
    if course.booking_mode == BookingMode.SESSION:
        if session is None:
            raise DomainError(_("Choose a session."), field="session")
        locked = (
            Session.objects.select_for_update(of=("self",))
            .select_related("course__centre")
            .filter(pk=session.pk, course=course)
            .first()
        )
        if locked is None:
            raise SessionUnavailable(
                _("This session does not belong to the course."), field="session"
            )
        return locked.course, locked
    locked_course = (
        Course.objects.select_for_update(of=("self",)).select_related("centre").get(pk=course.pk)
    )
    return locked_course, None


def _enrolments(course: Course, session: Session | None) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(course=course, session=session)


def capacity_of(course: Course, session: Session | None) -> int:
    return session.effective_capacity if session is not None else course.capacity


def seats_taken(course: Course, session: Session | None = None) -> int:
    return _enrolments(course, session).filter(status__in=SEAT_STATUSES).count()


def _waiting(course: Course, session: Session | None) -> QuerySet[Enrolment]:
    return (
        _enrolments(course, session)
        .filter(status=EnrolmentStatus.WAITLISTED)
        .order_by("-priority", "created_at", "id")
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the head of the waitlist; None when not waiting."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = _waiting(enrolment.course, enrolment.session).filter(
        Q(priority__gt=enrolment.priority)
        | Q(priority=enrolment.priority, created_at__lt=enrolment.created_at)
        | Q(priority=enrolment.priority, created_at=enrolment.created_at, id__lt=enrolment.pk)
    )
    return ahead.count() + 1


def _record(enrolment: Enrolment, before: str, actor: Actor, kind: str) -> None:
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=before,
        to_status=enrolment.status,
        actor=_staff(actor),
        actor_kind=kind,
    )


def _move(enrolment: Enrolment, status: str, actor: Actor, kind: str, **fields: Any) -> None:
    before = enrolment.status
    enrolment.status = status
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.save(update_fields=["status", *fields, "updated_at"])
    _record(enrolment, before, actor, kind)


def _check_open(course: Course, session: Session | None, *, public: bool, now: datetime) -> None:
    if course.booking_mode == BookingMode.OPEN:
        raise EnrolmentClosed(_("No booking is needed for this: just come."))
    if public and not course.published:
        raise EnrolmentClosed(_("This course is not open for enrolment."))
    if public and not course.enrolment_open:
        raise EnrolmentClosed(_("Enrolment for this course is closed."))
    if session is not None:
        if session.status == SessionStatus.CANCELLED:
            raise SessionUnavailable(_("This session is cancelled."), field="session")
        if session.starts_at <= now:
            raise SessionUnavailable(_("This session has already started."), field="session")
    elif not course.sessions.filter(status=SessionStatus.SCHEDULED, ends_at__gt=now).exists():
        raise EnrolmentClosed(_("This course has finished."))


def _promote(
    course: Course, session: Session | None, actor: Actor, *, now: datetime
) -> list[Enrolment]:
    """Give free seats to the head of the waitlist (the target row is already locked)."""
    free = capacity_of(course, session) - seats_taken(course, session)
    promoted = list(_waiting(course, session)[: max(free, 0)])
    for enrolment in promoted:
        if course.waitlist_mode == WaitlistMode.OFFER:
            _move(
                enrolment,
                EnrolmentStatus.OFFERED,
                actor,
                "system",
                offer_expires_at=now + timedelta(hours=course.offer_hours),
            )
            signals.offer_made.send(sender=Enrolment, enrolment=enrolment, actor=actor)
        else:
            _move(enrolment, EnrolmentStatus.CONFIRMED, actor, "system")
            signals.enrolment_confirmed.send(
                sender=Enrolment, enrolment=enrolment, actor=actor, promoted=True
            )
    return promoted


def enrolment_create(
    *,
    course: Course,
    participant: Participant,
    session: Session | None = None,
    source: str = EnrolmentSource.WEB,
    actor: Actor = None,
    priority: int = 0,
) -> Enrolment:
    """Enrol a person: a confirmed seat if one is free and nobody waits, else the waitlist.

    Self-enrolment (web form, anonymous API) needs a published course open for enrolment and
    the person's SMS consent; staff may enrol anyone into any course of their centre.
    """
    public = source in (EnrolmentSource.WEB, EnrolmentSource.API) and _staff(actor) is None
    if participant.centre_id != course.centre_id:
        raise DomainError(_("The person belongs to another centre."), field="participant")
    if public and not participant.sms_consent:
        raise ConsentRequired(
            _("Please agree to receive SMS: it is how we tell you about your place."),
            field="sms_consent",
        )
    if course.booking_mode != BookingMode.SESSION:
        session = None
    try:
        with transaction.atomic(), _lock_timeout():
            course, session = _lock_target(course, session)
            now = timezone.now()  # after the wait for the lock
            _check_open(course, session, public=public, now=now)
            if (
                _enrolments(course, session)
                .filter(participant=participant, status__in=ACTIVE_STATUSES)
                .exists()
            ):
                raise AlreadyEnrolled(_("You are already enrolled or on the waitlist."))
            free = seats_taken(course, session) < capacity_of(course, session)
            status = (
                EnrolmentStatus.CONFIRMED
                if free and not _waiting(course, session).exists()
                else EnrolmentStatus.WAITLISTED
            )
            enrolment = Enrolment.objects.create(
                participant=participant,
                course=course,
                session=session,
                status=status,
                source=source,
                priority=priority if _staff(actor) else 0,
            )
            _record(enrolment, "", actor, "staff" if _staff(actor) else "participant")
            audit_record(
                actor=actor,
                action=AuditAction.ENROLMENT_CREATED,
                target=enrolment,
                centre=course.centre,
                participant=participant,
                detail={
                    "course": course.pk,
                    "session": session.pk if session else None,
                    "status": status,
                    "source": source,
                },
            )
            if status == EnrolmentStatus.CONFIRMED:
                signals.enrolment_confirmed.send(
                    sender=Enrolment, enrolment=enrolment, actor=actor, promoted=False
                )
            else:
                signals.enrolment_waitlisted.send(
                    sender=Enrolment,
                    enrolment=enrolment,
                    actor=actor,
                    position=waitlist_position(enrolment),
                )
    except IntegrityError as exc:  # the constraint caught a duplicate the check could not see
        raise AlreadyEnrolled(_("You are already enrolled or on the waitlist.")) from exc
    return enrolment


def _locked_enrolment(enrolment: Enrolment) -> tuple[Enrolment, Course, Session | None]:
    course, session = _lock_target(enrolment.course, enrolment.session)
    fresh = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("participant")
        .get(pk=enrolment.pk)
    )
    fresh.course, fresh.session = course, session
    return fresh, course, session


def enrolment_cancel(
    *, enrolment: Enrolment, actor: Actor = None, by_system: bool = False
) -> Enrolment:
    """Give up a seat or a waitlist place (the person, staff, or with `by_system` a periodic
    task). A freed seat goes to the head of the waitlist in the same transaction. Cancelling
    what is no longer active changes nothing. Staff cancellations are in the audit log."""
    with transaction.atomic(), _lock_timeout():
        enrolment, course, session = _locked_enrolment(enrolment)
        now = timezone.now()  # after the wait for the lock
        if not enrolment.is_active:
            return enrolment
        held_seat = enrolment.status in SEAT_STATUSES
        before = enrolment.status
        kind = "system" if by_system else "staff" if _staff(actor) else "participant"
        _move(enrolment, EnrolmentStatus.CANCELLED, actor, kind)
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CHANGED,
            target=enrolment,
            centre=course.centre,
            participant=enrolment.participant,
            detail={"from": before, "to": enrolment.status},
        )
        signals.enrolment_cancelled.send(sender=Enrolment, enrolment=enrolment, actor=actor)
        if held_seat:
            _promote(course, session, actor, now=now)
    return enrolment


def offer_accept(*, enrolment: Enrolment, actor: Actor = None) -> Enrolment:
    with transaction.atomic(), _lock_timeout():
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
    with transaction.atomic(), _lock_timeout():
        enrolment, course, session = _locked_enrolment(enrolment)
        now = timezone.now()  # after the wait for the lock
        if enrolment.status != EnrolmentStatus.OFFERED:
            raise InvalidTransition(_("There is no open offer to decline."))
        _move(enrolment, EnrolmentStatus.DECLINED, actor, "participant", offer_expires_at=None)
        _promote(course, session, actor, now=now)
    return enrolment


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
        with transaction.atomic(), _lock_timeout():
            fresh, course, session = _locked_enrolment(enrolment)
            if (
                fresh.status == EnrolmentStatus.OFFERED
                and fresh.offer_expires_at
                and fresh.offer_expires_at <= now
            ):
                _expire(fresh, course, session, now=now)
                expired += 1
    return expired


def waitlist_promote(
    *, course: Course, session: Session | None = None, actor: Actor = None
) -> list[Enrolment]:
    """After capacity was raised: give the new seats to the waitlist. For a course booked per
    session without a session given: every session still to come."""
    if course.booking_mode == BookingMode.SESSION and session is None:
        upcoming = course.sessions.filter(
            status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        return [
            e for s in upcoming for e in waitlist_promote(course=course, session=s, actor=actor)
        ]
    with transaction.atomic(), _lock_timeout():
        course, session = _lock_target(course, session)
        return _promote(course, session, actor, now=timezone.now())
