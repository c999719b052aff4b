"""iCalendar (RFC 5545) rendering for calendar feeds. Pure: no database.

What Google, Outlook, Apple Calendar, Thunderbird and Evolution (libical) need, and how it is met:
- every DTSTART, DTEND, EXDATE and RECURRENCE-ID in local time with TZID, and a VTIMEZONE for
  each zone in the file, built from the zone's data for every year the feed covers and written
  with yearly RRULEs (the form Outlook reads reliably);
- a local time that is not one instant (in the spring gap or the autumn fold), and an event whose
  end has another UTC offset than its start, are written in UTC: no client has to resolve them;
- a series is an RRULE with UNTIL in UTC, EXDATE for removed sessions, a second VEVENT with the
  same UID and RECURRENCE-ID for a moved one; other sessions are VEVENTs of their own
  (Outlook.com ignores RDATE). How sessions become series: `scheduling.series`;
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
    """A moved (or annotated) instance of a series; RECURRENCE-ID is its original local start."""

    recurrence_id: datetime
    start: datetime
    end: datetime
    text: Text


@dataclass(frozen=True)
class Series:
    uid: str
    text: Text
    start: datetime  # the first published instance (aware, in the centre's zone; clean)
    duration: timedelta
    rrule: str  # FREQ=...;BYDAY=... without COUNT or UNTIL
    until: datetime  # the UNTIL instant: the end of the last instance's local day
    sequence: int
    last_modified: datetime
    exdates: Sequence[datetime] = field(default_factory=tuple)
    overrides: Sequence[Override] = field(default_factory=tuple)
    claims: Sequence[int] = field(default_factory=tuple)  # the sessions it publishes


@dataclass(frozen=True)
class SingleEvent:
    uid: str
    text: Text
    start: datetime
    end: datetime
    sequence: int
    last_modified: datetime
    utc: bool = False  # written in UTC (a session a rule made in a gap or a fold)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def is_one_instant(moment: datetime) -> bool:
    """Whether the local time of an aware moment names one instant in its zone (not in a fold)."""
    naive, tz = moment.replace(tzinfo=None), moment.tzinfo
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    return first.utcoffset() == second.utcoffset()


def _in_utc(start: datetime, end: datetime, *, utc: bool = False) -> bool:
    """Whether an event is written in UTC: asked to, or a client could read its local times two
    ways (a time in the autumn fold, or an end at another UTC offset than the start)."""
    clear = is_one_instant(start) and is_one_instant(end) and start.utcoffset() == end.utcoffset()
    return utc or not clear


def _add_times(event: Event, start: datetime, end: datetime, *, utc: bool = False) -> None:
    """DTSTART and DTEND with TZID, or both in UTC (`_in_utc`)."""
    if _in_utc(start, end, utc=utc):
        start, end = _utc(start), _utc(end)
    event.add("dtstart", start)
    event.add("dtend", end)


def _nth_weekday(day: date) -> str:
    """BYDAY for a day as the n-th (or last) weekday of its month, e.g. -1SU."""
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    if day + timedelta(days=7) >= next_month:
        return f"-1{DAY_NAMES[day.weekday()]}"
    return f"{(day.day - 1) // 7 + 1}{DAY_NAMES[day.weekday()]}"


def _transitions(tz: tzinfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(local wall time just before, offset before, offset after, name after) for each change of
    the zone's UTC offset in `year`, found to the minute."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=1)
    previous = moment.astimezone(tz).utcoffset()
    while moment < end:
        nxt = moment + step
        offset = nxt.astimezone(tz).utcoffset()
        if offset != previous and previous is not None and offset is not None:
            low, high = moment, nxt  # the offset changes in (low, high]: find the minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    break
                if middle.astimezone(tz).utcoffset() == previous:
                    low = middle
                else:
                    high = middle
            local_before = (high + previous).replace(tzinfo=None)
            found.append((local_before, previous, offset, high.astimezone(tz).tzname() or ""))
        previous = offset
        moment = nxt
    return found


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _pattern(tz: tzinfo, year: int) -> tuple[object, ...]:
    """What a year's rules look like: equal for years one yearly RRULE describes."""
    changes = _transitions(tz, year)
    if len(changes) != 2:
        return ("irregular", year)
    return tuple(
        (local.month, _nth_weekday(local.date()), local.time(), before, after, name)
        for local, before, after, name in changes
    )


