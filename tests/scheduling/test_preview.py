"""The preview of a course's sessions is what saving the course then generates, with the
skipped days named; it saves nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import translation

from courses.models import Course
from scheduling import builder
from scheduling.models import Closure, Session
from scheduling.preview import SessionsPreview, SkippedDate, course_sessions_preview
from tests.factories import CentreFactory, ClosureFactory, CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def preview(centre: object, rule: object, **fields: object) -> SessionsPreview:
    given: dict[str, object] = {
        "start_date": date(2027, 1, 5),
        "start_time": time(18),
        "duration_minutes": 90,
        "skip_public_holidays": True,
    }
    given.update(fields)
    return course_sessions_preview(centre=centre, recurrence=rule, **given)  # type: ignore[arg-type]


def saved(course: Any) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in course.sessions.order_by("starts_at")]


def shown(found: SessionsPreview) -> list[tuple[datetime, datetime]]:
    return [(o.starts_at, o.ends_at) for o in found.sessions]


def test_count_ten_with_a_closure_previews_the_nine_sessions_saving_makes() -> None:
    centre = CentreFactory()
    ClosureFactory(
        centre=centre, starts_on=date(2027, 1, 12), ends_on=date(2027, 1, 12), reason="Remont sali"
    )
    rule = "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10"
    found = preview(centre, rule)
    sessions_before = Session.objects.count()
    course = CourseFactory(centre=centre, rule=rule)
    assert Session.objects.count() == sessions_before + 9
    assert shown(found) == saved(course)
    assert len(found.sessions) == found.total == 9
    assert found.skipped == [SkippedDate(date(2027, 1, 12), "closure", "Remont sali")]
    assert not found.truncated
    assert found.horizon_end is None


def test_a_global_closure_counts_and_another_centres_does_not() -> None:
    centre = CentreFactory()
    ClosureFactory(centre=None, starts_on=date(2027, 1, 19), ends_on=date(2027, 1, 19), reason="")
    ClosureFactory(centre=CentreFactory(), starts_on=date(2027, 1, 26), ends_on=date(2027, 1, 26))
    found = preview(centre, "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4")
    assert [s.date() for s, _ in shown(found)] == [
        date(2027, 1, 5),
        date(2027, 1, 12),
        date(2027, 1, 26),
    ]
    assert found.skipped == [SkippedDate(date(2027, 1, 19), "closure", "")]


def test_public_holidays_are_named_in_the_active_language() -> None:
    centre = CentreFactory()
    # Mondays and Tuesdays around Easter 2027 (Easter Monday: 29 March).
    schedule = builder.schedule_clean({"weekdays": ["MO", "TU"], "count": 4})
    fields = {"start_date": date(2027, 3, 22)}
    found = preview(centre, schedule, **fields)
    assert [o.starts_at.date() for o in found.sessions] == [
        date(2027, 3, 22),
        date(2027, 3, 23),
        date(2027, 3, 30),
    ]
    assert found.skipped == [SkippedDate(date(2027, 3, 29), "holiday", "Easter Monday")]
    with translation.override("pl"):
        polish = preview(centre, schedule, **fields)
    assert polish.skipped[0].name == "Poniedziałek Wielkanocny"
    with translation.override("uk"):
        assert preview(centre, schedule, **fields).skipped[0].name == "Великодній понеділок"


def test_independence_day_on_a_tuesday_course_is_named_and_kept_when_asked() -> None:
    centre = CentreFactory()
    rule = "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20251118"
    found = preview(centre, rule, start_date=date(2025, 11, 4))
    assert [o.starts_at.date() for o in found.sessions] == [date(2025, 11, 4), date(2025, 11, 18)]
    assert found.skipped == [
        SkippedDate(date(2025, 11, 11), "holiday", "National Independence Day")
    ]
    kept = preview(centre, rule, start_date=date(2025, 11, 4), skip_public_holidays=False)
    assert len(kept.sessions) == 3
    assert kept.skipped == []
    course = CourseFactory(centre=centre, rule=rule, start_date=date(2025, 11, 4))
    assert shown(found) == saved(course)


def test_a_holiday_during_a_closure_is_named_as_the_holiday() -> None:
    centre = CentreFactory()
    ClosureFactory(
        centre=centre, starts_on=date(2025, 11, 10), ends_on=date(2025, 11, 12), reason="Przerwa"
    )
    found = preview(centre, "RRULE:FREQ=DAILY;COUNT=3", start_date=date(2025, 11, 10))
    assert [(s.date, s.reason) for s in found.skipped] == [
        (date(2025, 11, 10), "closure"),
        (date(2025, 11, 11), "holiday"),
        (date(2025, 11, 12), "closure"),
    ]


def test_skipped_dates_are_excluded_and_counted() -> None:
    centre = CentreFactory()
    schedule = builder.schedule_clean(
        {"weekdays": ["TU"], "count": 3, "skip_dates": ["2027-01-12"]}
    )
    found = preview(centre, schedule)
    assert [o.starts_at.date() for o in found.sessions] == [date(2027, 1, 5), date(2027, 1, 19)]
    assert found.skipped == [SkippedDate(date(2027, 1, 12), "excluded", "")]
    course = CourseFactory(centre=centre, rule=builder.schedule_to_text(schedule))
    assert shown(found) == saved(course)


def test_sessions_last_their_duration_in_real_time_across_the_spring_switch() -> None:
    centre = CentreFactory()  # Europe/Warsaw: 02:00 becomes 03:00 on 29 March 2026
    rule = "RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=2"
    fields = {"start_date": date(2026, 3, 22), "start_time": time(1, 30), "duration_minutes": 120}
    found = preview(centre, rule, **fields)
    switch = found.sessions[1]
    assert switch.starts_at.isoformat() == "2026-03-29T01:30:00+01:00"
    assert switch.ends_at.isoformat() == "2026-03-29T04:30:00+02:00"
    assert switch.ends_at.astimezone(UTC) - switch.starts_at.astimezone(UTC) == timedelta(
        minutes=120
    )
    course = CourseFactory(centre=centre, rule=rule, **fields)
    assert shown(found) == saved(course)


def test_an_open_ended_rule_stops_at_the_horizon_as_generation_does(settings: object) -> None:
    settings.SESSION_HORIZON_DAYS = 70  # type: ignore[attr-defined]
    centre = CentreFactory()
    now = datetime(2027, 1, 1, 12, tzinfo=UTC)
    found = preview(centre, "RRULE:FREQ=WEEKLY;BYDAY=TU", now=now)
    assert found.horizon_end == date(2027, 3, 12)
    assert found.sessions[-1].starts_at.date() == date(2027, 3, 9)
    assert found.total == len(found.sessions) == 10


def test_a_long_rule_is_shown_up_to_the_limit_with_its_total() -> None:
    centre = CentreFactory()
    ClosureFactory(centre=centre, starts_on=date(2027, 1, 8), ends_on=date(2027, 1, 8))
    ClosureFactory(centre=centre, starts_on=date(2027, 1, 20), ends_on=date(2027, 1, 20))
    found = preview(centre, "RRULE:FREQ=DAILY;COUNT=30", limit=5)
    assert len(found.sessions) == 5
    assert found.sessions[-1].starts_at.date() == date(2027, 1, 11)
    assert found.total == 27  # 30 days less Epiphany (6 January) and the two closures
    assert found.truncated
    assert [(s.date, s.reason) for s in found.skipped] == [
        (date(2027, 1, 6), "holiday"),
        (date(2027, 1, 8), "closure"),
    ]


def test_a_rule_saving_refuses_is_refused_and_nothing_is_saved() -> None:
    from scheduling.rules import RuleError

    centre = CentreFactory()
    counts = (Course.objects.count(), Session.objects.count(), Closure.objects.count())
    with pytest.raises(RuleError) as caught:
        preview(centre, "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=5")  # 5 January is a Tuesday
    assert caught.value.field == "start_date"
    with pytest.raises(RuleError) as caught:
        preview(centre, "RRULE:FREQ=DAILY;COUNT=5000")
    assert caught.value.field == "recurrence"
    with pytest.raises(RuleError) as caught:
        preview(centre, "", duration_minutes=0)
    assert caught.value.field == "duration_minutes"
    assert (Course.objects.count(), Session.objects.count(), Closure.objects.count()) == counts
