"""What the personal page shows of each place: the centre, the schedule in words, the next
session with its address (or the booked one), the waitlist position. A fixed number of queries
however many places a person holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.utils import timezone

from courses.models import (
    BookingMode,
    Centre,
    Course,
    Enrolment,
    Participant,
    PartyMember,
    Venue,
)
from courses.selectors.seats import waitlist_positions
from scheduling.models import Session, SessionStatus
from scheduling.words import schedule_in_words


@dataclass(frozen=True)
class Place:
    """One enrolment as its holder sees it. `session`: the booked session (per-session
    booking) or the course's next scheduled one (None when none is left)."""

    enrolment: Enrolment
    session: Session | None
    position: int | None
    schedule: str  # empty for a booking of one session: its date says it all
    last_start: datetime | None

    @property
    def people(self) -> list[PartyMember]:
        """The others the booking covers (a household's), in the order given; those who gave
        their place up are listed too, marked so."""
        return list(self.enrolment.party.all())

    @property
    def venue(self) -> Venue | None:
        session_venue = self.session.venue if self.session is not None else None
        return session_venue or self.enrolment.course.venue

    @property
    def address(self) -> str:
        """Where it happens: the venue with its address, else the centre's address."""
        venue = self.venue
        if venue is not None:
            return venue.full_address
        centre: Centre = self.enrolment.course.centre
        return ", ".join(p for p in (centre.name, centre.full_address) if p)


def next_sessions(course_ids: list[int], *, now: datetime) -> dict[int, Session]:
    """The next scheduled session of each course that has one (with its venue), in one query."""
    if not course_ids:
        return {}
    first = (
        Session.objects.filter(
            course=OuterRef("pk"), status=SessionStatus.SCHEDULED, starts_at__gt=now
        )
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    sessions = Session.objects.filter(
        pk__in=Course.objects.filter(pk__in=course_ids)
        .annotate(next=Subquery(first))
        .values("next")
    ).select_related("venue")
    return {s.course_id: s for s in sessions}


def _last_starts(course_ids: list[int]) -> dict[int, datetime]:
    if not course_ids:
        return {}
    rows = (
        Session.objects.filter(course__in=course_ids, status=SessionStatus.SCHEDULED)
        .values("course_id")
        .annotate(last=Max("starts_at"))
    )
    return {r["course_id"]: r["last"] for r in rows}


# Each booking's people, in one query for all of them.
PARTY = Prefetch("party", queryset=PartyMember.objects.order_by("position", "id"))


def personal_places(participant: Participant, *, now: datetime | None = None) -> list[Place]:
    """The person's enrolments, newest first, each with what the personal page shows."""
    enrolments = list(
        participant.enrolments.select_related(
            "course__centre", "course__venue", "session__venue", "childcare_of__course"
        )
        .prefetch_related(PARTY)
        .order_by("-created_at", "-pk")
    )
    return _places(enrolments, now=now or timezone.now())


def personal_place(enrolment: Enrolment, *, now: datetime | None = None) -> Place:
    """One enrolment as the personal page shows it (its confirmation pages)."""
    return _places([enrolment], now=now or timezone.now())[0]


def _places(enrolments: list[Enrolment], *, now: datetime) -> list[Place]:
    positions = waitlist_positions(enrolments)
    whole = sorted(
        {e.course_id for e in enrolments if e.course.booking_mode != BookingMode.SESSION}
    )
    upcoming = next_sessions(whole, now=now)
    last = _last_starts(whole)
    places = []
    for enrolment in enrolments:
        course = enrolment.course
        if enrolment.session is not None:
            places.append(
                Place(enrolment, enrolment.session, positions.get(enrolment.pk), "", None)
            )
            continue
        tz = course.centre.tz
        last_start = last.get(course.pk)
        words = schedule_in_words(
            recurrence=course.recurrence,
            start_date=course.start_date,
            start_time=course.start_time,
            duration_minutes=course.duration_minutes,
            tz=tz,
            last_date=last_start.astimezone(tz).date() if last_start else None,
            today=now.astimezone(tz).date(),
        )
        places.append(
            Place(
                enrolment, upcoming.get(course.pk), positions.get(enrolment.pk), words, last_start
            )
        )
    return places
