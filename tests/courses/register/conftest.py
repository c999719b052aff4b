"""The register tests' fixtures: a centre with a course, its trainer and three people enrolled,
another centre with its own staff and trainer (`world`); the clock at the first session
(`during`)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from courses.models import (
    EnrolmentSource,
)
from tests.courses.register_clients import DURING
from tests.factories import (
    CentreFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    UserFactory,
    first_session,
)


@pytest.fixture
def world(centre, staff_user, trainer, superuser) -> dict[str, Any]:
    """A centre with a course taught by `trainer`, three people enrolled; another centre with
    its own staff and trainer."""
    other_trainer = UserFactory(username="inny-trener")
    other_staff = UserFactory(username="obcy-staff", is_staff=True)
    other = CentreFactory(slug="cic-lodz", name="CIC Łódź", staff=[other_staff])
    course = CourseFactory(centre=centre, slug="a1", trainers=[trainer], capacity=10)
    CourseFactory(centre=other, slug="a2", trainers=[other_trainer])
    people = [
        ParticipantFactory(centre=centre, name=name, phone=f"+48601000{n:03d}")
        for n, name in enumerate(["Olena", "Taras", "Iryna"], start=1)
    ]
    for person in people:
        EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    return {
        "trainer": trainer,
        "other_trainer": other_trainer,
        "staff": staff_user,
        "other_staff": other_staff,
        "superuser": superuser,
        "centre": centre,
        "course": course,
        "session": first_session(course),
        "people": people,
    }


@pytest.fixture
def during() -> Any:
    with time_machine.travel(DURING, tick=False):
        yield
