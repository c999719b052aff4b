"""The demo at work: its people enrol, wait, get an offer and come to class (`load_demo`).

Everything goes through the services a desk or a register would use, so the outbox gets the
SMS those changes plan (`courses.signals`); `demo_loaded` then lets the apps above the core
finish the picture (notifications: what the provider answered about the SMS sent).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from courses import signals
from courses.management.demo_people import (
    A1_PLACES,
    A1_WAITING,
    A2_GIVES_UP,
    A2_PLACES,
    A2_WAITING,
    ABSENT_EVERY,
    DEMO_CENTRE,
    DEMO_MARK,
    EXCUSED_EVERY,
    PEOPLE,
    WORKSHOP_PLACES,
)
from courses.models import (
    AttendanceStatus,
    Centre,
    ConsentSource,
    Course,
    Enrolment,
    EnrolmentSource,
    Participant,
)
from courses.services.attendance import attendance_mark
from courses.services.enrolment import enrolment_cancel, enrolment_create
from courses.services.enrolment_history import enrolment_confirmed_since
from courses.services.participants import SMS_CONSENT_TEXT_VERSION
from scheduling.models import SessionStatus


def _people(centre: Centre) -> tuple[list[Participant], int]:
    """The demo's people in `centre`, found by phone; the missing ones added."""
    known = {p.phone: p for p in Participant.objects.filter(centre=centre)}
    people, created = [], 0
    now = timezone.now()
    for index, spec in enumerate(PEOPLE):
        person = known.get(spec.phone(index))
        if person is None:
            person = Participant.objects.create(
                centre=centre,
                name=f"{spec.name} {DEMO_MARK}",
                phone=spec.phone(index),
                language=spec.language,
                sms_consent=True,
                sms_consent_at=now,
                sms_consent_source=ConsentSource.DESK,
                sms_consent_text=SMS_CONSENT_TEXT_VERSION,
                country_of_origin=spec.country_of_origin,
                birth_year=spec.birth_year,
                sex=spec.sex,
            )
            created += 1
        people.append(person)
    return people, created


def _enrol(course: Course, people: list[Participant], indexes: tuple[int, ...], staff: User) -> int:
    """Places for these people in this order (the waitlist keeps it), at the desk."""
    taken = set(Enrolment.objects.filter(course=course).values_list("participant_id", flat=True))
    created = 0
    for index in indexes:
        if people[index].pk in taken:
            continue
        enrolment_create(
            course=course, participant=people[index], source=EnrolmentSource.STAFF, actor=staff
        )
        created += 1
    return created


def _places_from_the_start(course: Course, staff: User) -> None:
    """Date the confirmed places from a week before the course's first session (they were
    taken then; the reports and past registers expect people only from their place's start)."""
    first = course.sessions.order_by("starts_at").first()
    if first is None or first.starts_at > timezone.now():
        return
    for place in Enrolment.objects.filter(course=course, status="confirmed").order_by("pk"):
        enrolment_confirmed_since(
            enrolment=place, at=first.starts_at - timedelta(days=7), actor=staff
        )


def _registers(course: Course, trainer: User) -> int:
    """The registers of the sessions held so far, as a trainer fills them in."""
    marks = 0
    now = timezone.now()
    places = list(
        Enrolment.objects.filter(course=course, status="confirmed")
        .select_related("participant")
        .order_by("pk")
    )
    held = course.sessions.filter(ends_at__lt=now, status=SessionStatus.SCHEDULED)
    for number, session in enumerate(held.select_related("course__centre").order_by("starts_at")):
        for position, place in enumerate(places):
            turn = number * len(places) + position
            status = (
                AttendanceStatus.ABSENT
                if turn % ABSENT_EVERY == 3
                else AttendanceStatus.EXCUSED
                if turn % EXCUSED_EVERY == 5
                else AttendanceStatus.PRESENT
            )
            attendance_mark(
                session=session,
                participant=place.participant,
                status=status,
                actor=trainer,
                at=session.ends_at,
            )
            marks += 1
    return marks


def activity_load(*, staff: User, trainer: User) -> dict[str, int]:
    """People, places, waitlists, an offer and attendance in the demo centre, once: a second
    run finds the people by phone and their places by course, and adds nothing."""
    centre = Centre.objects.get(slug=DEMO_CENTRE)
    people, created = _people(centre)
    counts: dict[str, Any] = {"participants": created, "enrolments": 0, "marks": 0}
    if not created:
        return counts
    courses = {c.slug: c for c in Course.objects.filter(centre=centre)}
    a1, a2 = courses["kurs-polskiego-a1"], courses["kurs-polskiego-a2"]
    counts["enrolments"] += _enrol(a1, people, A1_PLACES + A1_WAITING, staff)
    counts["enrolments"] += _enrol(a2, people, A2_PLACES + A2_WAITING, staff)
    gives_up = Enrolment.objects.get(course=a2, participant=people[A2_GIVES_UP])
    enrolment_cancel(enrolment=gives_up, actor=staff, reason="demo")
    workshop = courses["warsztaty-dla-dzieci"]
    first = workshop.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    for index in WORKSHOP_PLACES if first else ():
        enrolment_create(
            course=workshop,
            participant=people[index],
            session=first,
            source=EnrolmentSource.STAFF,
            actor=staff,
        )
        counts["enrolments"] += 1
    for course in (a1, a2):  # their places were taken before the course began
        _places_from_the_start(course, staff)
    counts["marks"] = _registers(a1, trainer)
    signals.demo_loaded.send(sender=Participant, participant_ids=[p.pk for p in people])
    return counts
