"""The register's writes: marks, walk-ins and the note, and `register_apply`, the one path by
which the register page and the API's PUT change a register.

Each write owns its transaction, is idempotent
(marking the same thing twice changes nothing), and keeps the time the mark was made on the
trainer's phone, so a tap queued offline and sent late never overwrites a newer one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import DomainError, NotOnRegister, RegisterClosed
from courses.models import (
    Attendance,
    AttendanceStatus,
    AuditAction,
    Participant,
    PartyMember,
)
from courses.phones import normalise_mobile
from courses.selectors.register import register_expected, register_members
from courses.selectors.tenancy import as_user
from courses.services.audit import audit_record
from courses.services.participants import ParticipantData, participant_upsert
from courses.text import clean_line, clean_text, text_limit
from scheduling.models import Session, SessionStatus


def _check_open(session: Session, *, now: datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise RegisterClosed(_("This session is cancelled: there is no register to fill in."))
    tz = session.course.centre.tz
    if session.starts_at.astimezone(tz).date() > now.astimezone(tz).date():
        raise RegisterClosed(_("The register opens on the day of the session."))


def _on_register(session: Session) -> set[int]:
    """Who may be marked: everyone expected, and everyone already marked; two queries."""
    expected = register_expected(session).filter(participant__erased_at__isnull=True)
    return set(expected.values_list("participant_id", flat=True)) | set(
        Attendance.objects.filter(session=session).values_list("participant_id", flat=True)
    )


def _party_on_register(session: Session) -> dict[int, PartyMember]:
    """The people of the expected bookings' parties who may be marked, by id; two queries."""
    bookings = {
        booking.pk: booking
        for booking in register_expected(session)
        .filter(participant__erased_at__isnull=True)
        .only("pk", "participant_id", "attending")
    }
    members = register_members(session, list(bookings.values()))
    for member in members:
        member.enrolment = bookings[member.enrolment_id]
    return {member.pk: member for member in members}


def _mark_time(at: datetime | None, now: datetime) -> datetime:
    """The phone's time of the mark, but never in the future nor more than a week back."""
    if at is None or timezone.is_naive(at):
        return now
    return min(max(at, now - timedelta(days=7)), now)


def _keep_newest(mark: Attendance, at: datetime) -> None:
    """The same status again, made later on a phone: nothing to audit, but the mark now dates
    from then, so a different tap made in between and arriving late cannot overwrite it."""
    if at > mark.marked_at:
        Attendance.objects.filter(pk=mark.pk).update(marked_at=at)
        mark.marked_at = at


