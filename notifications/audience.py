"""Who a message from the staff goes to, and what it costs: the people of a course or of one
session (with a place, or waiting for one), each once, in their language, and who is left out
(no SMS consent, opted out). Shown before anything is sent; the send uses the same reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from courses.models import BookingMode, Course, Enrolment, EnrolmentStatus, Language
from notifications.drafts import DEFAULT_LANGUAGE, text_for
from notifications.models import Audience, PhoneOptOut, StaffMessage
from notifications.pricing import parse_prices, segment_price
from notifications.segments import sms_size
from scheduling.models import Session, SessionStatus

CENT = Decimal("0.01")
STATUSES: dict[str, list[str]] = {
    Audience.CONFIRMED: [EnrolmentStatus.CONFIRMED],
    # Waiting for a place: on the waitlist, or offered one and not answered yet.
    Audience.WAITING: [EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED],
}


@dataclass(frozen=True)
class LanguagePart:
    """What the people of one language get."""

    language: str
    name: str
    text: str
    own_text: bool  # False: the Polish text, for want of one in this language
    encoding: str
    units: int
    segments: int
    recipients: int
    cost: Decimal


@dataclass(frozen=True)
class MessagePreview:
    parts: list[LanguagePart]
    recipients: list[Enrolment] = field(repr=False)  # one per person, each with their place
    no_consent: int
    opted_out: int
    cost: Decimal
    currency: str

    @property
    def total(self) -> int:
        return len(self.recipients)

    def summary(self) -> dict[str, Any]:
        """The preview as the API answers it (and as a sent message keeps it)."""
        return {
            "total": self.total,
            "recipients": {p.language: p.recipients for p in self.parts},
            "segments": {p.language: p.segments for p in self.parts},
            "encoding": {p.language: p.encoding for p in self.parts},
            "texts": {p.language: p.text for p in self.parts},
            "cost": {p.language: str(p.cost.quantize(CENT)) for p in self.parts},
            "estimated_cost": str(self.cost.quantize(CENT)),
            "currency": self.currency,
            "excluded": {"no_consent": self.no_consent, "opted_out": self.opted_out},
        }


def audience_enrolments(
    *, course: Course, session: Session | None, audience: str, now: datetime | None = None
) -> list[Enrolment]:
    """The places of the people a message goes to. A course booked per session without a
    session chosen: the places at its sessions not over yet."""
    qs = Enrolment.objects.filter(course=course, status__in=STATUSES[audience]).select_related(
        "participant"
    )
    if course.booking_mode == BookingMode.SESSION:
        if session is not None:
            qs = qs.filter(session=session)
        else:
            qs = qs.filter(
                session__status=SessionStatus.SCHEDULED, session__ends_at__gt=now or timezone.now()
            )
    else:
        qs = qs.filter(session__isnull=True)
    return list(qs.order_by("created_at", "pk"))


def message_preview(
    *, course: Course, session: Session | None, audience: str, texts: dict[str, str]
) -> MessagePreview:
    """Who gets the message (each person once: one place per person and per number), in which
    language, how many segments, and the estimated cost by the country of each number."""
    enrolments = audience_enrolments(course=course, session=session, audience=audience)
    phones = {e.participant.phone for e in enrolments if e.participant.phone}
    opted_out_phones = set(
        PhoneOptOut.objects.filter(phone__in=phones).values_list("phone", flat=True)
    )
    prices = parse_prices(settings.SMS_PRICE_PER_SEGMENT)
    seen_people: set[int] = set()
    seen_phones: set[str] = set()
    recipients: list[Enrolment] = []
    no_consent = opted_out = 0
    for enrolment in enrolments:
        person = enrolment.participant
        if person.pk in seen_people or person.erased_at is not None:
            continue
        seen_people.add(person.pk)
        if not person.sms_consent or not person.phone:
            no_consent += 1
        elif person.phone in opted_out_phones:
            opted_out += 1
        elif person.phone not in seen_phones:
            seen_phones.add(person.phone)
            recipients.append(enrolment)
    names = dict(Language.choices)
    parts = []
    total_cost = Decimal(0)
    for code in Language.values:
        people = [e.participant for e in recipients if e.participant.language == code]
        if not people and code != DEFAULT_LANGUAGE and code not in texts:
            continue
        text = text_for(texts, code)
        size = sms_size(text)
        cost = sum(
            (size.segments * segment_price(p.phone, prices) for p in people), start=Decimal(0)
        )
        total_cost += cost
        parts.append(
            LanguagePart(
                language=code,
                name=names[code],
                text=text,
                own_text=code in texts,
                encoding=size.encoding,
                units=size.units,
                segments=size.segments,
                recipients=len(people),
                cost=cost,
            )
        )
    return MessagePreview(
        parts=parts,
        recipients=recipients,
        no_consent=no_consent,
        opted_out=opted_out,
        cost=total_cost,
        currency=settings.SMS_PRICE_CURRENCY,
    )


def recent_messages(
    *, course: Course, session: Session | None = None, limit: int = 10
) -> list[StaffMessage]:
    """The latest messages to the people of a course (or of one of its sessions), newest first,
    with who wrote them."""
    qs = StaffMessage.objects.filter(course=course).select_related("session", "author")
    if session is not None:
        qs = qs.filter(session=session)
    return list(qs[:limit])
