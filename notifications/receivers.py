"""Every event the core announces that someone should hear about, in one place. Each receiver
runs inside the transaction of the change, so its outbox rows commit (or not) with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from appointments import signals as appointment_signals
from appointments.models import Appointment
from courses import signals as enrolment_signals
from courses.models import ACTIVE_STATUSES, Course, Enrolment, Participant, PhoneVerification
from courses.services import offers as enrolment_offers
from notifications.models import MessageKind
from notifications.selectors import told_for
from notifications.services import appointments, demo, optout, planning, privacy
from scheduling import signals as session_signals
from scheduling.models import Session


@receiver(enrolment_signals.enrolment_preparing)
def on_preparing(
    sender: Any, course: Course, session: Session | None, participant: Participant, **kwargs: Any
) -> planning.Prepared:
    """A new enrolment's texts, made before its course or session row is locked."""
    return planning.enrolment_notices_prepare(
        course=course, session=session, participant=participant
    )


def _prepared(kwargs: dict[str, Any]) -> planning.Prepared | None:
    return (kwargs.get("prepared") or {}).get(on_preparing)


@receiver(enrolment_signals.enrolment_confirmed)
def on_confirmed(sender: Any, enrolment: Enrolment, promoted: bool = False, **kwargs: Any) -> None:
    kind = MessageKind.PROMOTED if promoted else MessageKind.ENROLMENT_CONFIRMED
    prepared = _prepared(kwargs)
    if prepared is not None:
        planning.enrolment_notices_plan(prepared, kind=kind, enrolment=enrolment)
        return
    planning.notice_plan(kind=kind, enrolment=enrolment)
    planning.enrolment_reminders_plan(enrolment)


@receiver(enrolment_signals.enrolment_waitlisted)
def on_waitlisted(
    sender: Any, enrolment: Enrolment, position: int | None = None, **kwargs: Any
) -> None:
    kind = MessageKind.WAITLISTED
    prepared = _prepared(kwargs)
    if prepared is not None:
        planning.enrolment_notices_plan(prepared, kind=kind, enrolment=enrolment, position=position)
        return
    planning.notice_plan(kind=kind, enrolment=enrolment, position=position)


@receiver(enrolment_signals.offer_made)
def on_offer_made(
    sender: Any, enrolment: Enrolment, offer_hours: int | None = None, **kwargs: Any
) -> None:
    """The offer's SMS goes when quiet hours allow; an offer of `offer_hours` counts from then
    (the deadline is moved to the morning now, and to the moment of sending by the
    dispatcher), so it never runs out during the night."""
    now = timezone.now()
    due = planning.sending_time(now, enrolment.course.centre.tz)
    if offer_hours and due > now and enrolment.participant.sms_consent:
        enrolment_offers.offer_deadline_extend(
            enrolment=enrolment, until=due + timedelta(hours=offer_hours)
        )
    planning.notice_plan(
        kind=MessageKind.OFFER_MADE,
        enrolment=enrolment,
        variant=enrolment.offer_expires_at.isoformat() if enrolment.offer_expires_at else "",
        expires_at=enrolment.offer_expires_at,
        due_at=due,
        offer_hours=offer_hours,
        offer_until=enrolment.offer_expires_at,
    )


@receiver(enrolment_signals.offer_expired)
def on_offer_expired(sender: Any, enrolment: Enrolment, **kwargs: Any) -> None:
    planning.notice_plan(kind=MessageKind.OFFER_EXPIRED, enrolment=enrolment)


@receiver(enrolment_signals.enrolment_cancelled)
def on_cancelled(sender: Any, enrolment: Enrolment, **kwargs: Any) -> None:
    planning.pending_cancel(enrolment=enrolment)


@receiver(session_signals.session_cancelled)
def on_session_cancelled(
    sender: Any, session: Session, quiet: bool = False, note_in_sms: bool = False, **kwargs: Any
) -> None:
    planning.pending_cancel(session=session)
    if quiet:
        return
    for enrolment in told_for(session):
        planning.notice_plan(
            kind=MessageKind.SESSION_CANCELLED,
            enrolment=enrolment,
            session=session,
            variant=str(session.sequence),
            expires_at=session.starts_at,
            note=session.note if note_in_sms else "",
        )


