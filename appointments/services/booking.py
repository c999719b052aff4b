"""Booking, cancelling, moving and marking appointments.

A booking reserves the slot and (when the specialist does not speak the language) an
interpreter in one transaction, under the locks of `appointments.services.checks`: the session
row, then the candidate interpreters' rows, so that neither a slot nor an interpreter is ever
booked twice. The partial unique constraint `appointment_one_per_slot` is the last guard: an
insert that still collides becomes the same clean `slot_taken` refusal. A freed slot (cancel,
move) goes to the first person on that day's waitlist (`appointments.services.waitlist`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments import signals
from appointments.errors import AlreadyBooked, AppointmentClosed, SlotTaken
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentSource,
    AppointmentStatus,
    DayWaitlistEntry,
    DayWaitlistStatus,
)
from appointments.services import checks
from appointments.services.waitlist import waitlist_offer
from courses.errors import DomainError, EnrolmentClosed, PhoneNotVerified, WrongCentre
from courses.models import AppointmentMode, ConsentSource, Course, Participant
from courses.selectors.tenancy import Actor, as_user
from courses.services.audit import audit_record
from courses.services.enrolment_request import is_staff_of
from courses.services.locking import lock_wait
from courses.services.participants import ParticipantData, participant_upsert
from scheduling.models import Session

# Where a booking comes from: the public pages, the API, or staff at the desk.
CHANNELS = {
    "web": AppointmentSource.WEB,
    "api": AppointmentSource.API,
    "desk": AppointmentSource.STAFF,
}


def _slot_taken() -> SlotTaken:
    return SlotTaken(
        _("Someone has just booked this slot. Please choose another."), field="starts_at"
    )


def _insert(appointment: Appointment) -> None:
    """Save in a savepoint: a collision with the one-per-slot constraint is `slot_taken`."""
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        if "appointment_one_per_slot" in str(exc) or "UNIQUE" in str(exc).upper():
            raise _slot_taken() from exc
        raise


def _person_for(
    course: Course,
    person: ParticipantData | None,
    participant: Participant | None,
    *,
    staff: bool,
    actor: Actor,
    channel: str,
) -> Participant:
    if participant is not None:
        if participant.centre_id != course.centre_id or participant.erased_at is not None:
            raise WrongCentre(_("The person belongs to another centre."), field="participant")
        return participant
    if person is None:
        raise DomainError(_("Enter the person's name and phone."), field="participant")
    if person.sms_consent and not person.consent_source:
        given = ConsentSource.API_STAFF if channel == "api" else ConsentSource.DESK
        person = replace(person, consent_source=given)
    return participant_upsert(
        centre=course.centre,
        data=person,
        actor=actor if staff else None,
        via=channel if staff else "",
    )


def appointment_book(
    *,
    course: Course,
    starts_at: datetime,
    language: str,
    person: ParticipantData | None = None,
    participant: Participant | None = None,
    actor: Actor = None,
    channel: str = "web",
    verified: bool = False,
    mode: str = "",
    note: str = "",
    source: str = "",
) -> Appointment:
    """Book the slot of `course` starting at `starts_at` for a person, in `language`.

    Staff of the course's centre book at the desk or through the API (beyond the booking
    window and after the cutoff too, never in the past); anyone else books a published course
    for themselves, with the phone proven (`verified`: `appointments.services.requests`, or
    the person's own link: pass `participant`), one appointment a day with the specialist. The
    person is found by phone in the centre or added (`person`), or given (`participant`)."""
    staff = is_staff_of(actor, course)
    if not staff and not verified:
        raise PhoneNotVerified(_("Please confirm your phone number with the code we send."))
    if not staff and not course.published:
        raise EnrolmentClosed(_("This course is not open for enrolment."))
    language = checks.check_language(language)
    found = checks.session_at(course, starts_at)
    now = timezone.now()
    by = actor if staff else None
    with transaction.atomic(), lock_wait():
        locked = checks.lock_sessions([found.pk]).get(found.pk) if found is not None else None
        session, span = checks.check_slot(locked, starts_at, staff=staff, now=now)
        course = session.course
        interpreter = checks.choose_interpreter(course, span, language)
        kind = source or CHANNELS.get(channel, AppointmentSource.WEB)
        if not staff and kind == AppointmentSource.STAFF:
            kind = AppointmentSource.WEB
        who = _person_for(course, person, participant, staff=staff, actor=actor, channel=channel)
        if (
            not staff
            and Appointment.objects.filter(
                session=session, participant=who, status=AppointmentStatus.BOOKED
            ).exists()
        ):
            raise AlreadyBooked(_("You already have an appointment that day."))
        appointment = Appointment(
            course=course,
            session=session,
            starts_at=span[0],
            ends_at=span[1],
            participant=who,
            language=language,
            interpreter=interpreter,
            mode=mode if mode in AppointmentMode.values else course.appointment_mode,
            source=kind,
            booked_by=as_user(by),
            note=note if staff else "",
        )
        _insert(appointment)
        DayWaitlistEntry.objects.filter(
            session=session, participant=who, status=DayWaitlistStatus.WAITING
        ).update(status=DayWaitlistStatus.BOOKED, appointment=appointment, updated_at=now)
        audit_record(
            actor=by,
            action="appointment.booked",
            target=appointment,
            centre=course.centre,
            participant=who,
            detail={"language": language, "interpreter": interpreter is not None},
        )
        signals.appointment_booked.send(sender=Appointment, appointment=appointment, actor=by)
    return appointment


def _locked(
    appointment: Appointment, extra_sessions: tuple[int, ...] = ()
) -> tuple[dict[int, Session], Appointment]:
    """Lock the appointment's session (and `extra_sessions`), then the appointment itself."""
    sessions = checks.lock_sessions([appointment.session_id, *extra_sessions])
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("course__centre", "session", "participant", "interpreter")
        .get(pk=appointment.pk)
    )
    return sessions, locked


