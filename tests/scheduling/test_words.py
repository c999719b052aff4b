"""A course's schedule in words, as the personal page shows it. No database."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from scheduling import rules
from scheduling.words import schedule_in_words

WARSAW = ZoneInfo("Europe/Warsaw")
TODAY = date(2027, 3, 1)


def words(text: str, language: str = "en", **kwargs) -> str:
    values = {
        "recurrence": rules.parse(text, WARSAW) if text else None,
        "start_date": date(2027, 2, 2),
        "start_time": time(17, 30),
        "duration_minutes": 90,
        "tz": WARSAW,
        "today": TODAY,
        **kwargs,
    }
    with translation.override(language):
        return schedule_in_words(**values)


def test_a_weekly_rule_until_a_date_reads_as_its_weekdays_times_and_end() -> None:
    text = "RRULE:FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU,TH"
    assert words(text) == "Tue and Thu 17:30–19:00, until 30 June"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", "Вт і Чт 17:30–19:00, до 30 червня"),
        ("pl", "Wt i Czw 17:30–19:00, do 30 czerwca"),
        ("ru", "Вт и Чт 17:30–19:00, до 30 июня"),
    ],
)
def test_weekdays_and_months_are_in_the_persons_language(language: str, expected: str) -> None:
    text = "RRULE:FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU,TH"
    assert words(text, language) == expected


def test_three_days_a_course_still_to_start_and_a_count_ending_on_the_last_session() -> None:
    text = "RRULE:FREQ=WEEKLY;COUNT=12;BYDAY=MO,WE,FR"
    assert (
        words(text, start_date=date(2027, 4, 5), last_date=date(2027, 4, 30))
        == "Mon, Wed and Fri 17:30–19:00, from 5 April until 30 April"
    )


def test_every_other_week_and_open_ended() -> None:
    assert words("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA") == "Sat every 2 weeks 17:30–19:00"
    assert words("RRULE:FREQ=WEEKLY;INTERVAL=5;BYDAY=SA", "pl") == "So co 5 tygodni 17:30–19:00"


def test_a_rule_the_builder_cannot_show_falls_back_to_several_dates() -> None:
    text = "RRULE:FREQ=MONTHLY;BYDAY=1SA;COUNT=6"
    assert words(text, last_date=date(2027, 7, 3)) == "On several dates, 17:30–19:00, until 3 July"


def test_one_date_reads_as_that_day() -> None:
    assert words("", start_date=date(2027, 3, 30)) == "Tue 30 March, 17:30–19:00"
    assert words("", "uk", start_date=date(2027, 3, 30)) == "Вт 30 березня, 17:30–19:00"
