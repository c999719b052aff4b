"""Planning notices and reminders into the outbox (within the caller's transaction), quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, cast

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from courses import writes
from courses.compiled import compiled
from courses.models import BookingMode, Enrolment, EnrolmentStatus, Participant, PhoneVerification
from courses.selectors.personal import next_sessions
from notifications import texts
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.selectors import childcare_course_ids, told_for
from scheduling import rules
from scheduling.models import Session, SessionStatus

PLAN_AHEAD = timedelta(days=15)  # reminders are planned for sessions starting this soon
HOURS_BEFORE = "hours_before"  # a reminder's offset, kept in its context when it is planned
OFFER_HOURS = "offer_hours"  # an offer's hours, counted from the sending (kept in its context)
# Notices that tell the place's first session (the next one of a course booked as a whole).
FIRST_SESSION_KINDS = (
    MessageKind.ENROLMENT_CONFIRMED,
    MessageKind.PROMOTED,
    MessageKind.OFFER_MADE,
)


def _key(
    kind: str,
    *,
    enrolment: Enrolment | None,
    participant: Participant,
    session: Session | None,
    variant: str = "",
) -> str:
    who = f"e{enrolment.pk}" if enrolment is not None else f"p{participant.pk}"
    return f"{kind}:{who}:s{session.pk if session else '-'}:{variant}"


def code_plan(*, verification: PhoneVerification, code: str) -> OutboundMessage:
    """The SMS with a one-time code, to the number being proven (nobody is known yet); sent as
    soon as the request commits, not at the dispatcher's next minute."""
    message = OutboundMessage.objects.create(
        kind=MessageKind.VERIFICATION_CODE,
        verification=verification,
        phone=verification.phone,
        dedupe_key=f"{MessageKind.VERIFICATION_CODE}:v{verification.pk}",
        due_at=timezone.now(),
        expires_at=verification.expires_at,
        context={"code": code, "language": verification.language},
    )
    # robust: the code is in the outbox, so a broker that cannot be reached must not fail the
    # request (the person would ask again and again); the dispatcher's next pass sends it.
    transaction.on_commit(
        lambda: current_app.send_task("notifications.tasks.dispatch"), robust=True
    )
    return message


def notice_plan(
    *,
    kind: str,
    enrolment: Enrolment,
    session: Session | None = None,
    variant: str = "",
    expires_at: datetime | None = None,
    due_at: datetime | None = None,
    offer_hours: int | None = None,
    **context: Any,
) -> None:
    """Plan a notice to send right away, or at `due_at` (within the caller's transaction).
    Nothing for people without SMS consent; nothing twice for the same key. A confirmation,
    promotion or offer of a place in a whole course tells its next session. `offer_hours`: an
    offer whose deadline counts from the sending (the dispatcher moves it then)."""
    participant = enrolment.participant
    if not participant.sms_consent:
        return None
    session = session if session is not None else enrolment.session
    key = _key(kind, enrolment=enrolment, participant=participant, session=session, variant=variant)
    now = timezone.now()
    first = None
    if session is None and kind in FIRST_SESSION_KINDS:
        first = next_sessions([enrolment.course_id], now=now).get(enrolment.course_id)
    ctx = texts.message_context(
        course=enrolment.course,
        session=session,
        participant=participant,
        first_session=first,
        places=enrolment.places,
        **context,
    )
    if offer_hours:
        ctx[OFFER_HOURS] = offer_hours
    # One INSERT ... ON CONFLICT DO NOTHING: no savepoint for a key planned already.
    OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                kind=kind,
                participant=participant,
                enrolment=enrolment,
                session=session,
                dedupe_key=key,
                due_at=due_at or now,
                expires_at=expires_at,
                context=ctx,
            )
        ],
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class Prepared:
    """A new enrolment's notices, made ready before its seat is decided (while nothing is
    locked): the text's context with and without the first session, and the reminders' sessions
    with theirs. None of it decides anything; the dispatcher checks a session again on sending."""

    contexts: dict[bool, dict[str, Any]]  # by "tells the first session"; none: no SMS consent
    first_session: Session | None = None
    reminders: list[tuple[Session, dict[str, Any]]] = field(default_factory=list)