def _observance(kind: str, before: timedelta, after: timedelta, name: str, *rest: str) -> list[str]:
    return [
        f"BEGIN:{kind}",
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(after)}",
        f"TZNAME:{name}",
        *rest,
        f"END:{kind}",
    ]


@functools.cache
def vtimezone(tzid: str, first_year: int = 2026, last_year: int | None = None) -> Timezone:
    """A VTIMEZONE for the years from `first_year` to `last_year`, from the zone's own data.

    Consecutive years with the same two switches are one pair of yearly RRULEs (the first pair
    reaching back to 1970, the form Outlook reads), closed by UNTIL where the zone's rules
    change; a year with other changes (a zone that gives up summer time) lists them one by one."""
    tz = ZoneInfo(tzid)
    last_year = max(first_year, last_year or first_year)
    groups: list[tuple[tuple[object, ...], list[int]]] = []
    for year in range(first_year, last_year + 1):
        pattern = _pattern(tz, year)
        if groups and groups[-1][0] == pattern:
            groups[-1][1].append(year)
        else:
            groups.append((pattern, [year]))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    for number, (pattern, years) in enumerate(groups):
        if pattern[0] == "irregular":
            changes = [c for year in years for c in _transitions(tz, year)]
            if number == 0:
                january = datetime(years[0], 1, 1, tzinfo=UTC).astimezone(tz)
                offset = january.utcoffset() or timedelta()
                first = _observance(
                    "STANDARD", offset, offset, january.tzname() or tzid, "DTSTART:19700101T000000"
                )
                lines += first
            for local, before, after, name in changes:
                kind = "DAYLIGHT" if after > before else "STANDARD"
                lines += _observance(kind, before, after, name, f"DTSTART:{local:%Y%m%dT%H%M%S}")
            continue
        closing = number + 1 < len(groups)
        for local, before, after, name in _transitions(tz, years[0]):
            kind = "DAYLIGHT" if after > before else "STANDARD"
            byday = _nth_weekday(local.date())
            begins = _first_in_1970(local, byday) if number == 0 else local
            rule = f"RRULE:FREQ=YEARLY;BYMONTH={local.month};BYDAY={byday}"
            if closing:
                last = next(c for c in _transitions(tz, years[-1]) if c[0].month == local.month)
                # A day after the last onset: inclusive whether a reader compares UNTIL in UTC
                # (RFC 5545) or, as some do, as local time; the next onset is a year away.
                rule += f";UNTIL={(last[0] - before + timedelta(days=1)):%Y%m%dT%H%M%S}Z"
            lines += _observance(kind, before, after, name, f"DTSTART:{begins:%Y%m%dT%H%M%S}", rule)
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
    recur["UNTIL"] = [_utc(series.until).replace(microsecond=0)]
    master.add("rrule", recur)
    if series.exdates:
        master.add("exdate", sorted(series.exdates))
    _add_text(master, series.text)
    yield master
    for override in sorted(series.overrides, key=lambda o: o.recurrence_id):
        event = Event()
        _stamp(event, series.uid, series.sequence, series.last_modified)
        event.add("recurrence-id", override.recurrence_id)
        _add_times(event, override.start, override.end)
        _add_text(event, override.text)
        yield event


def _single_event(item: SingleEvent) -> Event:
    event = Event()
    _stamp(event, item.uid, item.sequence, item.last_modified)
    _add_times(event, item.start, item.end, utc=item.utc)
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
    any_utc = any(_in_utc(e.start, e.end, utc=e.utc) for e in events) or any(
        _in_utc(o.start, o.end) for s in series for o in s.overrides
    )
    if len(zones) == 1 and not any_utc:
        # Only when every time carries the TZID: readers of X-WR-TIMEZONE (Google's, and
        # libraries that copy it) move UTC times into the zone and lose the autumn fold.
        cal.add("x-wr-timezone", zones[0])
    years = [s.start.year for s in series] + [_utc(s.until).year for s in series]
    years += [o.start.year for s in series for o in s.overrides]
    years += [e.start.year for e in events] + [e.end.year for e in events]
    for zone in zones:
        cal.add_component(vtimezone(zone, min(years), max(years)))
    for item in sorted(series, key=lambda s: s.uid):
        for event in _series_events(item):
            cal.add_component(event)
    for single in sorted(events, key=lambda e: (e.start, e.uid)):
        cal.add_component(_single_event(single))
    return cal.to_ical()
