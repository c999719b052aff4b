"""A line break or another control character in a centre's name, a course's title or
description, a venue's address or a trainer's name is typed by staff sometimes: every feed
(centre, course, a trainer's and a participant's private feed) still renders, and its text
values are valid RFC 5545 TEXT that strict parsers read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from ical.calendar_stream import IcsCalendarStream

from scheduling import ical
from tests.factories import (
    CalendarTokenFactory,
    CourseFactory,
    EnrolmentFactory,
    UserFactory,
    VenueFactory,
)

WARSAW = ZoneInfo("Europe/Warsaw")
# What RFC 5545 forbids in a content line: every control character but HTAB (CRLF ends lines).
FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
NASTY = "Kurs\r\npolskiego\n\x07A1\x01 \x0b\x0c\x1c\x85\u2028\u2029\x7f\tdla\x1b dorosłych"


def assert_valid(body: bytes) -> icalendar.Calendar:
    """Every content line clean, unfolded values parse with icalendar and with the strict
    Home Assistant parser; the calendar is returned."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    for line in text[:-2].split("\r\n"):
        assert not FORBIDDEN.search(line), repr(line)
    IcsCalendarStream.calendar_from_ics(text)  # raises on anything it cannot read
    return icalendar.Calendar.from_ical(body)


def test_render_cleans_every_text_value() -> None:
    start = datetime(2027, 1, 5, 18, tzinfo=WARSAW)
    text = ical.Text(
        summary=NASTY + "\x00\ud800",
        description="Pierwsza linia\r\ndruga\x00 linia\u2028trzecia",
        location="ul. Nowowiejskiego 25\n61-731 Poznań",
        url="https://example.org/centres/x/\n",
    )
    body = ical.render(
        name="CIC\nPoznań\x00, Wielkopolska; 1",
        description="Opis\r\nkalendarza",
        series=[],
        events=[
            ical.SingleEvent(
                uid="session-1@example.org",
                text=text,
                start=start,
                end=start + timedelta(minutes=90),
                sequence=0,
                last_modified=datetime(2027, 1, 1, tzinfo=UTC),
            )
        ],
    )
    calendar = assert_valid(body)
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Kurs polskiego A1 dla dorosłych"
    assert str(event["DESCRIPTION"]) == "Pierwsza linia\ndruga linia\ntrzecia"
    assert str(event["LOCATION"]) == "ul. Nowowiejskiego 25 61-731 Poznań"
    assert str(event["URL"]) == "https://example.org/centres/x/"
    # NAME (RFC 7986) and the X-WR-* names are TEXT: escaped like SUMMARY.
    assert "\r\nNAME:CIC Poznań\\, Wielkopolska\\; 1\r\n" in body.decode()
    assert "\r\nX-WR-CALNAME:CIC Poznań\\, Wielkopolska\\; 1\r\n" in body.decode()
    assert "\r\nX-WR-CALDESC:Opis\\nkalendarza\r\n" in body.decode()


def test_clean_text_keeps_ordinary_text_as_it_is() -> None:
    for value in ("Język polski A1", "Польська мова", "Кафе 👩‍👩‍👧", "a, b; c \\ d"):
        assert ical.clean_text(value) == value
        assert ical.clean_text(value, multiline=True) == value


@pytest.fixture
def messy(db, centre):
    """A centre, venue, course, trainer and participant whose texts hold line breaks and
    control characters (PostgreSQL stores anything but NUL)."""
    with time_machine.travel(datetime(2027, 1, 1, 9, tzinfo=WARSAW), tick=False):
        centre.name = "CIC\r\nPoznań\x07"
        centre.save()
        venue = VenueFactory(centre=centre, name="Sala\n1", address="ul. Wodna 1\x0b")
        trainer = UserFactory(username="trener", first_name="Anna\n", last_name="Nowak\x1b")
        course = CourseFactory(
            centre=centre,
            slug="a1",
            venue=venue,
            title_pl=NASTY,
            description_pl="Opis\u2028kursu\x01",
            trainers=[trainer],
        )
        course.published = True
        course.save()
        place = EnrolmentFactory(course=course)
    return {"trainer": trainer, "participant": place.participant}


def test_every_feed_of_the_centre_renders_and_is_valid(client, messy) -> None:
    token = CalendarTokenFactory(user=messy["trainer"]).token
    urls = [
        "/calendars/cic-poznan.ics",
        "/calendars/cic-poznan.ics?lang=uk",
        "/calendars/cic-poznan/a1.ics",
        f"/calendars/private/{token}.ics",
        f"/calendars/private/{messy['participant'].token}.ics",
    ]
    with time_machine.travel(datetime(2027, 1, 2, 9, tzinfo=WARSAW), tick=False):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            calendar = assert_valid(response.content)
            summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
            assert summaries, url
            assert all("\n" not in s and "\x07" not in s for s in summaries), url
            assert "\n" not in str(calendar["NAME"]), url