def _coming(
    course: int, now: datetime, soon: datetime, session: int | None = None
) -> QuerySet[Session]:
    """In one query: the course's sessions still to come up to `soon`, and the first one."""
    coming = Session.objects.filter(
        course=course, status=SessionStatus.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at", "pk")
    if session is not None:
        coming = coming.filter(pk=session)
    first_pk = coming.values("pk")[:1]
    return coming.filter(Q(starts_at__lte=soon) | Q(pk=Subquery(first_pk))).select_related("venue")


def _coming_one(course: int, session: int, now: datetime, soon: datetime) -> QuerySet[Session]:
    """`_coming` of one session of a course booked per session."""
    return _coming(course, now, soon, session=session)


def enrolment_notices_prepare(
    *, course: Any, session: Session | None, participant: Participant, now: datetime | None = None
) -> Prepared:
    """What `enrolment_notices_plan` inserts once the place is decided."""
    if not participant.sms_consent:
        return Prepared(contexts={})
    now = now or timezone.now()
    # The sessions to remind of, and the first one (the texts tell it), compiled once.
    read = cast(
        list[Session],
        compiled(_coming, course=course.pk, now=now, soon=now + PLAN_AHEAD)
        if session is None
        else compiled(
            _coming_one, course=course.pk, session=session.pk, now=now, soon=now + PLAN_AHEAD
        ),
    )
    soon = [s for s in read if s.starts_at <= now + PLAN_AHEAD]
    first = read[0] if read and session is None else None
    people = {"course": course, "participant": participant}
    return Prepared(
        contexts={
            told: texts.message_context(
                **people, session=session, first_session=first if told else None
            )
            for told in (False, True)
        },
        first_session=first,
        reminders=[
            (s, texts.message_context(**people, session=s)) for s in soon if course.reminder_offsets
        ],
    )


def enrolment_notices_plan(
    prepared: Prepared, *, kind: str, enrolment: Enrolment, position: int | None = None
) -> None:
    """The notice of a new enrolment and, when confirmed, its reminders, in one INSERT."""
    if not prepared.contexts:
        return
    participant, session = enrolment.participant, enrolment.session
    now = timezone.now()
    told = session is None and kind in FIRST_SESSION_KINDS and prepared.first_session is not None
    rows = [
        OutboundMessage(
            kind=kind,
            participant=participant,
            enrolment=enrolment,
            session=session,
            dedupe_key=_key(kind, enrolment=enrolment, participant=participant, session=session),
            due_at=now,
            context={**prepared.contexts[told], "position": position},
        )
    ]
    if enrolment.status == EnrolmentStatus.CONFIRMED:
        for reminded, ctx in prepared.reminders:
            rows += _reminder_rows(enrolment, reminded, now, ctx)
    # With the enrolment's rows, when they are written together (courses.writes).
    writes.insert(rows, ignore_conflicts=True)


def quiet_window(day: datetime, tz: Any) -> tuple[datetime, datetime] | None:
    """The local window of `day` in which reminders may go, from SMS_QUIET_HOURS."""
    spec = (settings.SMS_QUIET_HOURS or "").strip()
    if not spec:
        return None
    start_text, end_text = (part.strip() for part in spec.split("-"))
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    local_day = day.astimezone(tz).date()
    return (
        rules.localize(datetime.combine(local_day, start), tz),
        rules.localize(datetime.combine(local_day, end), tz),
    )


def sending_time(moment: datetime, tz: Any) -> datetime:
    """`moment` when SMS may go then, else when the quiet hours end (SMS_QUIET_HOURS): a notice
    that asks for an answer (an offer) waits for the morning rather than wake anyone."""
    window = quiet_window(moment, tz)
    if window is None:
        return moment
    opens, closes = window
    if moment < opens:
        return opens
    if moment >= closes:
        tomorrow = quiet_window(moment + timedelta(days=1), tz)
        assert tomorrow is not None  # noqa: S101 - same spec
        return tomorrow[0]
    return moment


def reminder_due(starts_at: datetime, hours: int, tz: Any) -> datetime:
    """`hours` before the start; outside the allowed window, moved earlier into it."""
    due = starts_at - timedelta(hours=hours)
    window = quiet_window(due, tz)
    if window is None:
        return due
    opens, closes = window
    if due >= closes:
        return closes - timedelta(minutes=1)
    if due < opens:
        previous = quiet_window(due - timedelta(days=1), tz)
        assert previous is not None  # noqa: S101 - same spec
        return previous[1] - timedelta(minutes=1)
    return due


def _reminder_rows(
    enrolment: Enrolment, session: Session, now: datetime, ctx: dict[str, Any] | None = None
) -> list[OutboundMessage]:
    participant = enrolment.participant
    if not participant.sms_consent or session.starts_at <= now:
        return []
    tz = enrolment.course.centre.tz
    if ctx is None:
        ctx = texts.message_context(
            course=enrolment.course, session=session, participant=participant
        )
    return [
        OutboundMessage(
            kind=MessageKind.REMINDER,
            participant=participant,
            enrolment=enrolment,
            session=session,
            dedupe_key=_key(
                MessageKind.REMINDER,
                enrolment=enrolment,
                participant=participant,
                session=session,
                variant=f"{hours}h",
            ),
            due_at=reminder_due(session.starts_at, hours, tz),
            expires_at=session.starts_at,
            context={**ctx, HOURS_BEFORE: hours},
        )
        for hours in enrolment.course.reminder_offsets
    ]


def reminders_plan(
    *, now: datetime | None = None, sessions: Iterable[Session] | None = None
) -> int:
    """Plan reminders for confirmed people of sessions starting within PLAN_AHEAD (run by beat
    every few minutes, and for one enrolment when it is confirmed). Idempotent."""
    now = now or timezone.now()
    if sessions is None:
        sessions = (
            Session.objects.filter(
                status=SessionStatus.SCHEDULED,
                starts_at__gt=now,
                starts_at__lte=now + PLAN_AHEAD,
            )
            .exclude(course__booking_mode=BookingMode.OPEN)
            .exclude(course__reminder_hours="")
            .select_related("course__centre", "course__venue", "venue")
        )
    rows: list[OutboundMessage] = []
    childcares = childcare_course_ids()
    for session in sessions:
        for enrolment in told_for(session, reminders=True, childcares=childcares):
            rows += _reminder_rows(enrolment, session, now)
    return _create_new(rows)


def _create_new(rows: list[OutboundMessage]) -> int:
    """Insert the rows whose key is not planned yet; the unique key backs it under races."""
    if not rows:
        return 0
    known = set(
        OutboundMessage.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [r for r in rows if r.dedupe_key not in known]
    OutboundMessage.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def enrolment_reminders_plan(enrolment: Enrolment, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    sessions = Session.objects.filter(
        course=enrolment.course,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + PLAN_AHEAD,
    ).select_related("course__centre", "course__venue", "venue")
    if enrolment.session_id:
        sessions = sessions.filter(pk=enrolment.session_id)
    _create_new([r for s in sessions for r in _reminder_rows(enrolment, s, now)])


def pending_cancel(*, enrolment: Enrolment | None = None, session: Session | None = None) -> int:
    """Reminders no longer wanted (enrolment given up, session cancelled)."""
    qs = OutboundMessage.objects.filter(status=MessageStatus.PENDING, kind=MessageKind.REMINDER)
    if enrolment is not None:
        qs = qs.filter(enrolment=enrolment)
    if session is not None:
        qs = qs.filter(session=session)
    return qs.update(status=MessageStatus.CANCELLED, status_changed_at=timezone.now())


def _hours_before(message: OutboundMessage, offsets: list[int], tz: Any) -> int:
    """How long before the start a pending reminder goes: kept in its context when planned.
    A reminder planned before that (no such entry) is told by its times: the course's offset
    that gives the due time it was planned with, from the start it was planned for (its
    `expires_at`); the closest one if none gives it exactly (the course's hours changed)."""
    if HOURS_BEFORE in message.context:
        return int(message.context[HOURS_BEFORE])
    planned_for = message.expires_at or message.due_at
    if not offsets:
        return max(1, round((planned_for - message.due_at) / timedelta(hours=1)))
    return min(offsets, key=lambda h: abs(reminder_due(planned_for, h, tz) - message.due_at))


def session_reminders_replan(session: Session) -> None:
    """A moved session: its pending reminders follow the new time."""
    sessions_reminders_replan([session])


def sessions_reminders_replan(sessions: Iterable[Session]) -> None:
    """Pending reminders of these sessions follow their (new) start and place; one query for
    all of them."""
    by_pk = {s.pk: s for s in sessions}
    for message in OutboundMessage.objects.filter(
        session__in=list(by_pk), kind=MessageKind.REMINDER, status=MessageStatus.PENDING
    ).select_related("enrolment__course", "participant"):
        session = by_pk[message.session_id]  # type: ignore[index]
        tz = session.course.centre.tz
        hours = _hours_before(message, session.course.reminder_offsets, tz)
        venue = session.venue or session.course.venue
        message.due_at = reminder_due(session.starts_at, hours, tz)
        message.expires_at = session.starts_at
        message.context = {
            **message.context,
            "starts_at": session.starts_at.isoformat(),
            "place": ", ".join(p for p in (venue.name, venue.address) if p) if venue else "",
            HOURS_BEFORE: hours,
        }
        message.save(update_fields=["due_at", "expires_at", "context"])
