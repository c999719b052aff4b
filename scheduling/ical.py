"""iCalendar (RFC 5545) rendering for calendar feeds. Pure: no database.

What Google, Outlook, Apple Calendar and Thunderbird need, and how it is met:
- every DTSTART, DTEND, EXDATE and RECURRENCE-ID in local time with TZID, and a VTIMEZONE for
  each zone in the file, written with yearly RRULEs (the form Outlook reads reliably);
- a course is one series: RRULE with UNTIL in UTC, EXDATE for removed sessions, a second
  VEVENT with the same UID and RECURRENCE-ID for a moved one; sessions outside the rule are
  VEVENTs of their own (Outlook.com ignores RDATE);
- stable UIDs, SEQUENCE that never falls, DTSTAMP and LAST-MODIFIED from the data, never from
  the clock, so identical data gives identical bytes;
- text values without control characters (`clean_text`), whatever staff typed into a name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from icalendar import Calendar, Event, Timezone, vDuration, vRecur, vText

PRODID = "-//Integra//Integration centres scheduling//PL"
DAY_NAMES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Text:
    """What people read about an event, already in the requested language."""

    summary: str
    description: str = ""
    location: str = ""
    url: str = ""


@dataclass(frozen=True)
class Override:
    """A moved instance of a series (RECURRENCE-ID is its original local start)."""

    recurrence_id: datetime
    start: datetime
    end: datetime
    location: str


@dataclass(frozen=True)
class Series:
    uid: str
    text: Text
    start: datetime  # the first published instance (aware, in the centre's zone)
    duration: timedelta
    rrule: str  # FREQ=...;BYDAY=... without COUNT or UNTIL
    until: datetime  # the last published instance's start (aware)
    sequence: int
    last_modified: datetime
    exdates: Sequence[datetime] = field(default_factory=tuple)
    overrides: Sequence[Override] = field(default_factory=tuple)


@dataclass(frozen=True)
class SingleEvent:
    uid: str
    text: Text
    start: datetime
    end: datetime
    sequence: int
    last_modified: datetime


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _nth_weekday(day: date) -> str:
    """BYDAY for a day as the n-th (or last) weekday of its month, e.g. -1SU."""
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    if day + timedelta(days=7) >= next_month:
        return f"-1{DAY_NAMES[day.weekday()]}"
    return f"{(day.day - 1) // 7 + 1}{DAY_NAMES[day.weekday()]}"


def _transitions(tz: tzinfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(local wall time just before, offset before, offset after, name after) for each change."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=1)
    previous = moment.astimezone(tz).utcoffset()
    while moment < end:
        nxt = moment + step
        offset = nxt.astimezone(tz).utcoffset()
        if offset != previous and previous is not None and offset is not None:
            local_before = (nxt.astimezone(UTC) + previous).replace(tzinfo=None)
            found.append((local_before, previous, offset, nxt.astimezone(tz).tzname() or ""))
        previous = offset
        moment = nxt
    return found


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


@functools.cache
def vtimezone(tzid: str, year: int = 2026) -> Timezone:
    """A VTIMEZONE with yearly RRULEs, derived from the zone's transitions in `year`."""
    tz = ZoneInfo(tzid)
    changes = _transitions(tz, year)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    if len(changes) == 2:
        for local, before, after, name in changes:
            kind = "DAYLIGHT" if after > before else "STANDARD"
            byday = _nth_weekday(local.date())
            lines += [
                f"BEGIN:{kind}",
                f"TZOFFSETFROM:{_offset(before)}",
                f"TZOFFSETTO:{_offset(after)}",
                f"TZNAME:{name}",
                f"DTSTART:{_first_in_1970(local, byday):%Y%m%dT%H%M%S}",
                f"RRULE:FREQ=YEARLY;BYMONTH={local.month};BYDAY={byday}",
                f"END:{kind}",
            ]
    else:
        offset = datetime(year, 1, 1, tzinfo=tz).utcoffset() or timedelta()
        name = datetime(year, 1, 1, tzinfo=tz).tzname() or tzid
        lines += [
            "BEGIN:STANDARD",
            f"TZOFFSETFROM:{_offset(offset)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{name}",
            "DTSTART:19700101T000000",
            "END:STANDARD",
        ]
    lines.append("END:VTIMEZONE")
    component = Timezone.from_ical("\r\n".join(lines) + "\r\n")
    assert isinstance(component, Timezone)  # noqa: S101 - narrowing
    return component


