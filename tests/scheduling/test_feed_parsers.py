"""Four independent clients read our feeds exactly as the sessions are: recurring-ical-events
(icalendar), Home Assistant's strict `ical`, Mozilla's ical.js (Thunderbird) in Node, and libical
(Evolution, GNOME Calendar) through tests/c/ical_expand.c, built by the `ical_expand` fixture.
They are compared with the sessions API on every feed shape, and instant by instant on series
through the spring gap and the autumn fold and on sessions that span a switch, where no client
may be left to resolve a local time on its own. The feed's shape for simple readers is checked in
test_feed_shape.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
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
C_DIR = Path(__file__).resolve().parent.parent / "c"
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
    RDATE, an open-ended rule, two RRULEs, a changed start time, a first session cancelled or on
    a holiday, and all four DST switches of 2026 and 2027."""
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
    # A series whose first session staff cancelled, and one whose first date is a holiday
    # (11 November 2026, Independence Day).
    first_cancelled = CourseFactory(
        centre=centre, start_date=date(2026, 9, 3), rule="RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=5"
    )
    services.session_cancel(session=first_cancelled.sessions.order_by("starts_at").first())
    CourseFactory(
        centre=centre, start_date=date(2026, 11, 11), rule="RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=4"
    )
    # Monthly on the last Friday, changed to another start time after two sessions.
    changed = CourseFactory(
        centre=centre, start_date=date(2026, 2, 27), rule="RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"
    )
    with time_machine.travel(datetime(2026, 4, 1, 12, tzinfo=WARSAW), tick=False):
        course_update(course=changed, start_time=datetime(2026, 1, 1, 16, 45).time())
    return long


def api_sessions(api, query: str = "centre=cic-poznan") -> list[tuple[str, str]]:
    found, url = [], f"/api/v1/sessions/?{query}&status=scheduled&page_size=500"
    while url:
        body = api.get(url).json()
        found += [(s["starts_at"], s["ends_at"]) for s in body["results"]]
        url = body["next"]
    return sorted(found)


def feed(client, path: str = "/calendars/cic-poznan.ics") -> str:
    response = client.get(path)
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


@pytest.fixture(scope="session")
def ical_expand() -> Path:
    """tests/c/ical_expand.c built against Debian's libical (`make test` installs libical-dev),
    rebuilt when the source is newer; written under another name first, so that two test
    processes building at once never run a half-written binary."""
    source, binary = C_DIR / "ical_expand.c", C_DIR / "build" / "ical_expand"
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return binary
    pkg_config, gcc = shutil.which("pkg-config"), shutil.which("gcc")
    assert pkg_config, "pkg-config is needed for the libical check: run `make test`"
    assert gcc, "gcc is needed for the libical check: run `make test`"
    flags = subprocess.run(  # noqa: S603
        [pkg_config, "--cflags", "--libs", "libical"], capture_output=True, text=True
    )
    assert flags.returncode == 0, (
        f"libical is missing (`make test` installs libical-dev): {flags.stderr}"
    )
    binary.parent.mkdir(exist_ok=True)
    partial = binary.with_name(f"ical_expand.{os.getpid()}")
    subprocess.run(  # noqa: S603
        [gcc, "-O2", "-Wall", "-o", str(partial), str(source), *flags.stdout.split()], check=True
    )
    partial.replace(binary)
    return binary


def by_libical(text: str, tmp_path: Path, program: Path) -> list[tuple[str, str]]:
    """libical (Evolution, GNOME Calendar) prints UTC instants; shown here in the centre's zone
    like the API's."""
    path = tmp_path / "feed-libical.ics"
    path.write_text(text)
    result = subprocess.run(  # noqa: S603
        [str(program), str(path), RANGE[0].isoformat(), RANGE[1].isoformat()],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted((local(e["start"]), local(e["end"])) for e in json.loads(result.stdout))


def local(iso: str) -> str:
    """Any ISO instant (Z or an offset) as the centre's local time with its offset."""
    return datetime.fromisoformat(iso).astimezone(WARSAW).isoformat()


def instants(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(start, end) pairs compared as instants: a session written in UTC is the same session."""
    return sorted((local(start), local(end)) for start, end in pairs)


def test_every_parser_expands_the_feed_to_exactly_the_scheduled_sessions(
    client, api, programme, tmp_path, ical_expand
) -> None:
    expected = instants(api_sessions(api))
    assert len(expected) > 150
    text = feed(client)
    assert instants(by_recurring_ical_events(text)) == expected
    assert instants(by_home_assistant_ical(text)) == expected
    assert instants(by_ical_js(text, tmp_path)) == expected
    assert instants(by_libical(text, tmp_path, ical_expand)) == expected


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


CLIENTS = ("recurring-ical-events", "home-assistant-ical", "ical.js", "libical")


@pytest.fixture
def expand(tmp_path, ical_expand) -> Callable[[str, str], list[tuple[str, str]]]:
    """(client, feed) -> every (start, end) the client shows, as instants in the centre's zone."""

    def run(reader: str, text: str) -> list[tuple[str, str]]:
        if reader == "recurring-ical-events":
            pairs = by_recurring_ical_events(text)
        elif reader == "home-assistant-ical":
            pairs = by_home_assistant_ical(text)
        elif reader == "ical.js":
            pairs = by_ical_js(text, tmp_path)
        else:
            pairs = by_libical(text, tmp_path, ical_expand)
        return sorted((local(start), local(end)) for start, end in pairs)

    return run


# Courses at the edges of a DST switch (Europe/Warsaw: 29 March 2026 02:00 CET -> 03:00 CEST,
# 25 October 2026 03:00 CEST -> 02:00 CET): (first date, start, minutes, rule, sessions).
DST_SHAPES = {
    "daily at 02:30 through the spring gap": (date(2026, 3, 27), time(2, 30), 60, "DAILY", 5),
    "daily at 02:30 through the autumn fold": (date(2026, 10, 23), time(2, 30), 60, "DAILY", 5),
    "120 minutes from 01:30 on the spring switch day": (
        date(2026, 3, 28),
        time(1, 30),
        120,
        "DAILY",
        3,
    ),
    "120 minutes from 01:30 on the autumn switch day": (
        date(2026, 10, 24),
        time(1, 30),
        120,
        "DAILY",
        3,
    ),
    "60 minutes from 02:30 on the autumn switch day": (
        date(2026, 10, 25),
        time(2, 30),
        60,
        "DAILY",
        1,
    ),
}


@pytest.mark.parametrize("reader", CLIENTS)
@pytest.mark.parametrize("shape", DST_SHAPES)
def test_every_client_reads_the_dst_shapes_instant_by_instant_as_the_api(
    client, api, centre, expand, shape, reader
) -> None:
    first, start, minutes, freq, count = DST_SHAPES[shape]
    course = CourseFactory(
        centre=centre,
        start_date=first,
        start_time=start,
        duration_minutes=minutes,
        rule=f"RRULE:FREQ={freq};COUNT={count}",
    )
    expected = sorted((local(s), local(e)) for s, e in api_sessions(api, f"course={course.pk}"))
    assert len(expected) == count
    shown = expand(reader, feed(client, f"/calendars/{centre.slug}/{course.slug}.ics"))
    assert shown == expected