def _staff_or_person(appointment: Appointment, actor: Actor, by_person: bool) -> Actor:
    """The acting staff member, or None for the person themselves (their own link)."""
    if by_person:
        return None
    if not is_staff_of(actor, appointment.course):
        raise WrongCentre(_("This appointment belongs to another centre."))
    return actor


def appointment_cancel(
    *, appointment: Appointment, actor: Actor = None, reason: str = "", by_person: bool = False
) -> Appointment:
    """Cancel a booked appointment (the person from their page before it starts, or staff of
    its centre); the freed slot goes to the first person waiting for that day who can have it."""
    by = _staff_or_person(appointment, actor, by_person)
    now = timezone.now()
    with transaction.atomic(), lock_wait():
        _sessions, appointment = _locked(appointment)
        if appointment.status != AppointmentStatus.BOOKED:
            raise AppointmentClosed(_("This appointment is no longer booked."))
        if by_person and appointment.starts_at <= now:
            raise AppointmentClosed(_("This appointment has already started."))
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.cancel_reason = (reason or "")[:200]
        appointment.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        audit_record(
            actor=by,
            action="appointment.cancelled",
            target=appointment,
            centre=appointment.course.centre,
            participant=appointment.participant,
            detail={"reason": appointment.cancel_reason} if appointment.cancel_reason else {},
        )
        signals.appointment_cancelled.send(
            sender=Appointment, appointment=appointment, actor=by, reason=appointment.cancel_reason
        )
        waitlist_offer(
            session=appointment.session,
            span=(appointment.starts_at, appointment.ends_at),
            now=now,
        )
    return appointment


def appointment_move(
    *, appointment: Appointment, starts_at: datetime, actor: Actor = None, by_person: bool = False
) -> Appointment:
    """Move a booked appointment to another free slot of the same course, in one transaction:
    the new slot (and its interpreter) is taken and the old one freed together, or nothing
    changes. The person keeps their interpreter when they are free then."""
    by = _staff_or_person(appointment, actor, by_person)
    staff = by is not None
    now = timezone.now()
    found = checks.session_at(appointment.course, starts_at)
    with transaction.atomic(), lock_wait():
        extra = (found.pk,) if found is not None else ()
        sessions, appointment = _locked(appointment, extra)
        if appointment.status != AppointmentStatus.BOOKED:
            raise AppointmentClosed(_("This appointment is no longer booked."))
        if by_person and appointment.starts_at <= now:
            raise AppointmentClosed(_("This appointment has already started."))
        locked = sessions.get(found.pk) if found is not None else None
        session, span = checks.check_slot(
            locked, starts_at, staff=staff, now=now, exclude=appointment
        )
        interpreter = checks.choose_interpreter(
            appointment.course,
            span,
            appointment.language,
            exclude=appointment,
            prefer=appointment.interpreter_id,
        )
        old_session, old_span = appointment.session, (appointment.starts_at, appointment.ends_at)
        appointment.session, appointment.starts_at, appointment.ends_at = session, span[0], span[1]
        appointment.interpreter = interpreter
        try:
            with transaction.atomic():
                appointment.save(
                    update_fields=["session", "starts_at", "ends_at", "interpreter", "updated_at"]
                )
        except IntegrityError as exc:
            raise _slot_taken() from exc
        audit_record(
            actor=by,
            action="appointment.moved",
            target=appointment,
            centre=appointment.course.centre,
            participant=appointment.participant,
            detail={"from": old_span[0].isoformat(), "to": span[0].isoformat()},
        )
        signals.appointment_moved.send(
            sender=Appointment,
            appointment=appointment,
            actor=by,
            previous_starts_at=old_span[0],
            previous_ends_at=old_span[1],
        )
        waitlist_offer(session=old_session, span=old_span, now=now)
    return appointment


def appointment_mark(*, appointment: Appointment, status: str, actor: Actor) -> Appointment:
    """Staff mark an appointment attended or not come (once its slot has started); marking
    again changes the mark. Counted as attendance in reports."""
    if status not in (
        AppointmentStatus.ATTENDED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.BOOKED,
    ):
        raise DomainError(_("Choose attended or did not come."), field="status")
    by = _staff_or_person(appointment, actor, by_person=False)
    now = timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("course__centre", "participant")
            .get(pk=appointment.pk)
        )
        if appointment.status not in ACTIVE_STATUSES:
            raise AppointmentClosed(_("This appointment is cancelled."))
        if appointment.starts_at > now:
            raise AppointmentClosed(_("This appointment has not started yet."))
        previous = appointment.status
        appointment.status = status
        appointment.marked_at = now if status != AppointmentStatus.BOOKED else None
        appointment.save(update_fields=["status", "marked_at", "updated_at"])
        audit_record(
            actor=by,
            action="appointment.marked",
            target=appointment,
            centre=appointment.course.centre,
            participant=appointment.participant,
            detail={"from": previous, "to": status},
        )
    return appointment
