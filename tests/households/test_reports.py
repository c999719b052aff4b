"""Reports count each person of a booking: a mother and her two children are three people, the
children in the 0-17 age band; a child booked into two workshops is one person."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from courses.models import Attendance, PartyMember
from courses.selectors.funder_report import funder_report
from courses.selectors.periods import Period
from tests.factories import CourseFactory, EnrolmentRowFactory, ParticipantFactory, first_session

WARSAW = ZoneInfo("Europe/Warsaw")
WINTER = Period(date(2027, 1, 1), date(2027, 2, 28))
AFTER = datetime(2027, 3, 1, 12, 0, tzinfo=WARSAW)


def _present(session: Any, participant: Any, member: Any = None) -> None:
    Attendance.objects.create(
        session=session,
        participant=participant,
        member=member,
        status="present",
        marked_at=session.starts_at,
    )


@pytest.fixture
def family(centre) -> dict[str, Any]:
    mother = ParticipantFactory(centre=centre, name="Olena", phone="+48601000001", birth_year=1990)
    course = CourseFactory(centre=centre, slug="warsztaty", max_party=3)
    booking = EnrolmentRowFactory(course=course, participant=mother, places=3)
    children = [
        PartyMember.objects.create(enrolment=booking, name=name, birth_year=2018, position=i)
        for i, name in enumerate(["Ola", "Max"])
    ]
    session = first_session(course)
    _present(session, mother)
    for child in children:
        _present(session, mother, child)
    return {"centre": centre, "mother": mother, "children": children}


def _report(centre: Any) -> Any:
    return funder_report(centres=[centre], period=WINTER, now=AFTER, min_count=1)


def test_each_person_of_a_booking_is_counted(family: dict[str, Any]) -> None:
    assert _report(family["centre"]).participants.value == 3


def test_the_children_are_in_the_0_17_band(family: dict[str, Any]) -> None:
    bands = {row.key: row.count.value for row in _report(family["centre"]).by_age}
    assert (bands["0-17"], bands["30-44"]) == (2, 1)


def test_a_child_booked_twice_is_one_person(family: dict[str, Any]) -> None:
    centre, mother = family["centre"], family["mother"]
    other = CourseFactory(centre=centre, slug="plastyka", max_party=2)
    booking = EnrolmentRowFactory(course=other, participant=mother, places=1, attending=False)
    ola = PartyMember.objects.create(enrolment=booking, name="Ola", birth_year=2018)
    _present(first_session(other), mother, ola)
    assert _report(centre).participants.value == 3


def test_a_child_alone_does_not_count_the_mother(centre) -> None:
    mother = ParticipantFactory(centre=centre, name="Iryna", phone="+48601000002")
    course = CourseFactory(centre=centre, slug="dzieci", max_party=2)
    booking = EnrolmentRowFactory(course=course, participant=mother, places=1, attending=False)
    zoja = PartyMember.objects.create(enrolment=booking, name="Zoja", birth_year=2019)
    _present(first_session(course), mother, zoja)
    bands = {row.key: row.count.value for row in _report(centre).by_age}
    assert (bands["0-17"], sum(v or 0 for v in bands.values())) == (1, 1)