def _first_in_1970(local: datetime, byday: str) -> datetime:
    """The same n-th weekday in 1970, so DTSTART is itself an occurrence of the rule."""
    weekday = getattr(du, byday[-2:])
    position = int(byday[:-2])
    rule = du.rrule(
        du.MONTHLY,
        dtstart=datetime(1970, local.month, 1, local.hour, local.minute),  # noqa: DTZ001
        bymonth=local.month,
        byweekday=weekday(position),
        count=1,
    )
    return rule[0]


_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """A TEXT value RFC 5545 allows: no control characters (a line break in a name or a title
    typed by staff, a stray NUL or BEL, a lone surrogate). Line breaks of every kind become
    "\\n" where the property is multi-line (DESCRIPTION; icalendar escapes it as \\n); other
    control and surrogate characters are dropped (a tab is kept there). A single-line value
    (SUMMARY, LOCATION, NAME) is one line with single spaces."""
    value = _LINE_BREAK.sub("\n", value)
    value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    if not multiline:
        return " ".join(value.split())
    return value.strip()


def _add_text(event: Event, text: Text) -> None:
    event.add("summary", clean_text(text.summary))
    description = clean_text(text.description, multiline=True)
    if description:
        event.add("description", description)
    location = clean_text(text.location)
    if location:
        event.add("location", location)
    url = "".join(clean_text(text.url).split())  # a URI has no spaces either
    if url:
        event.add("url", url)


def _stamp(event: Event, uid: str, sequence: int, last_modified: datetime) -> None:
    event.add("uid", uid)
    event.add("dtstamp", _utc(last_modified))
    event.add("last-modified", _utc(last_modified))
    event.add("sequence", sequence)


def _series_events(series: Series) -> Iterable[Event]:
    master = Event()
    _stamp(master, series.uid, series.sequence, series.last_modified)
    master.add("dtstart", series.start)
    master.add("dtend", series.start + series.duration)
    recur = vRecur.from_ical(series.rrule)
    recur["UNTIL"] = [_utc(series.until)]
    master.add("rrule", recur)
    if series.exdates:
        master.add("exdate", sorted(series.exdates))
    _add_text(master, series.text)
    yield master
    for override in sorted(series.overrides, key=lambda o: o.recurrence_id):
        event = Event()
        _stamp(event, series.uid, series.sequence, series.last_modified)
        event.add("recurrence-id", override.recurrence_id)
        event.add("dtstart", override.start)
        event.add("dtend", override.end)
        _add_text(
            event,
            Text(series.text.summary, series.text.description, override.location, series.text.url),
        )
        yield event


def _single_event(item: SingleEvent) -> Event:
    event = Event()
    _stamp(event, item.uid, item.sequence, item.last_modified)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    _add_text(event, item.text)
    return event


def render(
    *,
    name: str,
    series: Sequence[Series],
    events: Sequence[SingleEvent],
    refresh: timedelta = timedelta(hours=1),
    description: str = "",
) -> bytes:
    """The whole feed as bytes; the same input always gives the same bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # NAME and the X-WR-* names are TEXT too: escaped like SUMMARY (icalendar does not know them).
    name = clean_text(name)
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    description = clean_text(description, multiline=True)
    if description:
        cal.add("x-wr-caldesc", vText(description))
    cal.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(refresh))
    zones = sorted({str(s.start.tzinfo) for s in series} | {str(e.start.tzinfo) for e in events})
    if len(zones) == 1:
        cal.add("x-wr-timezone", zones[0])
    for zone in zones:
        cal.add_component(vtimezone(zone))
    for item in sorted(series, key=lambda s: s.uid):
        for event in _series_events(item):
            cal.add_component(event)
    for single in sorted(events, key=lambda e: (e.start, e.uid)):
        cal.add_component(_single_event(single))
    return cal.to_ical()
