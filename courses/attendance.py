"""The register: who a trainer expects at a session, and the marks they make.

Reads (`register_*`) and writes (`attendance_*`). Each write owns its transaction, is idempotent
(marking the same thing twice changes nothing), and keeps the time the mark was made on the
trainer's phone, so a tap queued offline and sent late never overwrites a newer one.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.audit import audit_record
from courses.enrolment import ParticipantData, participant_upsert
from courses.errors import DomainError
from courses.models import (
    Attendance,
    AttendanceStatus,
    AuditAction,
    BookingMode,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from courses.phones import normalise_mobile
from courses.selectors import User, as_user
from scheduling.models import Session, SessionStatus


class RegisterClosed(DomainError):
    """The session is cancelled, or its day has not come yet."""

    status_code = 409
    code = "register_closed"


class NotOnRegister(DomainError):
    code = "not_on_register"


# --- reads -------------------------------------------------------------------------------------


def register_sessions_for_user(user: User) -> QuerySet[Session]:
    """Sessions whose register the user may open: a superuser all, a centre's staff their
    centres', a trainer the sessions of the courses they teach."""
    account = as_user(user)
    base = Session.objects.select_related("course__centre", "venue", "course__venue")
    if account is None:
        return base.none()
    if account.is_superuser:
        return base
    return base.filter(Q(course__centre__staff=account) | Q(course__trainers=account)).distinct()


def is_register_user(user: User) -> bool:
    """Teaches a course or is staff of a centre (or a superuser)."""
    account = as_user(user)
    if account is None:
        return False
    return account.is_superuser or account.staff_centres.exists() or account.courses.exists()


def trainer_sessions(user: User, *, day: date, days: int) -> QuerySet[Session]:
    """The user's sessions from local `day` for `days` days, earliest first."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    return (
        register_sessions_for_user(user)
        .filter(
            starts_at__gte=start - timedelta(hours=14),  # zones east of the server's
            starts_at__lt=start + timedelta(days=days, hours=14),
        )
        .order_by("starts_at", "id")
    )


def _expected(session: Session) -> QuerySet[Enrolment]:
    """Confirmed places that cover this session."""
    course = session.course
    if course.booking_mode == BookingMode.SESSION:
        return Enrolment.objects.filter(session=session, status=EnrolmentStatus.CONFIRMED)
    if course.booking_mode == BookingMode.COURSE:
        return Enrolment.objects.filter(
            course=course, session__isnull=True, status=EnrolmentStatus.CONFIRMED
        )
    return Enrolment.objects.none()


@dataclass
class RegisterRow:
    participant: Participant
    status: str  # "" when not marked yet
    walk_in: bool
    expected: bool  # holds a confirmed place


@dataclass
class Register:
    session: Session
    rows: list[RegisterRow]

    @cached_property
    def totals(self) -> dict[str, int]:
        """Present, absent, excused, unmarked and total."""
        counts = Counter(row.status or "unmarked" for row in self.rows)
        totals = {s: counts[s] for s in [*AttendanceStatus.values, "unmarked"]}
        totals["total"] = len(self.rows)
        return totals


def register_for(session: Session) -> Register:
    """Everyone expected at the session plus everyone marked on it, by name; three queries."""
    expected = {
        e.participant_id: e.participant
        for e in _expected(session)
        .select_related("participant")
        .filter(participant__erased_at__isnull=True)
    }
    marks = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session).select_related("participant")
    }
    rows = [
        RegisterRow(person, mark.status, mark.walk_in, True)
        if (mark := marks.get(pk))
        else RegisterRow(person, "", False, True)
        for pk, person in expected.items()
    ]
    rows += [
        RegisterRow(mark.participant, mark.status, mark.walk_in, False)
        for pk, mark in marks.items()
        if pk not in expected
    ]
    rows.sort(key=lambda row: (row.participant.name.casefold(), row.participant.pk))
    return Register(session, rows)


# --- writes ------------------------------------------------------------------------------------


def _check_open(session: Session, *, now: datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise RegisterClosed(_("This session is cancelled: there is no register to fill in."))
    tz = session.course.centre.tz
    if session.starts_at.astimezone(tz).date() > now.astimezone(tz).date():
        raise RegisterClosed(_("The register opens on the day of the session."))


def _on_register(session: Session) -> set[int]:
    """Who may be marked: everyone expected, and everyone already marked; two queries."""
    expected = _expected(session).filter(participant__erased_at__isnull=True)
    return set(expected.values_list("participant_id", flat=True)) | set(
        Attendance.objects.filter(session=session).values_list("participant_id", flat=True)
    )


def _mark_time(at: datetime | None, now: datetime) -> datetime:
    """The phone's time of the mark, but never in the future nor more than a week back."""
    if at is None or timezone.is_naive(at):
        return now
    return min(max(at, now - timedelta(days=7)), now)


