"""How sessions become series (`scheduling.series`), read back by a parser: pure, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from scheduling import ical, rules, series

WARSAW = ZoneInfo("Europe/Warsaw")
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
TEXT = ical.Text(summary="Polski A1", description="Kurs", location="ul. Wodna 1", url="https://x/")
COURSE = series.CourseShape(
    uid="course-7@example.org", text=TEXT, location=TEXT.location, revision=3, last_modified=STAMP
)


def schedule(rule: str, first: date, at: time, minutes: int = 60) -> rules.Schedule:
    return rules.Schedule(rules.parse(rule, WARSAW), first, at, minutes, WARSAW)


def sessions_of(sched: rules.Schedule, until: date, *, cancel: set[date] = frozenset()) -> list:
    out = []
    for number, occurrence in enumerate(rules.expand(sched, until=until)):
        out.append(
            series.Published(
                pk=number + 1,
                uid=f"session-{number + 1}@example.org",
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                original_start=occurrence.original_start,
                cancelled=occurrence.starts_at.date() in cancel,
                location=TEXT.location,
                text=TEXT,
                sequence=0,
                last_modified=STAMP,
            )
        )
    return out


def publish(sched, sessions, until: date) -> tuple[list[ical.Series], list[ical.SingleEvent], str]:
    since = datetime(2026, 1, 1, tzinfo=WARSAW)
    made, singles = series.components(COURSE, sched, sessions, since=since, until=until)
    text = ical.render(name="Test", series=made, events=singles).decode()
    return made, singles, text


def read(text: str) -> list[tuple[datetime, datetime]]:
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2028, 1, 1))
    return sorted((e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in events)


def expected(sessions) -> list[tuple[datetime, datetime]]:
    return sorted(
        (s.starts_at.astimezone(UTC), s.ends_at.astimezone(UTC))
        for s in sessions
        if not s.cancelled
    )


def test_a_daily_0230_series_is_split_around_the_spring_gap_and_the_autumn_fold() -> None:
    sched = schedule("RRULE:FREQ=DAILY", date(2026, 3, 20), time(2, 30))
    sessions = sessions_of(sched, date(2026, 11, 5))
    made, singles, text = publish(sched, sessions, date(2026, 11, 5))
    assert [s.uid for s in made] == [
        "course-7@example.org",
        "course-7-after-20260329@example.org",
        "course-7-after-20261025@example.org",
    ]
    # The two sessions no client may read two ways are written in UTC, on their own.
    assert sorted(e.start.astimezone(UTC) for e in singles) == [
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03:30 CEST: 02:30 does not exist
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the first 02:30 (CEST)
    ]
    assert "DTSTART:20260329T013000Z" in text
    assert "DTSTART:20261025T003000Z" in text
    assert ":20260329T023000\r" not in text
    assert ",20260329T023000" not in text
    assert ":20261025T023000\r" not in text
    assert ",20261025T023000" not in text
    assert read(text) == expected(sessions)


def test_a_class_spanning_the_spring_switch_is_written_in_utc_with_its_real_length() -> None:
    sched = schedule("RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=3", date(2026, 3, 22), time(1, 30), 120)
    sessions = sessions_of(sched, date(2026, 4, 30))
    _made, singles, text = publish(sched, sessions, date(2026, 4, 30))
    assert [(e.start.astimezone(UTC), e.end.astimezone(UTC) - e.start) for e in singles] == [
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), timedelta(hours=2))
    ]
    assert "DTSTART:20260329T003000Z" in text
    assert "DTEND:20260329T023000Z" in text
    assert read(text) == expected(sessions)


def test_dtstart_is_the_first_published_session_and_until_the_end_of_the_last_local_day() -> None:
    sched = schedule("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=5", date(2026, 6, 2), time(18))
    sessions = sessions_of(sched, date(2026, 12, 31), cancel={date(2026, 6, 2), date(2026, 6, 30)})
    (only,), singles, text = publish(sched, sessions, date(2026, 12, 31))
    assert only.start == datetime(2026, 6, 9, 18, tzinfo=WARSAW)
    assert only.exdates == ()  # the cancelled first and last sessions are outside the series
    assert "UNTIL=20260623T215959Z" in text  # 23:59:59 CEST on the last Tuesday
    assert singles == []
    assert read(text) == expected(sessions)


def test_every_rrule_is_a_series_and_a_start_two_rules_make_is_published_once() -> None:
    sched = schedule(
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
        date(2026, 6, 1),
        time(17),
    )
    sessions = sessions_of(sched, date(2026, 12, 31))
    made, singles, text = publish(sched, sessions, date(2026, 12, 31))
    assert [s.uid for s in made] == ["course-7@example.org", "course-7-r2@example.org"]
    assert singles == []
    assert read(text) == expected(sessions)  # 15 June 2026 is a Monday: once, not twice


def test_rdates_at_one_time_become_a_series_and_scattered_ones_stay_single() -> None:
    rdates = "\n".join(
        f"RDATE:{date(2026, 5, 7) + timedelta(days=7 * k):%Y%m%d}" for k in range(12)
    )
    sched = schedule(
        f"{rdates}\nRDATE:20260611T091500\nRDATE:20260901T200000", date(2026, 5, 7), time(10)
    )
    sessions = sessions_of(sched, date(2026, 12, 31))
    made, singles, text = publish(sched, sessions, date(2026, 12, 31))
    assert len(made) == 1
    assert "FREQ=WEEKLY;UNTIL=20260723T215959Z;BYDAY=TH" in text
    assert sorted(e.start.time() for e in singles) == [time(9, 15), time(20)]
    assert read(text) == expected(sessions)


def test_vtimezone_follows_the_zones_own_rules_for_every_year_the_feed_covers() -> None:
    # New York changed its rules in 2007: two yearly RRULE pairs, the first closed by UNTIL.
    zone = ical.vtimezone("America/New_York", 2006, 2008)
    text = zone.to_ical().decode()
    assert text.count("RRULE:FREQ=YEARLY") == 4
    assert text.count("UNTIL=2006") == 2  # the 2006 rules end in 2006
    tz = zone.to_tz()
    real = ZoneInfo("America/New_York")
    moment = datetime(2006, 1, 1, tzinfo=UTC)
    while moment < datetime(2009, 1, 1, tzinfo=UTC):
        naive = moment.astimezone(real).replace(tzinfo=None)
        assert naive.replace(tzinfo=tz).utcoffset() == moment.astimezone(real).utcoffset(), moment
        moment += timedelta(hours=5)


def test_vtimezone_of_a_zone_that_gave_up_summer_time() -> None:
    zone = ical.vtimezone("America/Sao_Paulo", 2018, 2021)
    tz, real = zone.to_tz(), ZoneInfo("America/Sao_Paulo")
    for moment in [datetime(2018, 12, 1), datetime(2019, 12, 1), datetime(2021, 1, 15)]:
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=real).utcoffset()


def test_warsaw_is_one_pair_of_yearly_rules_whatever_the_years() -> None:
    text = ical.vtimezone("Europe/Warsaw", 2026, 2030).to_ical().decode()
    assert text.count("RRULE:FREQ=YEARLY") == 2
    assert "UNTIL" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
