"""The register under concurrency (PostgreSQL): a phone that comes back online may send its
queue while another device (or a retry) sends the same changes. Each person still has one mark
per session and a walk-in is added once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Attendance, EnrolmentSource, Participant
from courses.services import attendance as services
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, first_session
from tests.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DURING = datetime(2027, 1, 5, 18, 30, tzinfo=ZoneInfo("Europe/Warsaw"))
THREADS = 8


@pytest.fixture
def taught(trainer) -> dict[str, Any]:
    course = CourseFactory(trainers=[trainer])
    person = ParticipantFactory(centre=course.centre, name="Olena", phone="+48601000001")
    EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    return {"trainer": trainer, "session": first_session(course), "person": person}


def test_the_same_walk_in_sent_from_several_places_at_once_is_added_once(
    taught: dict[str, Any],
) -> None:
    session, trainer = taught["session"], taught["trainer"]
    with time_machine.travel(DURING, tick=True):
        _results, errors = all_at_once(
            [
                lambda: services.attendance_walk_in(
                    session=session, name="Nino", phone="+995555123456", actor=trainer
                )
                for _ in range(THREADS)
            ]
        )
    assert errors == []
    assert Participant.objects.filter(phone="+995555123456").count() == 1
    assert Attendance.objects.filter(participant__phone="+995555123456").count() == 1


def test_marks_of_one_person_at_once_leave_one_mark_the_newest(taught: dict[str, Any]) -> None:
    session, trainer, person = taught["session"], taught["trainer"], taught["person"]
    statuses = ["present", "absent", "excused", "present"] * 2
    with time_machine.travel(DURING, tick=True):
        _results, errors = all_at_once(
            [
                (
                    lambda status=status, n=n: services.attendance_mark(
                        session=session,
                        participant=person,
                        status=status,
                        actor=trainer,
                        at=DURING - timedelta(minutes=10 - n),
                    )
                )
                for n, status in enumerate(statuses)
            ]
        )
    assert errors == []
    marks = Attendance.objects.filter(session=session, participant=person)
    assert marks.count() == 1
    assert marks.get().status == statuses[-1]  # the mark made last on the phone wins
