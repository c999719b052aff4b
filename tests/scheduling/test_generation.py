"""Sessions materialised from course rules: DST through the database, closures, holidays,
re-generation that writes only what changed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course
from courses.services.catalogue import course_update
from scheduling import services
from scheduling.models import Closure, Session, SessionStatus
from tests.factories import CentreFactory, ClosureFactory, CourseFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


def local_starts(course: Course) -> list[datetime]:
    return [s.starts_at.astimezone(WARSAW) for s in course.sessions.order_by("starts_at")]


@pytest.mark.parametrize(
    ("first", "switch"),
    [
        (date(2026, 3, 17), date(2026, 3, 29)),
        (date(2026, 10, 20), date(2026, 10, 25)),
        (date(2027, 3, 16), date(2027, 3, 28)),
        (date(2027, 10, 26), date(2027, 10, 31)),
    ],
)
def test_18_00_class_stays_18_00_after_a_round_trip_through_the_database(
    first: date, switch: date
) -> None:
    course = CourseFactory(start_date=first, rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4")
    reloaded = Course.objects.get(pk=course.pk)  # the rule as stored (UTC) and read back
    assert services.course_sessions_sync(course=reloaded).changed is False
    starts = local_starts(reloaded)
    assert [s.date() for s in starts] == [first + timedelta(weeks=i) for i in range(4)]
    assert {s.time() for s in starts} == {time(18)}
    assert any(s.date() < switch for s in starts)
    assert any(s.date() > switch for s in starts)
    ends = [s.ends_at.astimezone(WARSAW).time() for s in reloaded.sessions.all()]
    assert set(ends) == {time(19, 30)}


def test_rule_text_with_until_and_exdate_survives_the_database() -> None:
    course = CourseFactory(
        start_date=date(2027, 3, 16),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270406\nEXDATE:20270330",
    )
    reloaded = Course.objects.get(pk=course.pk)
    assert reloaded.recurrence_text == "RRULE:FREQ=WEEKLY;UNTIL=20270406;BYDAY=TU\nEXDATE:20270330"
    assert [s.day for s in local_starts(reloaded)] == [16, 23, 6]


def test_centre_closure_and_global_closure_remove_sessions_other_centres_do_not() -> None:
    course = CourseFactory(start_date=date(2027, 1, 5))  # Tuesdays, 10 weeks
    ClosureFactory(centre=course.centre, starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 13))
    ClosureFactory(centre=None, starts_on=date(2027, 2, 2), ends_on=date(2027, 2, 2))
    ClosureFactory(centre=CentreFactory(), starts_on=date(2027, 1, 19), ends_on=date(2027, 1, 19))
    services.course_sessions_sync(course=course)
    days = [s.date() for s in local_starts(course)]
    assert date(2027, 1, 12) not in days
    assert date(2027, 2, 2) not in days
    assert date(2027, 1, 19) in days
    assert len(days) == 8


def test_saving_a_closure_removes_future_sessions_and_deleting_it_brings_them_back() -> None:
    course = CourseFactory(start_date=date(2027, 1, 5))
    closure = services.closure_save(
        closure=Closure(
            centre=course.centre, starts_on=date(2027, 1, 12), ends_on=date(2027, 1, 12)
        )
    )
    assert date(2027, 1, 12) not in [s.date() for s in local_starts(course)]
    services.closure_delete(closure=closure)
    assert date(2027, 1, 12) in [s.date() for s in local_starts(course)]
    assert course.sessions.count() == 10


def test_polish_public_holidays_are_skipped_unless_the_course_opts_out() -> None:
    # 6 January 2027 (Epiphany) is a Wednesday.
    rule = "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=3"
    skipping = CourseFactory(start_date=date(2026, 12, 30), rule=rule)
    keeping = CourseFactory(start_date=date(2026, 12, 30), rule=rule, skip_public_holidays=False)
    assert date(2027, 1, 6) not in [s.date() for s in local_starts(skipping)]
    assert date(2027, 1, 6) in [s.date() for s in local_starts(keeping)]


def test_regenerating_with_no_change_writes_nothing() -> None:
    course = CourseFactory(start_date=date(2027, 1, 5))
    with CaptureQueriesContext(connection) as ctx:
        result = services.course_sessions_sync(course=course)
    assert not result.changed
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []


@time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=WARSAW), tick=False)
def test_moved_and_cancelled_sessions_survive_a_rule_change() -> None:
    venue = VenueFactory()
    course = CourseFactory(centre=venue.centre, start_date=date(2027, 1, 5))
    sessions = list(course.sessions.order_by("starts_at"))
    moved_to = datetime(2027, 1, 14, 17, tzinfo=WARSAW)
    services.session_move(
        session=sessions[1], starts_at=moved_to, ends_at=moved_to + timedelta(hours=2), venue=venue
    )
    services.session_cancel(session=sessions[2])

    # Shorter sessions, and the course now ends after five weeks.
    course_update(
        course=course, duration_minutes=60, recurrence_text="FREQ=WEEKLY;BYDAY=TU;COUNT=5"
    )

    moved = Session.objects.get(pk=sessions[1].pk)
    assert (moved.starts_at, moved.ends_at, moved.venue) == (
        moved_to,
        moved_to + timedelta(hours=2),
        venue,
    )
    assert Session.objects.get(pk=sessions[2].pk).status == SessionStatus.CANCELLED
    untouched = course.sessions.filter(moved=False, status=SessionStatus.SCHEDULED)
    assert untouched.count() == 3
    assert {s.ends_at - s.starts_at for s in untouched} == {timedelta(minutes=60)}
    assert {s.sequence for s in untouched} == {1}
    assert course.sessions.count() == 5


@time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=WARSAW), tick=False)
def test_a_rule_change_leaves_past_sessions_as_history() -> None:
    course = CourseFactory(start_date=date(2027, 1, 5))  # 5, 12, 19 Jan are past
    course_update(course=course, start_time=time(17, 0))
    starts = local_starts(course)
    assert [s.time() for s in starts[:3]] == [time(18)] * 3
    assert {s.time() for s in starts[3:]} == {time(17)}
    assert len(starts) == 10


def test_open_ended_rules_grow_with_the_rolling_horizon(settings: object) -> None:
    settings.SESSION_HORIZON_DAYS = 70  # type: ignore[attr-defined]
    with time_machine.travel(datetime(2027, 1, 1, 12, tzinfo=WARSAW), tick=False):
        course = CourseFactory(start_date=date(2027, 1, 5), rule="RRULE:FREQ=WEEKLY;BYDAY=TU")
        assert course.sessions.count() == 10  # 5 Jan .. 9 Mar, within 70 days of 1 Jan
    with time_machine.travel(datetime(2027, 1, 29, 12, tzinfo=WARSAW), tick=False):
        assert services.sessions_extend_horizon().created == 4
        assert services.sessions_extend_horizon().changed is False
    assert course.sessions.count() == 14


def test_concurrent_generation_is_backed_by_a_unique_constraint() -> None:
    from django.db import IntegrityError, transaction

    course = CourseFactory(start_date=date(2027, 1, 5))
    first = course.sessions.order_by("starts_at").first()
    assert first is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            course=course,
            original_start=first.original_start,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
        )
