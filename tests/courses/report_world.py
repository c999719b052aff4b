"""The world the report tests count in: two centres of the network "CIC" with their courses,
people and attendance marks, whose figures the tests work out by hand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from courses.models import (
    Attendance,
    BookingMode,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from courses.selectors.periods import Period
from scheduling.models import Session
from scheduling.services import session_cancel
from tests.factories import CentreFactory, CourseFactory, UserFactory

WARSAW = ZoneInfo("Europe/Warsaw")
AFTER = datetime(2027, 3, 1, 12, 0, tzinfo=WARSAW)  # every session below has ended
WINTER = Period(date(2027, 1, 1), date(2027, 2, 28))


def add_person(centre: Any, name: str, phone: str, **extra: Any) -> Participant:
    return Participant.objects.create(centre=centre, name=name, phone=phone, **extra)


def add_mark(session: Session, person: Participant, status: str = "present", **extra: Any) -> None:
    Attendance.objects.create(
        session=session, participant=person, status=status, marked_at=session.starts_at, **extra
    )


def build_world() -> dict[str, Any]:
    """Two centres of the network "CIC", marked by hand (figures worked out in the tests).

    CIC Poznań, "Polski A1" (Polish course, booked as a whole, 90 min), Tuesdays 5 January to
    9 February 2027; 19 January is cancelled, so 5 sessions and 7.5 hours are held:
        Olena (enrolled)  present at all 5 (and on the cancelled one, which does not count)
        Taras (enrolled)  present 5, 12, 26 Jan; excused 2 Feb; absent 9 Feb
        Iryna (enrolled)  present 5 Jan only
        Piotr (walk-in)   present 12 Jan
        an erased person  present 5 Jan
    CIC Konin, "Klub" (language club, open, 60 min), Thursdays 7 to 28 January 2027; 21 January
    is cancelled, so 3 sessions and 3 hours:
        Taras (same phone as in Poznań) present 7 Jan;  Anna present 7 and 14 Jan;
        Zofia present only on the cancelled session.
    Before the period: Olena came to a Poznań workshop on 15 December 2026; Taras and Anna to a
    Konin workshop on 10 December 2026.
    """
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        staff, other_staff = UserFactory(username="staff"), UserFactory(username="obcy")
        coordinator = UserFactory(username="koordynator")
        poznan = CentreFactory(
            slug="cic-poznan", name="CIC Poznań", network="CIC", staff=[staff, coordinator]
        )
        konin = CentreFactory(
            slug="cic-konin", name="CIC Konin", network="CIC", staff=[coordinator]
        )
        lodz = CentreFactory(slug="cic-lodz", name="CIC Łódź", staff=[other_staff])
        trainer = UserFactory(username="trener")
        course = CourseFactory(
            centre=poznan,
            slug="polski-a1",
            title_pl="Polski A1",
            start_date=date(2027, 1, 5),
            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
            duration_minutes=90,
            trainers=[trainer],
        )
        club = CourseFactory(
            centre=konin,
            slug="klub",
            title_pl="Klub",
            kind=CourseKind.LANGUAGE_CLUB,
            booking_mode=BookingMode.OPEN,
            start_date=date(2027, 1, 7),
            rule="RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=4",
            duration_minutes=60,
        )
        workshop_poznan = CourseFactory(
            centre=poznan,
            slug="warsztat",
            kind=CourseKind.WORKSHOP,
            start_date=date(2026, 12, 15),
            rule="RRULE:FREQ=WEEKLY;COUNT=1",
        )
        workshop_konin = CourseFactory(
            centre=konin,
            slug="warsztat",
            kind=CourseKind.WORKSHOP,
            start_date=date(2026, 12, 10),
            rule="RRULE:FREQ=WEEKLY;COUNT=1",
        )
        CourseFactory(centre=lodz, slug="lodz")
    s = list(course.sessions.order_by("starts_at"))
    k = list(club.sessions.order_by("starts_at"))
    assert len(s) == 6
    assert len(k) == 4
    session_cancel(session=s[2])
    session_cancel(session=k[2])

    olena = add_person(poznan, "Olena", "+48601000001", country_of_origin="UA", sex="female",
                    birth_year=1990)  # fmt: skip
    taras = add_person(poznan, "Taras", "+48601000002", country_of_origin="UA", sex="male",
                    birth_year=1985)  # fmt: skip
    iryna = add_person(poznan, "Iryna", "+48601000003", country_of_origin="UA", sex="female",
                    birth_year=2000)  # fmt: skip
    piotr = add_person(poznan, "Piotr", "+48601000004", country_of_origin="PL", sex="male",
                    birth_year=1960)  # fmt: skip
    erased = add_person(poznan, "", "", erased_at=AFTER)
    taras_konin = add_person(konin, "Taras K.", "+48601000002")
    anna = add_person(konin, "Anna", "+48601000005", country_of_origin="BY", sex="female",
                   birth_year=2012)  # fmt: skip
    zofia = add_person(konin, "Zofia", "+48601000006", country_of_origin="PL")
    for person in (olena, taras, iryna):
        Enrolment.objects.create(participant=person, course=course, status="confirmed")
    Enrolment.objects.create(participant=piotr, course=course, status=EnrolmentStatus.CANCELLED)

    for session in (s[0], s[1], s[2], s[3], s[4], s[5]):
        add_mark(session, olena)
    for session in (s[0], s[1], s[3]):
        add_mark(session, taras)
    add_mark(s[4], taras, "excused")
    add_mark(s[5], taras, "absent")
    add_mark(s[0], iryna)
    add_mark(s[1], piotr, walk_in=True)
    add_mark(s[0], erased)
    add_mark(k[0], taras_konin, walk_in=True)
    add_mark(k[0], anna)
    add_mark(k[1], anna)
    add_mark(k[2], zofia)
    add_mark(workshop_poznan.sessions.get(), olena)
    add_mark(workshop_konin.sessions.get(), taras_konin)
    add_mark(workshop_konin.sessions.get(), anna)
    return {
        "staff": staff,
        "other_staff": other_staff,
        "coordinator": coordinator,
        "trainer": trainer,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "poznan": poznan,
        "konin": konin,
        "course": course,
        "club": club,
        "sessions": s,
    }


def client_as(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client
