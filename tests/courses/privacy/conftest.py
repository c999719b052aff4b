"""The privacy tests' fixtures: SMS kept in memory and the clock before the course (autouse), a
course of one seat, Olena in it (with a mark and a sent SMS), Ivan waiting."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Permission

from courses.models import (
    Participant,
)
from notifications.backends import memory
from notifications.services import dispatch as outbox
from tests.courses.privacy.people import NOW, UK_SMS
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
)


@pytest.fixture(autouse=True)
def _memory_backend(settings):
    settings.SMS_BACKEND = "memory"
    settings.SMS_QUIET_HOURS = ""
    memory.outbox.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre, capacity=1, start_date=date(2027, 1, 5), title_pl="Język polski A1"
    )


@pytest.fixture
def olena(centre, course) -> Participant:
    """Confirmed in the course (the only seat), with an attendance mark and a sent SMS."""
    olena = ParticipantFactory(
        centre=centre, name="Olena Kowalenko", phone="+48601000001", **UK_SMS,
        country_of_origin="UA", sex="female", birth_year=1985,
    )  # fmt: skip
    EnrolmentFactory(course=course, participant=olena)
    outbox.dispatch_pass()  # the confirmation goes out
    AttendanceFactory(session=course.sessions.first(), participant=olena, marked_at=NOW)
    return olena


@pytest.fixture
def ivan(centre, course, olena) -> Participant:
    """Next on the waitlist."""
    ivan = ParticipantFactory(centre=centre, name="Ivan Petrenko", phone="+48601000002", **UK_SMS)
    EnrolmentFactory(course=course, participant=ivan)
    return ivan


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=["view_participant", "change_participant"],
    )