def _change(mark: Attendance, *, status: str, at: datetime, actor: Any) -> None:
    """Record a new status on an existing mark, unless the mark on record is newer or says the
    same already; audited."""
    if mark.marked_at > at:
        return
    if mark.status == status:
        _keep_newest(mark, at)
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
    member: PartyMember | None = None,
) -> Attendance:
    """Mark one person present, absent or excused: `participant`, or with `member` that person
    of their booking's party (`member` must be one of the session's expected parties: the caller
    checked it). A mark older than the one on record is ignored (it was made earlier and
    arrived later), and so is one that says what the record says already (even for a person
    erased since). `on_register` saves the queries when many are marked at once."""
    if status not in AttendanceStatus.values:
        raise DomainError(_("Choose present, absent or excused."), field="status")
    now = timezone.now()
    _check_open(session, now=now)
    at = _mark_time(at, now)
    with transaction.atomic():
        mark = (
            Attendance.objects.select_for_update()
            .filter(session=session, participant=participant, member=member)
            .first()
        )
        if mark is not None and mark.status == status:
            _keep_newest(mark, at)
            return mark
        allowed = on_register if on_register is not None else _on_register(session)
        if participant.erased_at is not None or participant.pk not in allowed:
            raise NotOnRegister(
                _("This person is not on the register of this session."), field="participant"
            )
        if mark is not None:
            _change(mark, status=status, at=at, actor=actor)
            return mark
        mark, created = Attendance.objects.select_for_update().get_or_create(
            session=session,
            participant=participant,
            member=member,
            defaults={"status": status, "marked_at": at, "marked_by": as_user(actor)},
        )
        if not created:  # marked by someone else at this very moment, and now locked
            _change(mark, status=status, at=at, actor=actor)
            return mark
        audit_record(
            actor=actor,
            action=AuditAction.ATTENDANCE_MARKED,
            target=mark,
            centre=session.course.centre,
            participant=participant,
            detail={
                "session": session.pk,
                "from": "",
                "to": status,
                **({"member": member.pk} if member is not None else {}),
            },
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
    name = clean_line(name)  # compared below as it will be kept
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
            member=None,
            defaults={
                "status": AttendanceStatus.PRESENT,
                "walk_in": not register_expected(session).filter(participant=person).exists(),
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
    note = clean_text(note)
    limit = text_limit("scheduling.Session.register_note")
    if len(note) > limit:
        raise DomainError(
            _("The note is too long: at most %(limit)s characters.") % {"limit": limit},
            field="note",
        )
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


@dataclass(frozen=True)
class Mark:
    """A tap on a person's row; an empty status changes nothing (a GET sent back as it is)."""

    participant: int
    status: str
    at: datetime | None = None
    member: int | None = None  # a person of the participant's booking


@dataclass(frozen=True)
class Family:
    """One tap for a whole booking: the booking person and each person of their party."""

    participant: int
    status: str
    at: datetime | None = None


@dataclass(frozen=True)
class WalkIn:
    name: str
    phone: str
    country: str = "PL"
    at: datetime | None = None


@dataclass(frozen=True)
class Note:
    note: str


Change = Mark | Family | WalkIn | Note


def _party_marks(session: Session, changes: Sequence[Change]) -> dict[int, PartyMember]:
    """The party members the changes may mark (empty, and no query, when none is meant)."""
    if not any(isinstance(c, Family) or (isinstance(c, Mark) and c.member) for c in changes):
        return {}
    return _party_on_register(session)


def _expand(change: Change, party: dict[int, PartyMember], attends: set[int]) -> Sequence[Change]:
    """A family's tap as the marks it stands for: the booking person (when they attend) and
    each person of their booking on the register."""
    if not isinstance(change, Family):
        return [change]
    mine = [m for m in party.values() if m.enrolment.participant_id == change.participant]
    marks = [Mark(change.participant, change.status, change.at, member=m.pk) for m in mine]
    own = change.participant in attends or not mine
    return [Mark(change.participant, change.status, change.at)] * own + marks


def register_apply(
    *, session: Session, changes: Sequence[Change], actor: Any
) -> list[Attendance | Session]:
    """Apply changes to a session's register, all or nothing: the page sends one at a time,
    the API's PUT a list of marks. Returns what each change left (a mark, or the session; for
    a family's tap, the first of its marks)."""
    party = _party_marks(session, changes)
    attends = {m.enrolment.participant_id for m in party.values() if m.enrolment.attending}
    wanted = [c.participant for c in changes if isinstance(c, (Mark, Family)) and c.status]
    people = {p.pk: p for p in Participant.objects.filter(pk__in=wanted)} if wanted else {}
    on_register = _on_register(session) if wanted else set()
    done: list[Attendance | Session] = []
    with transaction.atomic():
        for change in changes:
            if isinstance(change, Note):
                done.append(attendance_note(session=session, note=change.note, actor=actor))
            elif isinstance(change, WalkIn):
                done.append(
                    attendance_walk_in(
                        session=session,
                        name=change.name,
                        phone=change.phone,
                        country=change.country,
                        actor=actor,
                        at=change.at,
                    )
                )
            elif change.status:
                marks = [
                    _apply_mark(session, mark, people, party, on_register, actor)
                    for mark in _expand(change, party, attends)
                    if isinstance(mark, Mark)
                ]
                done.append(marks[0])
    return done


def _apply_mark(
    session: Session,
    change: Mark,
    people: dict[int, Participant],
    party: dict[int, PartyMember],
    on_register: set[int],
    actor: Any,
) -> Attendance:
    person = people.get(change.participant)
    member = party.get(change.member) if change.member else None
    if person is None or (
        change.member and (member is None or member.enrolment.participant_id != person.pk)
    ):
        raise NotOnRegister(
            _("This person is not on the register of this session."), field="participant"
        )
    return attendance_mark(
        session=session,
        participant=person,
        status=change.status,
        actor=actor,
        at=change.at,
        on_register=on_register,
        member=member,
    )