def _change(mark: Attendance, *, status: str, at: datetime, actor: Any) -> None:
    """Record a new status on an existing mark, unless the mark on record is newer or says the
    same already; audited."""
    if mark.marked_at > at or mark.status == status:
        return
    before = mark.status
    mark.status, mark.marked_at, mark.marked_by = status, at, as_user(actor)
    mark.save(update_fields=["status", "marked_at", "marked_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ATTENDANCE_MARKED,
        target=mark,
        centre=mark.session.course.centre,
        participant=mark.participant,
        detail={"session": mark.session_id, "from": before, "to": status},
    )


def attendance_mark(
    *,
    session: Session,
    participant: Participant,
    status: str,
    actor: Any,
    at: datetime | None = None,
    on_register: set[int] | None = None,
) -> Attendance:
    """Mark one person present, absent or excused. A mark older than the one on record is
    ignored (it was made earlier and arrived later), and so is one that says what the record
    says already (even for a person erased since). `on_register` saves the queries when many
    are marked at once."""
    if status not in AttendanceStatus.values:
        raise DomainError(_("Choose present, absent or excused."), field="status")
    now = timezone.now()
    _check_open(session, now=now)
    at = _mark_time(at, now)
    with transaction.atomic():
        mark = (
            Attendance.objects.select_for_update()
            .filter(session=session, participant=participant)
            .first()
        )
        if mark is not None and mark.status == status:
            return mark
        allowed = on_register if on_register is not None else _on_register(session)
        if participant.erased_at is not None or participant.pk not in allowed:
            raise NotOnRegister(
                _("This person is not on the register of this session."), field="participant"
            )
        if mark is not None:
            _change(mark, status=status, at=at, actor=actor)
            return mark
        mark, created = Attendance.objects.get_or_create(
            session=session,
            participant=participant,
            defaults={"status": status, "marked_at": at, "marked_by": as_user(actor)},
        )
        if not created:  # marked by someone else at this very moment
            _change(mark, status=status, at=at, actor=actor)
            return mark
        audit_record(
            actor=actor,
            action=AuditAction.ATTENDANCE_MARKED,
            target=mark,
            centre=session.course.centre,
            participant=participant,
            detail={"session": session.pk, "from": "", "to": status},
        )
    return mark


def attendance_walk_in(
    *,
    session: Session,
    name: str,
    phone: str,
    country: str = "PL",
    actor: Any,
    at: datetime | None = None,
) -> Attendance:
    """Someone came without a booking: find them by phone in the centre (or add them) and mark
    them present as a walk-in. Sending the same walk-in twice adds them once. A number known
    under another name is refused (a typo would mark somebody else present, and a trainer must
    not learn who is behind a number); a person found keeps their SMS language."""
    now = timezone.now()
    _check_open(session, now=now)
    centre = session.course.centre
    at = _mark_time(at, now)
    known = Participant.objects.filter(
        centre=centre, phone=normalise_mobile(phone, country)
    ).first()
    if known is not None and not same_name(known.name, name):
        raise NotOnRegister(
            _(
                "This phone number is registered at this centre under another name. Check the "
                "number; if it is right, ask the centre's staff."
            ),
            field="phone",
        )
    with transaction.atomic():
        person = participant_upsert(
            centre=centre,
            data=ParticipantData(name=name, phone=phone, country=country, language=""),
            actor=actor,
            via="walk_in",
        )
        mark, created = Attendance.objects.select_for_update().get_or_create(
            session=session,
            participant=person,
            defaults={
                "status": AttendanceStatus.PRESENT,
                "walk_in": not _expected(session).filter(participant=person).exists(),
                "marked_at": at,
                "marked_by": as_user(actor),
            },
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.ATTENDANCE_WALK_IN,
                target=mark,
                centre=centre,
                participant=person,
                detail={"session": session.pk},
            )
        else:  # marked absent earlier, and here after all
            _change(mark, status=AttendanceStatus.PRESENT, at=at, actor=actor)
    return mark


def same_name(known: str, given: str) -> bool:
    """Whether a name given at the door fits the one on record: the first names agree, without
    regard to case or accents ("Olena K." fits "Olena Kovalenko")."""

    def first(name: str) -> str:
        words = unicodedata.normalize("NFKD", name).casefold().split()
        return "".join(c for c in words[0] if not unicodedata.combining(c)) if words else ""

    return bool(first(known)) and first(known) == first(given)


def attendance_note(*, session: Session, note: str, actor: Any) -> Session:
    """The trainer's note on the register (not public); like marks, only on an open register."""
    _check_open(session, now=timezone.now())
    note = (note or "").replace("\x00", "").strip()[:2000]
    if note == session.register_note:
        return session
    with transaction.atomic():
        session.register_note = note
        session.save(update_fields=["register_note", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REGISTER_NOTE,
            target=session,
            centre=session.course.centre,
            detail={"length": len(note)},
        )
    return session


def attendance_set(*, session: Session, entries: list[dict[str, Any]], actor: Any) -> Register:
    """Several marks at once (the API's PUT): all or nothing."""
    people = {
        p.pk: p for p in Participant.objects.filter(pk__in=[e["participant"] for e in entries])
    }
    on_register = _on_register(session)
    with transaction.atomic():
        for entry in entries:
            if not entry["status"]:
                continue  # not marked: nothing to change
            person = people.get(entry["participant"])
            if person is None:
                raise NotOnRegister(
                    _("This person is not on the register of this session."), field="participant"
                )
            attendance_mark(
                session=session,
                participant=person,
                status=entry["status"],
                actor=actor,
                at=entry.get("at"),
                on_register=on_register,
            )
    return register_for(session)
