"""A session lasts `duration_minutes` of real time, also on the days the clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling import rules
from tests.factories import CourseFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "start", "minutes", "ends"),
    [
        # spring: 02:00 CET becomes 03:00 CEST; 120 real minutes from 01:30 end at 04:30 CEST
        (date(2027, 3, 28), time(1, 30), 120, datetime(2027, 3, 28, 4, 30, tzinfo=WARSAW)),
        # autumn: 03:00 CEST becomes 02:00 CET; 120 real minutes from 01:30 end at 02:30 CET
        (
            date(2026, 10, 25),
            time(1, 30),
            120,
            datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=WARSAW),
        ),
        # autumn, starting in the fold (the first 02:30, summer time): 60 minutes end at 02:30 CET
        (
            date(2026, 10, 25),
            time(2, 30),
            60,
            datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=WARSAW),
        ),
    ],
)
def test_sessions_last_their_real_duration_across_a_clock_change(day, start, minutes, ends):
    course = CourseFactory(
        start_date=day,
        start_time=start,
        duration_minutes=minutes,
        rule="RRULE:FREQ=DAILY;COUNT=2",
        skip_public_holidays=False,  # 28 March 2027 is Easter Sunday
    )
    first = course.sessions.order_by("starts_at").first()
    assert first.ends_at - first.starts_at == timedelta(minutes=minutes)  # in UTC: real time
    assert first.ends_at.astimezone(UTC) == ends.astimezone(UTC)


def test_ends_after_counts_real_minutes_whatever_the_wall_clock_does() -> None:
    start = datetime(2027, 3, 28, 1, 30, tzinfo=WARSAW)
    end = rules.ends_after(start, timedelta(minutes=120))
    assert (end.hour, end.minute) == (4, 30)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=120)
