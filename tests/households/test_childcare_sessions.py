"""A class's session changed on its own carries its childcare's session at that time with it:
moved to the same new times (and the class's new venue when they shared one), cancelled with it
(the childcare's people told as the class's are), restored with it, in the same transaction. The
childcare's session is not moved alone; a class without a childcare changes only itself; a
class's rule edited alone is refused."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from courses.errors import InvalidSessionTime
from courses.models import Course
from courses.services.catalogue import course_update
from notifications.models import MessageKind, OutboundMessage
from scheduling import services
from scheduling.models import Session, SessionStatus
from tests.factories import CourseFactory, EnrolmentFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2027, 1, 2, 12, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def care(centre: Any) -> Course:
    return CourseFactory(centre=centre, slug="opieka", title_pl="Opieka", max_party=3)


@pytest.fixture
def polish(centre: Any, care: Course) -> Course:
    return CourseFactory(centre=centre, slug="polski", title_pl="Polski dla mam", childcare=care)


def _at(course: Course, day: date) -> Session:
    [session] = [s for s in course.sessions.all() if s.starts_at.astimezone(WARSAW).date() == day]
    return session


JAN_12 = date(2027, 1, 12)
THURSDAY = datetime(2027, 1, 14, 17, tzinfo=WARSAW)


def test_moving_a_class_session_moves_its_childcares_session_to_the_same_times(
    polish: Course, care: Course
) -> None:
    children = EnrolmentFactory(course=care)
    other_week = _at(care, date(2027, 1, 19)).starts_at

    services.session_move(
        session=_at(polish, JAN_12), starts_at=THURSDAY, ends_at=THURSDAY + timedelta(hours=2)
    )

    [moved] = care.sessions.filter(starts_at=THURSDAY)
    assert moved.ends_at == THURSDAY + timedelta(hours=2)
    assert moved.moved
    assert not [s for s in care.sessions.all() if s.starts_at.astimezone(WARSAW).date() == JAN_12]
    assert care.sessions.filter(starts_at=other_week).exists()  # the other weeks stay
    assert OutboundMessage.objects.filter(
        kind=MessageKind.SESSION_MOVED, enrolment=children, session=moved
    ).exists()


def test_a_childcare_at_the_classs_venue_follows_it_one_with_a_room_of_its_own_stays(
    centre: Any, polish: Course, care: Course
) -> None:
    hall, playroom = VenueFactory(centre=centre, name="Aula"), VenueFactory(centre=centre)
    Session.objects.filter(pk=_at(care, date(2027, 1, 19)).pk).update(venue=playroom)
    later = THURSDAY + timedelta(days=7)

    services.session_move(
        session=_at(polish, JAN_12),
        starts_at=THURSDAY,
        ends_at=THURSDAY + timedelta(hours=1),
        venue=hall,
    )
    services.session_move(
        session=_at(polish, date(2027, 1, 19)),
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        venue=hall,
    )

    assert care.sessions.get(starts_at=THURSDAY).venue == hall
    assert care.sessions.get(starts_at=later).venue == playroom


def test_cancelling_a_class_session_cancels_its_childcares_and_tells_the_childcares_people(
    polish: Course, care: Course
) -> None:
    children = EnrolmentFactory(course=care)

    services.session_cancel(session=_at(polish, JAN_12), note="Sala zalana.", note_in_sms=True)

    cancelled = _at(care, JAN_12)
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.note == "Sala zalana."
    assert _at(care, date(2027, 1, 19)).status == SessionStatus.SCHEDULED
    assert OutboundMessage.objects.filter(
        kind=MessageKind.SESSION_CANCELLED, enrolment=children, session=cancelled
    ).exists()


def test_restoring_a_class_session_restores_its_childcares(polish: Course, care: Course) -> None:
    services.session_cancel(session=_at(care, JAN_12))  # the childcare's first, then the class's
    services.session_cancel(session=_at(polish, JAN_12))

    services.session_restore(session=_at(polish, JAN_12))

    assert _at(polish, JAN_12).status == SessionStatus.SCHEDULED
    assert _at(care, JAN_12).status == SessionStatus.SCHEDULED


def test_a_childcares_session_moved_alone_is_refused_naming_the_class(
    polish: Course, care: Course
) -> None:
    session = _at(care, JAN_12)

    with pytest.raises(InvalidSessionTime) as refused:
        services.session_move(
            session=session, starts_at=THURSDAY, ends_at=THURSDAY + timedelta(hours=1)
        )

    assert "Polski dla mam" in str(refused.value.message)
    session.refresh_from_db()
    assert (session.starts_at.astimezone(WARSAW).date(), session.moved) == (JAN_12, False)


def test_a_class_without_childcare_changes_only_itself(centre: Any, care: Course) -> None:
    alone = CourseFactory(centre=centre, slug="sam", title_pl="Polski")
    before = list(care.sessions.values_list("starts_at", "status"))

    services.session_cancel(session=_at(alone, date(2027, 1, 19)))
    services.session_move(
        session=_at(alone, JAN_12), starts_at=THURSDAY, ends_at=THURSDAY + timedelta(hours=1)
    )

    assert list(care.sessions.values_list("starts_at", "status")) == before
    assert _at(alone, date(2027, 1, 19)).status == SessionStatus.CANCELLED


def test_the_classs_rule_edited_alone_is_refused_clearly_and_nothing_moves(
    polish: Course, care: Course
) -> None:
    before = list(polish.sessions.values_list("starts_at", flat=True))

    with pytest.raises(ValidationError) as refused:
        course_update(course=Course.objects.get(pk=polish.pk), start_time=time(9, 0))

    assert "childcare" in refused.value.message_dict
    assert list(polish.sessions.values_list("starts_at", flat=True)) == before
