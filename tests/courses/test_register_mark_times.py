"""Marks made offline arrive in any order; the one made last on the phone stays, also when a
repeated status comes in between (a tap of "present" again still dates the mark)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Attendance, EnrolmentSource
from courses.services.attendance import attendance_mark
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, first_session

pytestmark = pytest.mark.django_db
DURING = datetime(2027, 1, 5, 18, 30, tzinfo=ZoneInfo("Europe/Warsaw"))


def test_a_repeated_status_made_later_still_beats_an_older_different_tap(trainer) -> None:
    course = CourseFactory(trainers=[trainer])
    person = ParticipantFactory(centre=course.centre)
    EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    session = first_session(course)
    with time_machine.travel(DURING):

        def mark(status: str, minutes_ago: int) -> None:
            at = DURING - timedelta(minutes=minutes_ago)
            attendance_mark(
                session=session, participant=person, status=status, actor=trainer, at=at
            )

        mark("present", 10)
        mark("present", 3)  # tapped again later: nothing changes but the time
        mark("absent", 5)  # made in between, arrives last
    assert Attendance.objects.get(session=session, participant=person).status == "present"
