"""Three independent parsers read our feeds exactly as the sessions are: recurring-ical-events
(icalendar), Home Assistant's strict `ical`, and Mozilla's ical.js (Thunderbird) in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine
from ical.calendar_stream import IcsCalendarStream

from courses.services.catalogue import course_update
from scheduling import services
from scheduling.models import Closure
from tests.factories import CourseFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
JS_DIR = Path(__file__).resolve().parent.parent / "js"
RANGE = (date(2026, 1, 1), date(2028, 6, 1))
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=WARSAW), tick=False):
        yield


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WARSAW)


@pytest.fixture
def programme(centre):
    """Every feed shape: plain weekly, closures and holidays, cancelled, moved, added by hand,
    RDATE, an open-ended rule, two RRULEs, a changed start time, and all four DST switches of
    2026 and 2027."""
    hall = VenueFactory(centre=centre, name="Sala główna", address="ul. Nowowiejskiego 25")
    annex = VenueFactory(centre=centre, name="Filia", address="ul. Wodna 1")
    services.closure_save(
        closure=Closure(centre=centre, starts_on=date(2026, 4, 14), ends_on=date(2026, 4, 15))
    )
    # Tuesdays 18:00 from 17 March 2026 to the end of 2027: every DST switch of 2026 and 2027.
    long = CourseFactory(
        centre=centre,
        venue=hall,
        start_date=date(2026, 3, 17),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20271231\nEXDATE:20260505",
    )
    sessions = list(long.sessions.order_by("starts_at"))
    services.session_cancel(session=sessions[2])
    moved = sessions[4]
    services.session_move(
        session=moved,
        starts_at=moved.starts_at + timedelta(days=1, hours=-2),
        ends_at=moved.starts_at + timedelta(days=1),
        venue=annex,
    )
    services.session_move(  # only the place changes
        session=sessions[6],
        starts_at=sessions[6].starts_at,
        ends_at=sessions[6].ends_at,
        venue=annex,
    )
    services.session_add(
        course=long, starts_at=at(date(2026, 3, 21), 10), ends_at=at(date(2026, 3, 21), 12)
    )
    # Wednesdays across Easter, Corpus Christi and other holidays; 2:30 on a DST night.
    CourseFactory(
        centre=centre,
        start_date=date(2026, 4, 1),
        start_time=datetime(2026, 1, 1, 9, 15).time(),
        rule="RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=30",
    )
    CourseFactory(
        centre=centre,
        start_date=date(2026, 3, 28),
        start_time=datetime(2026, 1, 1, 2, 30).time(),
        duration_minutes=60,
        rule="RRULE:FREQ=DAILY;COUNT=3",
    )
    # A festival: no RRULE, RDATEs on two days.
    CourseFactory(
        centre=centre,
        kind="festival_session",
        start_date=date(2026, 6, 5),
        start_time=datetime(2026, 1, 1, 10).time(),
        rule="RDATE:20260605T140000\nRDATE:20260606",
    )
    # An open-ended duty hour, and one with an RDATE beside its rule.
    CourseFactory(
        centre=centre,
        kind="consultation",
        start_date=date(2026, 2, 16),
        rule="FREQ=WEEKLY;BYDAY=MO",
    )
    CourseFactory(
        centre=centre,
        start_date=date(2026, 10, 20),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3\nRDATE:20261030",
    )
    # Two RRULEs: published session by session.
    CourseFactory(
        centre=centre,
        start_date=date(2026, 3, 2),
        rule="RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
    )
    # Monthly on the last Friday, changed to another start time after two sessions.
    changed = CourseFactory(
        centre=centre, start_date=date(2026, 2, 27), rule="RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
    )
    with time_machine.travel(datetime(2026, 4, 1, 12, tzinfo=WARSAW), tick=False):
        course_update(course=changed, start_time=datetime(2026, 1, 1, 16, 45).time())
    return long


def api_sessions(api) -> list[tuple[str, str]]:
    found, url = [], "/api/v1/sessions/?centre=cic-poznan&status=scheduled&page_size=500"
    while url:
        body = api.get(url).json()
        found += [(s["starts_at"], s["ends_at"]) for s in body["results"]]
        url = body["next"]
    return sorted(found)


def feed(client) -> str:
    response = client.get("/calendars/cic-poznan.ics")
    assert response.status_code == 200
    return response.content.decode()


def by_recurring_ical_events(text: str) -> list[tuple[str, str]]:
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(*RANGE)
    return sorted((e["DTSTART"].dt.isoformat(), e["DTEND"].dt.isoformat()) for e in events)


def by_home_assistant_ical(text: str) -> list[tuple[str, str]]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    timeline = calendar.timeline_tz(WARSAW)
    start = datetime.combine(RANGE[0], datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(RANGE[1], datetime.min.time(), tzinfo=UTC)
    return sorted(
        (e.start.isoformat(), e.end.isoformat()) for e in timeline.overlapping(start, end)
    )


def by_ical_js(text: str, tmp_path: Path) -> list[tuple[str, str]]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the ical.js check"
    assert (JS_DIR / "node_modules" / "ical.js").exists(), "run `make install` (npm ci in tests/js)"
    path = tmp_path / "feed.ics"
    path.write_text(text)
    result = subprocess.run(  # noqa: S603
        [node, str(JS_DIR / "expand.mjs"), str(path), RANGE[0].isoformat(), RANGE[1].isoformat()],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted((e["start"], e["end"]) for e in json.loads(result.stdout))


def test_every_parser_expands_the_feed_to_exactly_the_scheduled_sessions(
    client, api, programme, tmp_path
) -> None:
    expected = api_sessions(api)
    assert len(expected) > 150
    text = feed(client)
    assert by_recurring_ical_events(text) == expected
    assert by_home_assistant_ical(text) == expected
    assert by_ical_js(text, tmp_path) == expected


def test_the_series_crosses_all_four_dst_switches_at_18_00_local(client, api, programme) -> None:
    starts = {s for s, _ in by_recurring_ical_events(feed(client))}
    for day, offset in [
        ("2026-03-24", "+01:00"),
        ("2026-04-07", "+02:00"),
        ("2026-10-20", "+02:00"),
        ("2026-10-27", "+01:00"),
        ("2027-03-23", "+01:00"),
        ("2027-03-30", "+02:00"),
        ("2027-10-26", "+02:00"),
        ("2027-11-02", "+01:00"),
    ]:
        assert f"{day}T18:00:00{offset}" in starts