@receiver(session_signals.session_moved)
def on_session_moved(
    sender: Any,
    session: Session,
    previous_starts_at: Any = None,
    note_in_sms: bool = False,
    **kwargs: Any,
) -> None:
    planning.session_reminders_replan(session)
    for enrolment in told_for(session):
        planning.notice_plan(
            kind=MessageKind.SESSION_MOVED,
            enrolment=enrolment,
            session=session,
            variant=str(session.sequence),
            expires_at=session.starts_at,
            previous_start=previous_starts_at,
            note=session.note if note_in_sms else "",
        )


@receiver(session_signals.sessions_rescheduled)
def on_sessions_rescheduled(sender: Any, sessions: list[Session], **kwargs: Any) -> None:
    """The course's time changed: pending reminders follow its sessions (nobody is told)."""
    planning.sessions_reminders_replan(sessions)


@receiver(session_signals.session_restored)
def on_session_restored(sender: Any, session: Session, **kwargs: Any) -> None:
    planning.reminders_plan(sessions=[session])


@receiver(enrolment_signals.sms_consent_changed)
def on_sms_consent_changed(
    sender: Any, participant: Participant, given: bool, **kwargs: Any
) -> None:
    if given:
        optout.phone_opt_in(phone=participant.phone)


@receiver(enrolment_signals.course_cancelled)
def on_course_cancelled(sender: Any, course: Course, **kwargs: Any) -> None:
    for enrolment in course.enrolments.filter(status__in=ACTIVE_STATUSES).select_related(
        "participant", "course__centre", "course__venue"
    ):
        planning.notice_plan(kind=MessageKind.COURSE_CANCELLED, enrolment=enrolment)


@receiver(enrolment_signals.participant_erased)
def on_participant_erased(sender: Any, participant: Participant, **kwargs: Any) -> None:
    privacy.participant_messages_redact(participant=participant)


@receiver(enrolment_signals.participant_export_requested)
def on_export_requested(sender: Any, participant: Participant, **kwargs: Any) -> dict[str, Any]:
    """The person's SMS and whether their number is on the opt-out list."""
    return privacy.participant_messages_export(participant=participant)


@receiver(enrolment_signals.verification_code_requested)
def on_code_requested(
    sender: Any, verification: PhoneVerification, code: str, **kwargs: Any
) -> None:
    planning.code_plan(verification=verification, code=code)


@receiver(enrolment_signals.demo_loaded)
def on_demo_loaded(sender: Any, participant_ids: list[int], **kwargs: Any) -> None:
    demo.demo_outbox_settle(participant_ids=participant_ids)


@receiver(appointment_signals.appointment_booked)
def on_appointment_booked(sender: Any, appointment: Appointment, **kwargs: Any) -> None:
    appointments.appointment_notice_plan(
        kind=MessageKind.APPOINTMENT_BOOKED, appointment=appointment
    )
    appointments.appointment_reminders_plan(appointment)


@receiver(appointment_signals.appointment_moved)
def on_appointment_moved(sender: Any, appointment: Appointment, **kwargs: Any) -> None:
    """The old time's reminders (and a confirmation not sent yet) go; the new time is told."""
    appointments.appointment_pending_cancel(appointment)
    appointments.appointment_notice_plan(
        kind=MessageKind.APPOINTMENT_MOVED,
        appointment=appointment,
        variant=appointments.revision(appointment),
    )
    appointments.appointment_reminders_plan(appointment)


@receiver(appointment_signals.appointment_cancelled)
def on_appointment_cancelled(sender: Any, appointment: Appointment, **kwargs: Any) -> None:
    """Told also when the person cancelled it themselves: the SMS reaches the phone's owner
    whoever used the personal link."""
    appointments.appointment_pending_cancel(appointment)
    appointments.appointment_notice_plan(
        kind=MessageKind.APPOINTMENT_CANCELLED, appointment=appointment
    )


@receiver(appointment_signals.appointment_offered)
def on_appointment_offered(sender: Any, appointment: Appointment, **kwargs: Any) -> None:
    """A freed slot booked for the first person waiting for that day: told when quiet hours
    allow, then reminded like any booking."""
    appointments.appointment_notice_plan(
        kind=MessageKind.APPOINTMENT_OFFERED,
        appointment=appointment,
        due_at=appointments.offer_due(appointment),
    )
    appointments.appointment_reminders_plan(appointment)
