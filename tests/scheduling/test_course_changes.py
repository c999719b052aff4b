"""What staff did to single sessions survives every kind of change of their course: a
cancelled day stays cancelled (and gets no reminders), a moved session stays where it was put,
and what nobody changed follows the course."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import BookingMode, Course
from courses.services.catalogue import course_update
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import planning
from scheduling import services
from scheduling.models import Session, SessionStatus
from tests.factories import ClosureFactory, CourseFactory, EnrolmentFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 8, 12, tzinfo=WARSAW)  # a Friday; the course's first Tuesday is past
CANCELLED_DAY = date(2027, 1, 19)
MOVED_DAY = date(2027, 1, 12)
MOVED_TO = datetime(2027, 1, 14, 17, tzinfo=WARSAW)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def local(moment: datetime) -> datetime:
    return moment.astimezone(WARSAW)


def real_minutes(session: Session) -> float:
    return (session.ends_at.astimezone(UTC) - session.starts_at.astimezone(UTC)) / timedelta(
        minutes=1
    )


def on_day(course: Course, day: date) -> list[Session]:
    """What a participant sees on that local day: every session of the course starting then."""
    return [s for s in course.sessions.order_by("starts_at") if local(s.starts_at).date() == day]


@pytest.fixture
def venue():
    return VenueFactory()


@pytest.fixture
def course(venue) -> Course:
    """Ten Tuesdays at 18:00 (90 minutes) from 5 January 2027 in `venue`; someone holds a
    place. Staff cancelled 19 January and moved 12 January to Thursday 14th, 17:00-19:00, in
    another room."""
    course = CourseFactory(centre=venue.centre, venue=venue, start_date=date(2027, 1, 5))
    EnrolmentFactory(course=course)
    [moved] = on_day(course, MOVED_DAY)
    room = VenueFactory(centre=venue.centre, name="Sala na piętrze")
    services.session_move(
        session=moved, starts_at=MOVED_TO, ends_at=MOVED_TO + timedelta(hours=2), venue=room
    )
    [cancelled] = on_day(course, CANCELLED_DAY)
    services.session_cancel(session=cancelled)
    return course


def moved_is_where_staff_put_it(course: Course) -> None:
    [moved] = course.sessions.filter(moved=True)
    assert (moved.starts_at, moved.ends_at, moved.venue.name) == (
        MOVED_TO,
        MOVED_TO + timedelta(hours=2),
        "Sala na piętrze",
    )
    assert moved.status == SessionStatus.SCHEDULED
    assert on_day(course, MOVED_DAY) == []  # the rule makes nothing else for that day


def cancelled_day_stays_cancelled(course: Course) -> Session:
    sessions = on_day(course, CANCELLED_DAY)
    assert [s.status for s in sessions] == [SessionStatus.CANCELLED]
    return sessions[0]


def no_reminder_on(course: Course, day: date) -> None:
    planning.reminders_plan()
    reminders = OutboundMessage.objects.filter(
        kind=MessageKind.REMINDER, session__course=course
    ).exclude(status=MessageStatus.CANCELLED)
    assert reminders.exists()  # the other sessions of the fortnight get theirs
    assert {local(m.session.starts_at).date() for m in reminders}.isdisjoint({day})


def test_start_time_change_keeps_the_cancelled_day_cancelled_and_the_moved_session(
    course: Course, api
) -> None:
    course_update(course=course, start_time=time(19, 0))

    cancelled = cancelled_day_stays_cancelled(course)
    assert local(cancelled.starts_at).time() == time(19)  # it follows the course...
    moved_is_where_staff_put_it(course)
    no_reminder_on(course, CANCELLED_DAY)
    listed = api.get("/api/v1/sessions/", {"course": course.pk}).json()["results"]
    on_the_day = [s for s in listed if s["starts_at"].startswith(CANCELLED_DAY.isoformat())]
    assert [(s["starts_at"], s["status"]) for s in on_the_day] == [
        ("2027-01-19T19:00:00+01:00", "cancelled")
    ]
    assert len(listed) == 10

    services.session_restore(session=cancelled)  # ...so restoring brings it back as it runs now
    cancelled.refresh_from_db()
    assert local(cancelled.starts_at).time() == time(19)
    assert {local(s.starts_at).time() for s in course.sessions.filter(moved=False)} == {
        time(18),  # 5 January, history
        time(19),
    }


def test_start_time_change_keeps_the_sessions_and_their_bookings_and_reminders_follow(
    venue,
) -> None:
    course = CourseFactory(
        centre=venue.centre, start_date=date(2027, 1, 12), booking_mode=BookingMode.SESSION
    )
    [first] = on_day(course, date(2027, 1, 12))
    booking = EnrolmentFactory(course=course, session=first)
    reminders = OutboundMessage.objects.filter(enrolment=booking, kind=MessageKind.REMINDER)
    assert reminders.count() == 2

    course_update(course=course, start_time=time(10, 0))

    first.refresh_from_db()  # the same session, with its booking, at the new time
    assert local(first.starts_at) == datetime(2027, 1, 12, 10, tzinfo=WARSAW)
    assert first.enrolments.get() == booking
    assert sorted(local(m.due_at) for m in reminders) == [
        datetime(2027, 1, 11, 10, tzinfo=WARSAW),  # 24 hours before 10:00
        datetime(2027, 1, 12, 8, tzinfo=WARSAW),  # 2 hours before
    ]


def test_duration_change_is_real_time_for_sessions_nobody_moved(course: Course) -> None:
    course_update(course=course, duration_minutes=120)

    cancelled = cancelled_day_stays_cancelled(course)
    assert real_minutes(cancelled) == 120  # restored, it would last as the course does
    moved_is_where_staff_put_it(course)
    future = course.sessions.filter(moved=False, starts_at__gt=NOW)
    assert {real_minutes(s) for s in future} == {120}
    assert course.sessions.count() == 10
    no_reminder_on(course, CANCELLED_DAY)


def test_duration_across_the_spring_switch_counts_real_minutes() -> None:
    """A Sunday 01:30 class on the night the clocks go forward still lasts 120 minutes."""
    course = CourseFactory(
        start_date=date(2028, 3, 19), start_time=time(1, 30), rule="FREQ=WEEKLY;BYDAY=SU;COUNT=3"
    )
    [before] = on_day(course, date(2028, 3, 19))
    services.session_cancel(session=before)
    course_update(course=course, duration_minutes=120)
    [switch] = on_day(course, date(2028, 3, 26))
    assert local(switch.ends_at) == datetime(2028, 3, 26, 4, 30, tzinfo=WARSAW)
    assert {real_minutes(s) for s in course.sessions.all()} == {120}
    assert [s.status for s in on_day(course, date(2028, 3, 19))] == [SessionStatus.CANCELLED]


def test_rule_change_that_drops_the_cancelled_day_leaves_nothing_on_it(course: Course) -> None:
    course_update(
        course=course, start_date=date(2027, 1, 7), recurrence_text="FREQ=WEEKLY;BYDAY=TH;COUNT=10"
    )

    assert on_day(course, CANCELLED_DAY) == []  # no cancelled Tuesday left behind
    assert [s.status for s in on_day(course, date(2027, 1, 21))] == [SessionStatus.SCHEDULED]
    moved_is_where_staff_put_it(course)
    rule_starts = [s.original_start for s in course.sessions.exclude(original_start=None)]
    assert len(rule_starts) == len(set(rule_starts))
    no_reminder_on(course, CANCELLED_DAY)


def test_rule_change_that_keeps_the_cancelled_day_makes_no_second_session(
    course: Course,
) -> None:
    course_update(course=course, recurrence_text="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=20")

    cancelled_day_stays_cancelled(course)
    moved_is_where_staff_put_it(course)
    assert [local(s.starts_at).time() for s in on_day(course, date(2027, 1, 21))] == [time(18)]
    no_reminder_on(course, CANCELLED_DAY)


def test_first_date_change(course: Course) -> None:
    """One week later: the series still covers the moved and cancelled days (the first date
    that drops out is history anyway); its last Tuesday is new."""
    course_update(course=course, start_date=date(2027, 1, 12))

    cancelled_day_stays_cancelled(course)
    moved_is_where_staff_put_it(course)
    assert [s.status for s in on_day(course, date(2027, 3, 16))] == [SessionStatus.SCHEDULED]
    no_reminder_on(course, CANCELLED_DAY)


def test_first_date_change_that_drops_the_cancelled_day(course: Course) -> None:
    course_update(course=course, start_date=date(2027, 1, 26))

    assert on_day(course, CANCELLED_DAY) == []
    assert course.sessions.filter(status=SessionStatus.CANCELLED).count() == 0
    moved_is_where_staff_put_it(course)  # moved by hand: kept, though its day is gone


def test_venue_change(course: Course, venue) -> None:
    other = VenueFactory(centre=venue.centre, name="Nowa sala")
    course_update(course=course, venue=other)

    cancelled = cancelled_day_stays_cancelled(course)
    assert cancelled.venue == other  # restored, it would be where the course now is
    moved_is_where_staff_put_it(course)
    future = course.sessions.filter(moved=False, starts_at__gt=NOW)
    assert {s.venue for s in future} == {other}
    no_reminder_on(course, CANCELLED_DAY)


def test_capacity_change(course: Course) -> None:
    [own] = on_day(course, date(2027, 1, 26))
    services.session_update_details(session=own, capacity=5)
    course_update(course=course, capacity=8)

    cancelled_day_stays_cancelled(course)
    moved_is_where_staff_put_it(course)
    capacities = {local(s.starts_at).date(): s.effective_capacity for s in course.sessions.all()}
    assert capacities.pop(date(2027, 1, 26)) == 5
    assert set(capacities.values()) == {8}
    no_reminder_on(course, CANCELLED_DAY)


def test_a_cancelled_day_that_is_closed_for_a_while_stays_cancelled(course: Course) -> None:
    closure = services.closure_save(
        closure=ClosureFactory.build(
            centre=course.centre, starts_on=CANCELLED_DAY, ends_on=CANCELLED_DAY
        )
    )
    course_update(course=course, start_time=time(19, 0))
    services.closure_delete(closure=closure)

    cancelled_day_stays_cancelled(course)
    no_reminder_on(course, CANCELLED_DAY)


@time_machine.travel(datetime(2027, 1, 19, 20, tzinfo=WARSAW), tick=False)
def test_a_change_late_in_the_day_makes_no_second_session_that_day(venue) -> None:
    """At 20:00 the 18:00 class is over; moving the course to 21:00 makes no second one."""
    course = CourseFactory(centre=venue.centre, start_date=date(2027, 1, 5))
    course_update(course=course, start_time=time(21, 0))
    assert [local(s.starts_at).time() for s in on_day(course, date(2027, 1, 19))] == [time(18)]
    assert local(on_day(course, date(2027, 1, 26))[0].starts_at).time() == time(21)
