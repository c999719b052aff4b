"""Cancel, restore, move and add one session: the services the admin and API share."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from courses.errors import InvalidSessionTime, SessionCancelled, WrongCentre
from scheduling import services, signals
from scheduling.models import SessionStatus
from tests.factories import CourseFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(start_date=date(2027, 1, 5))


@pytest.fixture
def received():
    events: list[tuple[str, dict]] = []

    def make(name: str):
        def receiver(sender, **kwargs):
            events.append((name, kwargs))

        return receiver

    handlers = {
        signals.session_cancelled: make("cancelled"),
        signals.session_restored: make("restored"),
        signals.session_moved: make("moved"),
    }
    for signal, handler in handlers.items():
        signal.connect(handler)
    yield events
    for signal, handler in handlers.items():
        signal.disconnect(handler)


def test_cancel_and_restore_raise_the_sequence_and_announce_once(course, received) -> None:
    session = course.sessions.first()
    services.session_cancel(session=session)
    services.session_cancel(session=session)  # again: nothing changes
    session.refresh_from_db()
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 1)
    services.session_restore(session=session)
    session.refresh_from_db()
    assert (session.status, session.sequence) == (SessionStatus.SCHEDULED, 2)
    assert [name for name, _ in received] == ["cancelled", "restored"]


def test_move_changes_time_and_place_and_tells_what_it_was(course, received) -> None:
    session = course.sessions.first()
    venue = VenueFactory(centre=course.centre)
    old_start = session.starts_at
    new_start = datetime(2027, 1, 7, 10, tzinfo=WARSAW)
    services.session_move(
        session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1), venue=venue
    )
    session.refresh_from_db()
    assert (session.starts_at, session.venue, session.moved, session.sequence) == (
        new_start,
        venue,
        True,
        1,
    )
    assert session.original_start == old_start
    [(name, kwargs)] = received
    assert name == "moved"
    assert kwargs["previous_starts_at"] == old_start


def test_move_refuses_bad_times_other_centres_venues_and_cancelled_sessions(course) -> None:
    session = course.sessions.first()
    start = datetime(2027, 1, 7, 10, tzinfo=WARSAW)
    with pytest.raises(InvalidSessionTime):
        services.session_move(session=session, starts_at=start, ends_at=start)
    with pytest.raises(InvalidSessionTime):
        services.session_move(session=session, starts_at=start, ends_at=start + timedelta(days=2))
    with pytest.raises(WrongCentre):
        services.session_move(
            session=session,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            venue=VenueFactory(),
        )
    services.session_cancel(session=session)
    with pytest.raises(SessionCancelled):
        services.session_move(session=session, starts_at=start, ends_at=start + timedelta(hours=1))
    session.refresh_from_db()
    assert not session.moved
    assert session.starts_at != start


def test_added_session_is_not_an_instance_of_the_rule_and_survives_regeneration(course) -> None:
    start = datetime(2027, 1, 9, 11, tzinfo=WARSAW)
    added = services.session_add(course=course, starts_at=start, ends_at=start + timedelta(hours=2))
    assert added.original_start is None
    services.course_sessions_sync(course=course)
    assert course.sessions.filter(pk=added.pk).exists()
    assert course.sessions.count() == 11
