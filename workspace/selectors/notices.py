"""Who hears about a change of a session, and the SMS each of them gets: shown on the
confirmation page before anything is changed."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from courses.models import Enrolment, Language, Participant, Venue
from notifications import texts
from notifications.models import MessageKind, PhoneOptOut
from notifications.segments import sms_size
from notifications.services.planning import confirmed_for
from scheduling.models import Session


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
    text of the SMS of `kind` they would get (for a move: with the new time and place)."""
    shown = copy.copy(session)
    if move and starts_at is not None:
        shown.starts_at = starts_at
        shown.venue = venue
    recipients = _recipients(list(confirmed_for(session)))
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
    return Notice(recipients, previews)


CANCELLED = MessageKind.SESSION_CANCELLED
MOVED = MessageKind.SESSION_MOVED
