"""People of the staff member's centres: found by name or phone, and one person's page (their
places, attendance, every SMS and whether their number is opted out)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from courses.errors import DomainError
from courses.models import Attendance, Enrolment, EnrolmentStatus, Participant
from courses.phones import normalise_mobile
from courses.selectors.seats import waitlist_positions
from notifications.models import OutboundMessage, PhoneOptOut
from workspace.selectors.scope import Scope

SEARCH_LIMIT = 50
MIN_DIGITS = 3  # fewer digits than this is no phone search


def people_of(scope: Scope) -> QuerySet[Participant]:
    """Everyone of the user's centres (their staff only: trainers see people on registers)."""
    if not scope.is_manager:
        raise Http404
    qs = Participant.objects.select_related("centre")
    return qs if scope.superuser else qs.filter(centre_id__in=scope.managed)


def phone_query(text: str) -> tuple[str, str]:
    """(the number in E.164 if the text is a whole mobile number, the digits typed): a phone
    written any way staff hear it (601 234 567, +48 601-234-567, 0048...) finds the person."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_DIGITS:
        return "", ""
    try:
        full = normalise_mobile(text, "PL")
    except DomainError:
        full = ""
    return full, digits


def people_search(scope: Scope, text: str) -> list[Participant]:
    """People whose name holds every word typed, or whose phone is the number typed (or holds
    the digits typed): at most SEARCH_LIMIT, erased people left out (nothing to find them by)."""
    text = " ".join(text.split())
    if not text:
        return []
    qs = people_of(scope).filter(erased_at__isnull=True)
    full, digits = phone_query(text)
    if digits and not any(ch.isalpha() for ch in text):  # no letters: a phone number
        match = Q(phone__contains=digits)
        if full:
            match |= Q(phone=full)
    else:
        match = Q()
        for word in text.split():
            match &= Q(name__icontains=word)
    return list(qs.filter(match).order_by("name", "pk")[:SEARCH_LIMIT])


def person_for(scope: Scope, person_id: int) -> Participant:
    person = people_of(scope).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


@dataclass(frozen=True)
class PersonPage:
    person: Participant
    places: list[Enrolment]  # active: confirmed, waiting, offered
    past_places: list[Enrolment]
    positions: dict[int, int]  # waitlist position by enrolment id
    attendance: list[Attendance]
    messages: list[OutboundMessage]
    opt_out: PhoneOptOut | None


def person_page(person: Participant) -> PersonPage:
    """Everything the person's page shows, in a fixed number of queries."""
    enrolments = list(
        Enrolment.objects.filter(participant=person)
        .select_related("course__centre", "session")
        .order_by("-created_at", "-pk")
    )
    active = {EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED}
    attendance = list(
        Attendance.objects.filter(participant=person)
        .select_related("session__course__centre")
        .order_by("-session__starts_at", "-pk")
    )
    messages = list(
        OutboundMessage.objects.filter(participant=person)
        .select_related("session__course", "enrolment__course")
        .order_by("-due_at", "-pk")
    )
    opt_out = PhoneOptOut.objects.filter(phone=person.phone).first() if person.phone else None
    return PersonPage(
        person=person,
        places=[e for e in enrolments if e.status in active],
        past_places=[e for e in enrolments if e.status not in active],
        positions=waitlist_positions(enrolments),
        attendance=attendance,
        messages=messages,
        opt_out=opt_out,
    )
