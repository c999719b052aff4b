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


def test_moving_a_session_by_its_start_keeps_its_real_length_across_the_switch(staff_api, centre):
    course = CourseFactory(
        centre=centre,
        start_date=date(2027, 3, 21),
        start_time=time(1, 30),
        duration_minutes=120,
        rule="RRULE:FREQ=WEEKLY;COUNT=2",
        skip_public_holidays=False,
    )
    session = course.sessions.order_by("starts_at").first()
    response = staff_api.post(
        f"/api/v1/sessions/{session.pk}/move/",
        {"starts_at": "2027-03-28T01:30:00+01:00"},  # the spring switch night
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["ends_at"] == "2027-03-28T04:30:00+02:00"  # 120 real minutes


def test_the_admin_moves_the_end_with_the_start(admin_client, centre):
    course = CourseFactory(centre=centre, start_date=date(2027, 1, 5), duration_minutes=90)
    session = course.sessions.order_by("starts_at").first()
    url = f"/admin/scheduling/session/{session.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "pk")}
    data.update(
        course=course.pk,
        starts_at_0="2027-01-06",
        starts_at_1="10:00:00",
        ends_at_0="2027-01-05",  # unchanged: the end was 19:30 on 5 January
        ends_at_1="19:30:00",
        status="scheduled",
    )
    data.pop("starts_at", None)
    data.pop("ends_at", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    session.refresh_from_db()
    assert session.starts_at == datetime(2027, 1, 6, 10, tzinfo=WARSAW)
    assert session.ends_at == datetime(2027, 1, 6, 11, 30, tzinfo=WARSAW)
