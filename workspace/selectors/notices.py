"""Who hears about a change of a session, and the SMS each of them gets: shown on the
confirmation page before anything is changed. A class's session changes its childcare's
session at that time with it (`scheduling.services.sessions`), so the childcare's people and
their SMS are shown too."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from courses.models import Enrolment, Language, Participant, Venue
from notifications import texts
from notifications.models import MessageKind, PhoneOptOut
from notifications.segments import sms_size
from notifications.selectors import told_apart
from scheduling.models import Session, SessionStatus


@dataclass(frozen=True)
class Recipient:
    participant: Participant
    gets_sms: bool
    why_not: str  # "" | "consent" | "opted_out"


@dataclass(frozen=True)
class SmsPreview:
    language: str
    language_name: str
    text: str
    encoding: str
    units: int
    segments: int
    people: int


@dataclass(frozen=True)
class Notice:
    recipients: list[Recipient]
    previews: list[SmsPreview]
    session: Session
    childcare: Notice | None = None  # the class's childcare at that time, changed with it
    with_class: int = 0  # of a childcare's people: those the class's SMS tells

    @property
    def told(self) -> int:
        return sum(1 for r in self.recipients if r.gets_sms)


def _recipients(enrolments: list[Enrolment]) -> list[Recipient]:
    phones = [e.participant.phone for e in enrolments if e.participant.phone]
    opted_out = set(PhoneOptOut.objects.filter(phone__in=phones).values_list("phone", flat=True))
    out = []
    for enrolment in enrolments:
        person = enrolment.participant
        if person.erased_at is not None:
            continue
        why = (
            "consent"
            if not person.sms_consent
            else "opted_out"
            if person.phone in opted_out
            else ""
        )
        out.append(Recipient(person, not why, why))
    return sorted(out, key=lambda r: (r.participant.name.casefold(), r.participant.pk))


def notice_for(
    session: Session,
    *,
    kind: str,
    starts_at: datetime | None = None,
    venue: Venue | Any | None = None,
    move: bool = False,
    note: str = "",
    note_in_sms: bool = False,
) -> Notice:
    """The people with a confirmed place at `session` and, per language among those told, the
    text of the SMS of `kind` they would get (for a move: with the new time and place); with
    the same for the class's childcare session at that time when it has people (for a move: at
    the new venue when it shares the class's, as the move does), but for the parents the
    class's SMS tells (`told_apart`), who are counted."""
    say = partial(
        _notice, kind=kind, starts_at=starts_at, move=move, note=note, note_in_sms=note_in_sms
    )
    # The page's own session: its people told once it is changed (a childcare's changed on
    # its own no longer matches its class's session, so all its people are told).
    notice = say(
        session, venue=venue, status=SessionStatus.CANCELLED if kind == CANCELLED else None
    )
    care = _childcare_session(session, kind=kind)
    if care is None:
        return notice
    care_venue = venue if care.venue_id == session.venue_id else care.venue
    told = say(care, venue=care_venue, status=None)  # changed with the class: as it is now
    return replace(notice, childcare=told) if told.recipients or told.with_class else notice


def _childcare_session(session: Session, *, kind: str) -> Session | None:
    if session.course.childcare_id is None:
        return None
    care = (
        Session.objects.select_related("course__centre", "venue")
        .filter(course_id=session.course.childcare_id, starts_at=session.starts_at)
        .order_by("pk")
        .first()
    )
    if care is None or (kind == CANCELLED and care.is_cancelled):
        return None  # a cancelled childcare session is not cancelled again: nobody is told
    return care


def _notice(
    session: Session,
    *,
    kind: str,
    starts_at: datetime | None,
    venue: Venue | Any | None,
    move: bool,
    note: str,
    note_in_sms: bool,
    status: str | None,
) -> Notice:
    shown = copy.copy(session)
    if move and starts_at is not None:
        shown.starts_at = starts_at
        shown.venue = venue
    places, with_class = told_apart(session, status=status)
    recipients = _recipients(places)
    names = dict(Language.choices)
    previews = []
    for code in Language.values:
        told = [r.participant for r in recipients if r.gets_sms and r.participant.language == code]
        if not told:
            continue
        context = texts.message_context(
            course=session.course,
            session=shown,
            participant=told[0],
            note=note if note_in_sms else "",
        )
        text = texts.render(kind, context, code)
        size = sms_size(text)
        previews.append(
            SmsPreview(code, names[code], text, size.encoding, size.units, size.segments, len(told))
        )
    return Notice(recipients, previews, session, with_class=with_class)


CANCELLED = MessageKind.SESSION_CANCELLED
MOVED = MessageKind.SESSION_MOVED
