"""The day waitlist: when a specialist's day is full in a person's language, they wait for that
day; the first slot freed that day (a cancel, a move away, a slot freed by staff) is booked at
once for the first person waiting who can have it: whose language the specialist speaks or an
interpreter free then covers. Booked, not offered for a time: the person asked for any slot of
that day, so holding the slot for an answer would only leave it empty; the SMS tells them the
time, and their page lets them cancel or move it like any booking. A slot already inside the
booking cutoff is not given out (too late to be told and come)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments import signals
from appointments.errors import AppointmentClosed, InterpreterUnavailable, LanguageUnavailable
from appointments.models import (
    Appointment,
    AppointmentSource,
    AppointmentStatus,
    DayWaitlistEntry,
    DayWaitlistStatus,
)
from appointments.selectors.slots import free_slots
from appointments.services import checks
from appointments.slots import Span, timing_refusal
from courses.errors import DomainError, WrongCentre
from courses.models import BookingMode, Participant
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.services.enrolment_request import is_staff_of
from courses.services.locking import lock_wait
from scheduling.models import Session, SessionStatus

CHANNELS = {
    "web": AppointmentSource.WEB,
    "api": AppointmentSource.API,
    "desk": AppointmentSource.STAFF,
}


def day_waitlist_join(
    *,
    session: Session,
    participant: Participant,
    language: str,
    actor: Actor = None,
    channel: str = "web",
) -> DayWaitlistEntry:
    """Put a person (proven: staff, or their own link) on the waitlist of a full day. Refused
    while the day still has a free slot in their language (they book it instead) and when the
    day has passed; joining twice gives the same place."""
    course = session.course
    staff = is_staff_of(actor, course)
    language = checks.check_language(language)
    if participant.centre_id != course.centre_id:
        raise WrongCentre(_("The person belongs to another centre."), field="participant")
    now = timezone.now()
    if (
        course.booking_mode != BookingMode.SLOTS
        or session.status == SessionStatus.CANCELLED
        or session.ends_at <= now
    ):
        raise AppointmentClosed(_("There is no waitlist for this day."))
    if free_slots(
        courses=[course], language=language, start=session.starts_at, end=session.ends_at
    ):
        raise DomainError(_("This day still has free slots: please book one."), field="session")
    source = CHANNELS.get(channel, AppointmentSource.WEB)
    if not staff and source == AppointmentSource.STAFF:
        source = AppointmentSource.WEB
    with transaction.atomic():
        existing = DayWaitlistEntry.objects.filter(
            session=session, participant=participant, status=DayWaitlistStatus.WAITING
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                entry = DayWaitlistEntry.objects.create(
                    session=session,
                    participant=participant,
                    language=language,
                    source=source,
                )
        except IntegrityError:  # joined at the same moment from another tab
            return DayWaitlistEntry.objects.get(
                session=session, participant=participant, status=DayWaitlistStatus.WAITING
            )
        audit_record(
            actor=actor if staff else None,
            action="appointment.waitlist_joined",
            target=entry,
            centre=course.centre,
            participant=participant,
            detail={"language": language},
        )
    return entry


def day_waitlist_leave(*, entry: DayWaitlistEntry, actor: Actor = None) -> DayWaitlistEntry:
    """Leave the day's waitlist (the person from their page, or staff)."""
    with transaction.atomic():
        entry = DayWaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == DayWaitlistStatus.WAITING:
            entry.status = DayWaitlistStatus.CANCELLED
            entry.save(update_fields=["status", "updated_at"])
    return entry


def waitlist_offer(
    *, session: Session, span: Span, now: datetime | None = None
) -> Appointment | None:
    """Inside the transaction that freed the slot `span` of `session` (its row locked): book it
    for the first person waiting for that day whose language can be served then. Nothing when
    the slot is past or inside the cutoff, blocked, or nobody waiting can have it."""
    now = now or timezone.now()
    course = session.course
    if timing_refusal(span[0], now, 10**4, course.booking_cutoff_hours) is not None:
        return None
    waiting = list(
        DayWaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("participant")
        .filter(session=session, status=DayWaitlistStatus.WAITING)
        .order_by("created_at", "pk")
    )
    if not waiting:
        return None
    try:
        checks.check_slot(session, span[0], staff=True, now=now)
    except DomainError:  # blocked, or taken again meanwhile
        return None
    for entry in waiting:
        try:
            with transaction.atomic():
                interpreter = checks.choose_interpreter(course, span, entry.language)
                appointment = Appointment.objects.create(
                    course=course,
                    session=session,
                    starts_at=span[0],
                    ends_at=span[1],
                    participant=entry.participant,
                    language=entry.language,
                    interpreter=interpreter,
                    mode=course.appointment_mode,
                    source=AppointmentSource.WAITLIST,
                    status=AppointmentStatus.BOOKED,
                )
        except (LanguageUnavailable, InterpreterUnavailable):
            continue
        entry.status = DayWaitlistStatus.BOOKED
        entry.appointment = appointment
        entry.offered_at = now
        entry.save(update_fields=["status", "appointment", "offered_at", "updated_at"])
        audit_record(
            actor=None,
            action="appointment.waitlist_booked",
            target=appointment,
            centre=course.centre,
            participant=entry.participant,
            system=True,
            detail={"entry": entry.pk},
        )
        signals.appointment_offered.send(
            sender=Appointment, appointment=appointment, entry=entry, actor=None
        )
        return appointment
    return None


def day_waitlist_expire(*, now: datetime | None = None) -> int:
    """Close the waiting entries of days that have ended (a periodic task may call it)."""
    now = now or timezone.now()
    with transaction.atomic(), lock_wait():
        return DayWaitlistEntry.objects.filter(
            status=DayWaitlistStatus.WAITING, session__ends_at__lte=now
        ).update(status=DayWaitlistStatus.EXPIRED, updated_at=now)
