"""A course's (or, booked per session, a session's) people: who holds a seat, who waits and in
what order, who has an offer until when, who left; the walk-ins of its sessions; and the
people of the centre the desk may enrol, found by phone or name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from courses.models import (
    ACTIVE_STATUSES,
    Attendance,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentStatus,
    Participant,
    PartyMember,
)
from courses.selectors.seats import Seats, seats_by_session
from scheduling.models import Session
from workspace.selectors.scope import Scope

SEARCH_LIMIT = 10
PHONE_DIGITS = 3  # a query with at least this many digits is a phone number
SESSIONS_SHOWN = 30


@dataclass(frozen=True)
class Waiting:
    position: int
    enrolment: Enrolment


@dataclass
class People:
    course: Course
    session: Session | None
    capacity: int
    confirmed: list[Enrolment] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    offered: list[Enrolment] = field(default_factory=list)
    left: list[Enrolment] = field(default_factory=list)  # cancelled, declined, expired
    walk_ins: list[Attendance] = field(default_factory=list)

    @property
    def seats(self) -> Seats:
        """Places, not bookings: a household's booking holds several."""
        taken = sum(e.places for e in (*self.confirmed, *self.offered))
        return Seats(self.capacity, taken, sum(w.enrolment.places for w in self.waiting))

    @property
    def places_confirmed(self) -> int:
        return sum(e.places for e in self.confirmed)

    @property
    def places_offered(self) -> int:
        return sum(e.places for e in self.offered)

    @property
    def places_waiting(self) -> int:
        return sum(w.enrolment.places for w in self.waiting)


@dataclass(frozen=True)
class SessionSeats:
    session: Session
    seats: Seats


def course_for_people(scope: Scope, course_id: int) -> Course:
    """A course the user may see (staff of its centre, or one of its trainers), or 404."""
    course = scope.courses().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


def session_for_people(scope: Scope, session_id: int) -> Session:
    session = scope.sessions().filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def enrolment_for_people(scope: Scope, enrolment_id: int) -> Enrolment:
    """A place in a course the user may see, or 404."""
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, course__in=scope.courses().values("pk"))
        .select_related("participant", "course__centre", "session")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def people_of(course: Course, session: Session | None) -> People:
    """Everyone who ever took a place in the course (or session), in queue order, each booking
    with its party (a household's people), in three queries (places, their people, walk-ins)."""
    places = (
        Enrolment.objects.filter(course=course, session=session)
        .select_related("participant")
        .prefetch_related(
            Prefetch("party", queryset=PartyMember.objects.order_by("position", "id"))
        )
        .order_by("-priority", "created_at", "id")
    )
    capacity = session.effective_capacity if session is not None else course.capacity
    people = People(course=course, session=session, capacity=capacity)
    for place in places:
        if place.status == EnrolmentStatus.CONFIRMED:
            people.confirmed.append(place)
        elif place.status == EnrolmentStatus.WAITLISTED:
            people.waiting.append(Waiting(len(people.waiting) + 1, place))
        elif place.status == EnrolmentStatus.OFFERED:
            people.offered.append(place)
        else:
            people.left.append(place)
    people.confirmed.sort(key=lambda e: (e.participant.display_name.casefold(), e.pk))
    people.offered.sort(key=lambda e: (e.offer_expires_at or e.created_at, e.pk))
    people.left.sort(key=lambda e: e.updated_at, reverse=True)
    walk_ins = Attendance.objects.filter(walk_in=True).select_related("participant", "session")
    walk_ins = (
        walk_ins.filter(session=session)
        if session is not None
        else walk_ins.filter(session__course=course)
    )
    people.walk_ins = list(walk_ins.order_by("-session__starts_at", "participant__name"))
    return people


def sessions_with_seats(course: Course, *, now: datetime) -> list[SessionSeats]:
    """A per-session course's sessions still to come, with their seats (two queries)."""
    if course.booking_mode != BookingMode.SESSION:
        return []
    sessions = list(
        course.sessions.scheduled()
        .filter(ends_at__gt=now)
        .select_related("course__centre")
        .order_by("starts_at")[:SESSIONS_SHOWN]
    )
    seats = seats_by_session(sessions)
    return [SessionSeats(s, seats[s.pk]) for s in sessions]


def people_find(course: Course, query: str, session: Session | None = None) -> list[Participant]:
    """People of the course's centre whose phone holds the digits typed (3 or more), or whose
    name holds the words typed; erased people are not found. Each is marked `enrolled` when
    they already hold a place in this course (or session)."""
    words = query.split()
    digits = re.sub(r"\D", "", query)
    if not words:
        return []
    people: QuerySet[Participant] = Participant.objects.filter(
        centre_id=course.centre_id, erased_at__isnull=True
    )
    if len(digits) >= PHONE_DIGITS and len(digits) * 2 >= len(query.replace(" ", "")):
        people = people.filter(phone__contains=digits.lstrip("0"))
    else:
        for word in words:
            people = people.filter(name__icontains=word)
    found = list(people.order_by("name", "pk")[:SEARCH_LIMIT])
    holding = set(
        Enrolment.objects.filter(
            Q(course=course, session=session),
            participant__in=[p.pk for p in found],
            status__in=ACTIVE_STATUSES,
        ).values_list("participant_id", flat=True)
    )
    for person in found:
        person.enrolled = person.pk in holding  # type: ignore[attr-defined]
    return found
