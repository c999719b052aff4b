"""The feed's shape holds for simple readers too: one that ignores time zones still keeps the
last session of a series (UNTIL), no series starts on a date it excludes (DTSTART), and the
VTIMEZONE gives zoneinfo's offsets in every year the feed covers, not only in one year's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from tests.factories import CentreFactory, CourseFactory
from tests.scheduling.test_feed_parsers import _now, api_sessions, feed, programme

pytestmark = pytest.mark.django_db
__all__ = ["_now", "programme"]  # the feed tests' clock and programme, used here as fixtures


def series_masters(text: str) -> list[icalendar.Event]:
    masters = [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if "RRULE" in e]
    assert masters, "the feed has no series"
    return masters


def test_a_reader_that_ignores_time_zones_keeps_the_last_session_of_every_series(
    client, programme
) -> None:
    """A simple reader takes DTSTART's wall-clock digits and UNTIL's digits as if both were in
    one zone; it must still show the series' last session."""
    lost = []
    for event in series_masters(feed(client)):
        rule = event["RRULE"].to_ical().decode()
        if "UNTIL=" not in rule:
            continue
        start = event["DTSTART"].dt
        last = list(rrulestr(rule, dtstart=start))[-1]
        naive_rule = re.sub(r"UNTIL=(\d{8})(?!T)", r"UNTIL=\1T235959", rule)
        naive_rule = re.sub(r"(UNTIL=\d{8}T\d{6})Z", r"\1", naive_rule)
        naive = list(rrulestr(naive_rule, dtstart=start.replace(tzinfo=None)))
        if not naive or naive[-1] != last.replace(tzinfo=None):
            lost.append((str(event["UID"]), rule, last.isoformat()))
    assert lost == []


def test_no_series_starts_on_a_date_it_excludes(client, programme) -> None:
    starting_excluded = []
    for event in series_masters(feed(client)):
        start = event["DTSTART"].dt.astimezone(UTC)
        exdates = event.get("EXDATE", [])
        for prop in exdates if isinstance(exdates, list) else [exdates]:
            if start in {d.dt.astimezone(UTC) for d in prop.dts}:
                starting_excluded.append((str(event["UID"]), start.isoformat()))
    assert starting_excluded == []


def switches(zone: ZoneInfo, year: int) -> list[datetime]:
    """The instants (UTC) at which the zone's offset changes in the year."""
    found, moment = [], datetime(year, 1, 1, tzinfo=UTC)
    while moment.year == year:
        step = moment + timedelta(minutes=30)
        if step.astimezone(zone).utcoffset() != moment.astimezone(zone).utcoffset():
            found.append(step)
        moment = step
    return found


# Warsaw's rules are the same every year; Casablanca's (Ramadan) move every year.
@pytest.mark.parametrize("zone", ["Europe/Warsaw", "Africa/Casablanca"])
def test_the_vtimezone_gives_zoneinfos_offsets_in_every_year_the_feed_covers(
    client, api, zone
) -> None:
    place = CentreFactory(timezone=zone)
    CourseFactory(
        centre=place, start_date=date(2026, 3, 3), rule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20281231"
    )
    calendar = icalendar.Calendar.from_ical(feed(client, f"/calendars/{place.slug}.ics"))
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == zone
    from_feed = vtimezone.to_tz(lookup_tzid=False)  # from its own rules, not the tz database
    years = sorted({int(start[:4]) for start, _ in api_sessions(api, f"centre={place.slug}")})
    assert years == [2026, 2027, 2028]
    wrong = []
    for year in range(years[0], years[-1] + 1):
        moments = switches(ZoneInfo(zone), year)
        assert moments, f"no switch in {year}"
        for moment in moments:
            for probe in (moment - timedelta(minutes=1), moment + timedelta(minutes=1)):
                expected = probe.astimezone(ZoneInfo(zone)).utcoffset()
                if probe.astimezone(from_feed).utcoffset() != expected:
                    wrong.append((probe.isoformat(), expected))
    assert wrong == []
