"""Planning the SMS about appointments into the outbox, within the transaction of the change
(the receivers of `appointments.signals`): the confirmation, one reminder per hour of the
course's `reminder_hours`, the notice of a move or a cancellation, the freed slot booked from
the day's waitlist. Each is keyed by its appointment (and, for reminders and moves, the time it
is about): planned twice, it is kept once; the dispatcher checks the appointment is still
booked, at that time, before sending (`dispatch._why_not`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.models import Appointment
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services.planning import HOURS_BEFORE, reminder_due, sending_time
from notifications.texts import _title

# Reminders and notices about an appointment still to come; a cancelled one cancels them.
PENDING_KINDS = (
    MessageKind.APPOINTMENT_REMINDER,
    MessageKind.APPOINTMENT_BOOKED,
    MessageKind.APPOINTMENT_MOVED,
    MessageKind.APPOINTMENT_OFFERED,
)


def appointment_context(appointment: Appointment) -> dict[str, Any]:
    """What the texts need, kept as JSON in the outbox (`texts_appointments`)."""
    course = appointment.course
    session = appointment.session
    venue = session.venue or course.venue
    return {
        "course_id": course.pk,
        "appointment_id": appointment.pk,
        "sensitive": course.sensitive,
        "title": {lang: _title(course, lang) for lang, _name in settings.LANGUAGES},
        "centre": course.centre.name,
        "place": ", ".join(p for p in (venue.name, venue.address) if p) if venue else "",
        "starts_at": appointment.starts_at.isoformat(),
        "tz": str(course.centre.tz),
        "mode": appointment.mode,
        "interpreter": appointment.interpreter_id is not None,
        "link": settings.PUBLIC_BASE_URL + appointment.participant.get_absolute_url(),
    }


def _key(kind: str, appointment: Appointment, variant: str = "") -> str:
    return f"{kind}:a{appointment.pk}:{variant}"


def revision(appointment: Appointment) -> str:
    """The appointment's time as last set (its start and the moment of the change): a move there
    and back again is a new revision, with its own notice and reminders."""
    changed = appointment.updated_at.isoformat() if appointment.updated_at else ""
    return f"{appointment.starts_at.isoformat()}@{changed}"


def appointment_notice_plan(
    *,
    kind: str,
    appointment: Appointment,
    variant: str = "",
    due_at: datetime | None = None,
) -> OutboundMessage | None:
    """A notice about `appointment`, sent at once (or at `due_at`); nothing without consent,
    nothing twice for the same key."""
    participant = appointment.participant
    if not participant.sms_consent or participant.erased_at is not None:
        return None
    ends = None if kind == MessageKind.APPOINTMENT_CANCELLED else appointment.starts_at
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(
                kind=kind,
                participant=participant,
                appointment=appointment,
                session=appointment.session,
                dedupe_key=_key(kind, appointment, variant),
                due_at=due_at or timezone.now(),
                expires_at=ends,
                context=appointment_context(appointment),
            )
    except IntegrityError:
        return None


def appointment_reminders_plan(appointment: Appointment, *, now: datetime | None = None) -> int:
    """One reminder per hour of the course's `reminder_hours` whose time is still to come
    (moved earlier out of the quiet hours); keyed by the appointment's revision, so a moved
    appointment gets its own. Returns how many were planned."""
    participant = appointment.participant
    now = now or timezone.now()
    if not participant.sms_consent or appointment.starts_at <= now:
        return 0
    tz = appointment.course.centre.tz
    context = appointment_context(appointment)
    when = revision(appointment)
    rows = []
    for hours in appointment.course.reminder_offsets:
        due = reminder_due(appointment.starts_at, hours, tz)
        if due <= now:  # booked later than that: the confirmation says it all
            continue
        rows.append(
            OutboundMessage(
                kind=MessageKind.APPOINTMENT_REMINDER,
                participant=participant,
                appointment=appointment,
                session=appointment.session,
                dedupe_key=_key(MessageKind.APPOINTMENT_REMINDER, appointment, f"{hours}h:{when}"),
                due_at=due,
                expires_at=appointment.starts_at,
                context={**context, HOURS_BEFORE: hours},
            )
        )
    if not rows:
        return 0
    known = set(
        OutboundMessage.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [r for r in rows if r.dedupe_key not in known]
    OutboundMessage.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def appointment_pending_cancel(appointment: Appointment) -> int:
    """The reminders and notices of `appointment` not sent yet: no longer wanted (it was
    cancelled, or moved: the new time gets its own)."""
    return OutboundMessage.objects.filter(
        appointment=appointment, status=MessageStatus.PENDING, kind__in=PENDING_KINDS
    ).update(status=MessageStatus.CANCELLED, status_changed_at=timezone.now())


def offer_due(appointment: Appointment) -> datetime:
    """A freed slot booked during the night is told in the morning (the quiet hours)."""
    return sending_time(timezone.now(), appointment.course.centre.tz)
