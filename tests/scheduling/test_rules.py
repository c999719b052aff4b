"""Rule expansion on wall-clock time: pure logic, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling import rules

WARSAW = ZoneInfo("Europe/Warsaw")


def schedule(text: str, start: date, at: time = time(18), minutes: int = 90) -> rules.Schedule:
    return rules.Schedule(
        recurrence=rules.parse(text, WARSAW),
        start_date=start,
        start_time=at,
        duration_minutes=minutes,
        tz=WARSAW,
    )


def local_starts(sched: rules.Schedule, **kwargs: object) -> list[datetime]:
    return [o.starts_at.astimezone(WARSAW) for o in rules.expand(sched, until=date.max, **kwargs)]


@pytest.mark.parametrize(
    ("first", "switch"),
    [
        (date(2026, 3, 17), date(2026, 3, 29)),
        (date(2026, 10, 13), date(2026, 10, 25)),
        (date(2027, 3, 16), date(2027, 3, 28)),
        (date(2027, 10, 19), date(2027, 10, 31)),
    ],
)
def test_weekly_class_keeps_its_local_hour_across_dst_switches(first: date, switch: date) -> None:
    starts = local_starts(schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4", first))
    assert [s.date() for s in starts] == [first + timedelta(weeks=i) for i in range(4)]
    assert {s.time() for s in starts} == {time(18)}
    before = [s for s in starts if s.date() < switch]
    after = [s for s in starts if s.date() > switch]
    assert before
    assert after
    assert {s.utcoffset() for s in before} != {s.utcoffset() for s in after}


def test_time_in_the_spring_gap_moves_forward_by_the_gap() -> None:
    starts = local_starts(schedule("RRULE:FREQ=DAILY;COUNT=3", date(2026, 3, 28), time(2, 30)))
    assert [(s.date().day, s.time(), s.utcoffset()) for s in starts] == [
        (28, time(2, 30), timedelta(hours=1)),
        (29, time(3, 30), timedelta(hours=2)),
        (30, time(2, 30), timedelta(hours=2)),
    ]


def test_time_in_the_autumn_fold_is_the_first_of_the_two() -> None:
    starts = local_starts(schedule("RRULE:FREQ=DAILY;COUNT=1", date(2027, 10, 31), time(2, 30)))
    assert starts[0].time() == time(2, 30)
    assert starts[0].utcoffset() == timedelta(hours=2)


def test_exdate_removes_the_occurrence_on_that_local_date_whatever_time_is_written() -> None:
    sched = schedule(
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4\nEXDATE:20270112\nEXDATE:20270119T000000Z",
        date(2027, 1, 5),
    )
    assert [s.date() for s in local_starts(sched)] == [date(2027, 1, 5), date(2027, 1, 26)]


def test_rdate_adds_a_session_at_the_course_time_or_at_the_time_written() -> None:
    sched = schedule(
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=1\nRDATE:20270108\nRDATE:20270109T100000",
        date(2027, 1, 5),
    )
    assert [(s.date().day, s.time()) for s in local_starts(sched)] == [
        (5, time(18)),
        (8, time(18)),
        (9, time(10)),
    ]


def test_no_rrule_means_one_session_on_the_first_date_plus_rdates() -> None:
    assert [s.date() for s in local_starts(schedule("", date(2027, 2, 1)))] == [date(2027, 2, 1)]
    with_rdates = schedule("RDATE:20270202,20270203", date(2027, 2, 1))
    assert len(local_starts(with_rdates)) == 3


def test_until_given_as_a_date_includes_that_day() -> None:
    sched = schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270119", date(2027, 1, 5))
    assert [s.day for s in local_starts(sched)] == [5, 12, 19]


def test_excluded_dates_and_since_filter_occurrences() -> None:
    sched = schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4", date(2027, 1, 5))
    starts = local_starts(
        sched,
        excluded_dates={date(2027, 1, 12)},
        since=datetime(2027, 1, 6, tzinfo=WARSAW),
    )
    assert [s.day for s in starts] == [19, 26]


def test_sessions_end_after_their_duration() -> None:
    [occurrence] = rules.expand(schedule("", date(2027, 1, 5), minutes=45), until=date.max)
    assert occurrence.ends_at - occurrence.starts_at == timedelta(minutes=45)
    assert occurrence.original_start == occurrence.starts_at


def test_open_ended_rule_stops_at_the_given_date() -> None:
    sched = schedule("RRULE:FREQ=WEEKLY;BYDAY=TU", date(2027, 1, 5))
    assert sched.is_open_ended
    occurrences = rules.expand(sched, until=date(2027, 2, 1))
    assert len(occurrences) == 4


def test_text_round_trips_in_local_time() -> None:
    text = (
        "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20270330;BYDAY=TU,TH\nRDATE:20270405\nEXDATE:20270114"
    )
    rendered = rules.to_text(rules.parse(text, WARSAW), WARSAW)
    assert rendered == text
    assert rules.to_text(rules.parse(rendered, WARSAW), WARSAW) == rendered


def test_a_bare_rrule_value_is_accepted() -> None:
    assert rules.to_text(rules.parse("FREQ=DAILY;COUNT=2", WARSAW), WARSAW) == (
        "RRULE:FREQ=DAILY;COUNT=2"
    )


@pytest.mark.parametrize(
    "text",
    [
        "RRULE:FREQ=FORTNIGHTLY",
        "RRULE:BYDAY=TU",
        "RRULE:FREQ=WEEKLY;BYDAY=XX",
        "RRULE:FREQ=WEEKLY;COUNT=many",
        "hello",
        "SUMMARY:Polish",
        "RRULE:",
        "EXDATE:notadate",
        "DTSTART:20270105T180000",
    ],
)
def test_unreadable_rules_are_refused(text: str) -> None:
    with pytest.raises(rules.RuleError) as excinfo:
        rules.parse(text, WARSAW)
    assert excinfo.value.field == "recurrence"
    assert str(excinfo.value.message)


def validate(sched: rules.Schedule, max_sessions: int = 1000) -> None:
    rules.validate(sched, max_sessions=max_sessions, horizon_end=date(2028, 1, 1))


@pytest.mark.parametrize(
    "text", ["RRULE:FREQ=HOURLY;COUNT=3", "RRULE:FREQ=MINUTELY", "RRULE:FREQ=DAILY;BYHOUR=9,18"]
)
def test_rules_finer_than_daily_are_refused(text: str) -> None:
    with pytest.raises(rules.RuleError):
        validate(schedule(text, date(2027, 1, 5)))


def test_a_rule_making_more_than_the_cap_is_refused() -> None:
    validate(schedule("RRULE:FREQ=DAILY;COUNT=1000", date(2027, 1, 5)))
    with pytest.raises(rules.RuleError, match="1000"):
        validate(schedule("RRULE:FREQ=DAILY;COUNT=1001", date(2027, 1, 5)))
    with pytest.raises(rules.RuleError):
        validate(schedule("RRULE:FREQ=DAILY;COUNT=11", date(2027, 1, 5)), max_sessions=10)


def test_an_open_ended_rule_counts_only_up_to_the_horizon() -> None:
    validate(schedule("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", date(2027, 1, 5)))
    with pytest.raises(rules.RuleError):
        validate(schedule("RRULE:FREQ=DAILY", date(2027, 1, 5)), max_sessions=300)


def test_a_first_date_the_rule_never_matches_is_refused() -> None:
    with pytest.raises(rules.RuleError) as excinfo:
        validate(schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3", date(2027, 1, 4)))  # a Monday
    assert excinfo.value.field == "start_date"


def test_a_rule_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(rules.RuleError):
        validate(schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201", date(2027, 1, 5)))


def test_a_rule_whose_every_date_is_excluded_is_refused() -> None:
    with pytest.raises(rules.RuleError):
        validate(schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=1\nEXDATE:20270105", date(2027, 1, 5)))


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_duration_of_zero_or_over_a_day_is_refused(minutes: int) -> None:
    with pytest.raises(rules.RuleError) as excinfo:
        validate(schedule("", date(2027, 1, 5), minutes=minutes))
    assert excinfo.value.field == "duration_minutes"
