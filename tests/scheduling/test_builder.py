"""The schedule builder: choices to RFC 5545 text and back, and its refusals. No database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from scheduling import builder, rules
from scheduling.builder import BuilderSchedule, ScheduleInvalid

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Messages are compared in English (the source text); Polish is checked apart."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (BuilderSchedule(weekdays=("TU", "TH")), "RRULE:FREQ=WEEKLY;BYDAY=TU,TH"),
        (
            BuilderSchedule(weekdays=("MO",), interval=2, count=10),
            "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=10;BYDAY=MO",
        ),
        (
            BuilderSchedule(
                weekdays=("TU", "TH"),
                until=date(2027, 6, 30),
                skip_dates=(date(2027, 2, 16), date(2027, 2, 18)),
            ),
            "RRULE:FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU,TH\nEXDATE:20270216\nEXDATE:20270218",
        ),
    ],
)
def test_a_schedule_is_written_as_the_rule_text_and_read_back(
    schedule: BuilderSchedule, text: str
) -> None:
    assert builder.schedule_to_text(schedule) == text
    assert builder.schedule_from_text(text, WARSAW) == schedule
    # The text is what the course keeps and shows: parsing and rendering it changes nothing.
    assert rules.to_text(rules.parse(text, WARSAW), WARSAW) == text


def test_a_dict_round_trips_through_the_rule_text() -> None:
    data = {
        "weekdays": ["TU", "TH"],
        "interval": 1,
        "until": None,
        "count": 24,
        "skip_dates": ["2027-04-06"],
    }
    text = builder.schedule_to_text(builder.schedule_clean(data))
    again = builder.schedule_from_text(text, WARSAW)
    assert again is not None
    assert again.as_dict() == data


def test_weekdays_and_skip_dates_are_put_in_order_once() -> None:
    schedule = builder.schedule_clean(
        {"weekdays": ["th", "TU", "TH"], "skip_dates": ["2027-03-02", "2027-01-12", "2027-03-02"]}
    )
    assert schedule.weekdays == ("TU", "TH")
    assert schedule.skip_dates == (date(2027, 1, 12), date(2027, 3, 2))
    assert schedule.is_open_ended


def test_the_builder_makes_the_same_sessions_as_the_typed_rule() -> None:
    schedule = builder.schedule_clean(
        {"weekdays": ["TU"], "interval": 2, "count": 4, "skip_dates": ["2027-01-19"]}
    )
    built = rules.Schedule(
        recurrence=rules.parse(builder.schedule_to_text(schedule), WARSAW),
        start_date=date(2027, 1, 5),
        start_time=time(18),
        duration_minutes=90,
        tz=WARSAW,
    )
    days = [o.starts_at.date() for o in rules.expand(built, until=date.max)]
    assert days == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 2, 16)]  # 19 Jan skipped


@pytest.mark.parametrize(
    "text",
    [
        "",  # a single session
        "RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=5",
        "RRULE:FREQ=DAILY;COUNT=5",
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5\nRRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=5",
        "RRULE:FREQ=WEEKLY;BYDAY=TU,TH\nEXRULE:FREQ=WEEKLY;BYDAY=TH;INTERVAL=2",
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5\nRDATE:20270301",
        "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;BYSETPOS=1",
        "RRULE:FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU",
        "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T120000",
    ],
)
def test_what_the_builder_cannot_show_is_left_to_the_rule_text(text: str) -> None:
    assert builder.schedule_from_text(text, WARSAW) is None


def test_a_week_starting_on_monday_is_what_the_builder_means() -> None:
    text = "RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=TU,SU"
    assert builder.schedule_from_text(text, WARSAW) == BuilderSchedule(
        weekdays=("TU", "SU"), interval=2
    )


def test_an_exdate_at_a_time_of_day_is_a_skipped_date() -> None:
    text = "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5\nEXDATE:20270112T180000"
    found = builder.schedule_from_text(text, WARSAW)
    assert found is not None
    assert found.skip_dates == (date(2027, 1, 12),)


def errors(data: object, **kwargs: object) -> dict[str, list[str]]:
    with pytest.raises(ScheduleInvalid) as caught:
        builder.schedule_clean(data, **kwargs)  # type: ignore[arg-type]
    return caught.value.messages_dict()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "weekdays", "Choose at least one weekday."),
        ({"weekdays": []}, "weekdays", "Choose at least one weekday."),
        ({"weekdays": "TU"}, "weekdays", 'Give the weekdays as a list, e.g. ["TU", "TH"].'),
        ({"weekdays": ["TUE"]}, "weekdays", "“TUE” is not a weekday"),
        ({"weekdays": [3]}, "weekdays", "“3” is not a weekday"),
        ({"weekdays": ["TU"], "interval": 0}, "interval", "Every 1 to 52 weeks"),
        ({"weekdays": ["TU"], "interval": 53}, "interval", "Every 1 to 52 weeks"),
        ({"weekdays": ["TU"], "interval": True}, "interval", "Every 1 to 52 weeks"),
        ({"weekdays": ["TU"], "interval": 1.5}, "interval", "Every 1 to 52 weeks"),
        ({"weekdays": ["TU"], "count": 0}, "count", "from 1 to 1000"),
        ({"weekdays": ["TU"], "count": 1001}, "count", "from 1 to 1000"),
        ({"weekdays": ["TU"], "until": "30.06.2027"}, "until", "Give a date as YYYY-MM-DD"),
        ({"weekdays": ["TU"], "until": "20270630"}, "until", "Give a date as YYYY-MM-DD"),
        ({"weekdays": ["TU"], "until": "3000-01-01"}, "until", "from 1900-01-01 to 2999-12-31"),
        (
            {"weekdays": ["TU"], "until": "2027-06-30", "count": 5},
            "count",
            "Give either the last date or the number of sessions, not both.",
        ),
        ({"weekdays": ["TU"], "skip_dates": "2027-01-12"}, "skip_dates", "as a list"),
        ({"weekdays": ["TU"], "skip_dates": ["2027-02-30"]}, "skip_dates", "“2027-02-30”"),
        (
            {"weekdays": ["TU"], "skip_dates": ["2027-01-01"] * 367},
            "skip_dates",
            "At most 366 dates",
        ),
        ({"weekdays": ["TU"], "every": 2}, "non_field_errors", "Unknown part of the schedule"),
        (["TU"], "non_field_errors", "Give the schedule as an object"),
    ],
)
def test_wrong_input_is_refused_at_its_field(data: object, field: str, message: str) -> None:
    found = errors(data)
    assert field in found, found
    assert message in " ".join(found[field])


def test_every_wrong_field_is_named_at_once() -> None:
    found = errors({"weekdays": ["XX"], "interval": -1, "count": "many"})
    assert set(found) == {"weekdays", "interval", "count"}


def test_the_last_date_cannot_come_before_the_first() -> None:
    data = {"weekdays": ["TU"], "until": "2027-01-04"}
    found = errors(data, start_date=date(2027, 1, 5))
    assert found == {"until": ["The last date cannot be before the first date (2027-01-05)."]}
    assert builder.schedule_clean(data, start_date=date(2027, 1, 4)).until == date(2027, 1, 4)


def test_the_number_of_sessions_follows_the_project_limit(settings: object) -> None:
    settings.RECURRENCE_MAX_SESSIONS = 30  # type: ignore[attr-defined]
    assert "from 1 to 30" in errors({"weekdays": ["TU"], "count": 31})["count"][0]
    assert builder.schedule_clean({"weekdays": ["TU"], "count": "30"}).count == 30


def test_messages_are_translated() -> None:
    with translation.override("pl"):
        found = errors({})
    assert found["weekdays"] == ["Wybierz co najmniej jeden dzień tygodnia."]
