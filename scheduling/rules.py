"""Recurrence rules on wall-clock time. Pure logic: no database.

A course keeps its rule as RFC 5545 text (RRULE, EXRULE, RDATE and EXDATE lines, stored by
django-recurrence) plus its own first date, local start time and duration. The rule is expanded
from a *naive* local start and each occurrence gets the centre's zone attached afterwards, so a
weekly 18:00 class stays 18:00 local on both sides of every DST switch. (django-recurrence keeps
datetimes in UTC; expanding from that instant would move the class to 19:00 after March.)

How the lines are read:
- RRULE / EXRULE: FREQ of YEARLY, MONTHLY, WEEKLY or DAILY, with the usual BY* parts. The time of
  day comes from the course, so BYHOUR, BYMINUTE and BYSECOND are refused. UNTIL is inclusive: a
  date (or local midnight) means "up to and including that day".
- EXDATE: removes the occurrence on that local date, whatever time is written.
- RDATE: adds a session on that local date, at the course's start time when only a date (or
  midnight) is given, else at the local time written.
- DTSTART and DTEND are refused: the first date and the time belong to the course's own fields.

Local times that do not exist or happen twice are settled by one rule (see `localize`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import recurrence
from dateutil import rrule as du
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from recurrence import Recurrence, Rule
from recurrence.exceptions import DeserializationError, SerializationError

from courses.errors import DomainError

MAX_DURATION_MINUTES = 24 * 60
# Days sessions may fall on and the calendar can show: far from the limits of Python's dates,
# so a start plus a day, its week before and after, in any zone and in UTC, is still a date.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
_KNOWN_LINE = re.compile(r"^(RRULE|EXRULE|RDATE|EXDATE)[;:]", re.IGNORECASE)
_FORBIDDEN_LINE = re.compile(r"^(DTSTART|DTEND)[;:]", re.IGNORECASE)
_TIME_PARAMS = ("byhour", "byminute", "bysecond")


class RuleError(DomainError):
    """A rule that cannot be used. `message` is translated and shown to people."""

    code = "invalid_rule"

    def __init__(self, message: str | Promise, *, field: str = "recurrence") -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class Occurrence:
    """One session the rule asks for: its original (rule) start and its aware start and end."""

    original_start: datetime
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Schedule:
    """Everything needed to expand a course's time, independent of the database."""

    recurrence: Recurrence
    start_date: date
    start_time: time
    duration_minutes: int
    tz: tzinfo

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def first_start(self) -> datetime:
        return datetime.combine(self.start_date, self.start_time)

    @property
    def is_open_ended(self) -> bool:
        """True when some RRULE has neither COUNT nor UNTIL: it runs for ever."""
        return any(r.count is None and r.until is None for r in self.recurrence.rrules)


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach `tz` to a wall-clock time, settling DST edge cases by one rule.

    - A time that happens twice (the October fold, e.g. 02:30) is the first of the two
      (summer time).
    - A time that does not exist (the March gap, e.g. 02:30) moves forward by the length of the
      gap (03:30 summer time): the instant a clock that was not changed would show.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz)


def ends_after(start: datetime, duration: timedelta) -> datetime:
    """When something that starts at `start` (aware) and lasts `duration` of real time ends, in
    the same zone. Python adds a timedelta to an aware time on the wall clock (a 120-minute
    class at 01:30 on the spring switch would end at 03:30 after 60 real minutes): count in UTC."""
    return (start.astimezone(UTC) + duration).astimezone(start.tzinfo)


def _to_local_naive(value: datetime | date, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    if timezone.is_naive(value):
        return value
    return value.astimezone(tz).replace(tzinfo=None)


def parse(text: str, tz: tzinfo) -> Recurrence:
    """Parse rule text; naive date-times in it are read in `tz`. Raises RuleError."""
    lines = [line.strip() for line in (text or "").replace("\r", "\n").split("\n") if line.strip()]
    if len(lines) == 1 and lines[0].upper().startswith("FREQ="):
        lines = ["RRULE:" + lines[0]]
    for line in lines:
        if _FORBIDDEN_LINE.match(line):
            raise RuleError(
                _(
                    "DTSTART and DTEND are not used: set the course's first date, start time "
                    "and duration instead."
                )
            )
        if not _KNOWN_LINE.match(line):
            raise RuleError(
                _("Unrecognised line in the rule: “%(line)s”. Use RRULE, EXRULE, RDATE or EXDATE.")
                % {"line": line[:60]}
            )
    normalised_lines = []
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep or not value.strip():
            raise RuleError(_("Every line of the rule needs a name and a value, like RRULE:FREQ=…"))
        name, value = name.upper(), value.strip().upper()
        if name.startswith(("RDATE", "EXDATE")):
            # One line per date: django-recurrence reads only the first of a comma list in RDATE.
            normalised_lines += [f"{name}:{v.strip()}" for v in value.split(",") if v.strip()]
        else:
            normalised_lines.append(f"{name}:{value}")
    normalised = "\n".join(normalised_lines)
    try:
        with timezone.override(tz):
            rec = recurrence.deserialize(normalised)
            recurrence.base.validate(rec)
    except (DeserializationError, SerializationError, ValueError, TypeError, IndexError) as exc:
        raise RuleError(
            _("The recurrence rule cannot be read: %(error)s") % {"error": exc}
        ) from exc
    return rec


def _format_local(value: datetime | date, tz: tzinfo) -> str:
    local = _to_local_naive(value, tz)
    if local.time() == time():
        return local.strftime("%Y%m%d")
    return local.strftime("%Y%m%dT%H%M%S")


def format_rule(rule: Rule, tz: tzinfo) -> str:
    parts = [f"FREQ={Rule.frequencies[rule.freq]}"]
    if rule.interval and rule.interval != 1:
        parts.append(f"INTERVAL={int(rule.interval)}")
    if rule.wkst is not None:
        parts.append(f"WKST={Rule.weekdays[getattr(rule.wkst, 'number', rule.wkst)]}")
    if rule.count is not None:
        parts.append(f"COUNT={int(rule.count)}")
    elif rule.until is not None:
        parts.append(f"UNTIL={_format_local(rule.until, tz)}")
    if rule.byday:
        days = []
        for day in rule.byday:
            weekday = recurrence.to_weekday(day)
            prefix = str(weekday.index) if weekday.index else ""
            days.append(prefix + Rule.weekdays[weekday.number])
        parts.append("BYDAY=" + ",".join(days))
    for param in Rule.byparams:
        if param == "byday":
            continue
        values = getattr(rule, param, None)
        if values:
            parts.append(f"{param.upper()}=" + ",".join(str(int(v)) for v in values))
    return ";".join(parts)


def to_text(rec: Recurrence | None, tz: tzinfo) -> str:
    """Render a rule as RFC 5545 lines in local time (dates where a date is meant)."""
    if rec is None:
        return ""
    lines = [f"RRULE:{format_rule(r, tz)}" for r in rec.rrules]
    lines += [f"EXRULE:{format_rule(r, tz)}" for r in rec.exrules]
    lines += [f"RDATE:{_format_local(d, tz)}" for d in rec.rdates]
    lines += [f"EXDATE:{_format_local(d, tz)}" for d in rec.exdates]
    return "\n".join(lines)


def dateutil_rule(rule: Rule, dtstart: datetime, tz: tzinfo) -> du.rrule:
    if rule.freq > du.DAILY:
        raise RuleError(_("Sessions can repeat at most daily (FREQ=DAILY, WEEKLY, MONTHLY…)."))
    for param in _TIME_PARAMS:
        if getattr(rule, param, None):
            raise RuleError(
                _("The time of day comes from the course's start time: remove %(part)s.")
                % {"part": param.upper()}
            )
    until = None
    if rule.until is not None:
        until = _to_local_naive(rule.until, tz)
        if until.time() == time():
            until = datetime.combine(until.date(), time.max)
    kwargs: dict[str, object] = {}
    for param in Rule.byparams:
        values = getattr(rule, param, None)
        if not values or param in _TIME_PARAMS:
            continue
        if param == "byday":
            weekdays = [recurrence.to_weekday(v) for v in values]
            kwargs["byweekday"] = [du.weekday(w.number, w.index or None) for w in weekdays]
        else:
            kwargs[param] = list(values)
    wkst = getattr(rule.wkst, "number", rule.wkst)
    try:
        return du.rrule(
            rule.freq,
            dtstart=dtstart,
            interval=rule.interval or 1,
            wkst=wkst,
            count=rule.count,
            until=until,
            cache=False,
            **kwargs,  # type: ignore[arg-type]
        )
    except (ValueError, TypeError) as exc:
        raise RuleError(
            _("The recurrence rule cannot be read: %(error)s") % {"error": exc}
        ) from exc


def _marked_starts(schedule: Schedule) -> Iterator[tuple[datetime, bool]]:
    """Naive local starts the rule makes, in order, each with whether an EXDATE removes it."""
    tz = schedule.tz
    first = schedule.first_start
    rec = schedule.recurrence
    rset = du.rruleset(cache=False)
    if not rec.rrules:
        rset.rdate(first)  # no RRULE: a one-off on the first date (plus any RDATEs)
    for rule in rec.rrules:
        rset.rrule(dateutil_rule(rule, first, tz))
    for rule in rec.exrules:
        rset.exrule(dateutil_rule(rule, first, tz))
    for value in rec.rdates:
        local = _to_local_naive(value, tz)
        if local.time() == time():
            local = datetime.combine(local.date(), schedule.start_time)
        if local >= first:
            rset.rdate(local)
    excluded_dates = {_to_local_naive(v, tz).date() for v in rec.exdates}
    for start in rset:
        yield start, start.date() in excluded_dates


def _rule_starts(schedule: Schedule) -> Iterator[datetime]:
    """Naive local starts the rule makes, in order, before exclusions by closures."""
    for start, exdated in _marked_starts(schedule):
        if not exdated:
            yield start


def in_range(moment: datetime) -> bool:
    """An aware moment on a day from FIRST_DAY to LAST_DAY (in UTC)."""
    try:
        return FIRST_DAY <= moment.astimezone(UTC).date() <= LAST_DAY
    except OverflowError:  # beyond what a datetime can hold in UTC
        return False


def out_of_range_message() -> str:
    return _("Sessions can be planned only from %(first)s to %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }


def validate(schedule: Schedule, *, max_sessions: int, horizon_end: date) -> None:
    """Refuse a schedule that cannot be published. Raises RuleError naming the field."""
    if not 0 < schedule.duration_minutes <= MAX_DURATION_MINUTES:
        raise RuleError(
            _("A session lasts between 1 minute and 24 hours."), field="duration_minutes"
        )
    if not FIRST_DAY <= schedule.start_date <= LAST_DAY:
        raise RuleError(out_of_range_message(), field="start_date")
    first = schedule.first_start
    rules = [dateutil_rule(r, first, schedule.tz) for r in schedule.recurrence.rrules]
    if rules and not any(rule.after(first, inc=True) == first for rule in rules):
        raise RuleError(
            _(
                "The rule never falls on the first date %(date)s: choose a first date the rule "
                "matches (for example the right weekday)."
            )
            % {"date": schedule.start_date.isoformat()},
            field="start_date",
        )
    limit = datetime.combine(horizon_end, time.max)
    starts = _rule_starts(schedule)
    if schedule.is_open_ended:
        starts = itertools.takewhile(lambda s: s <= limit, starts)
    produced = 0
    for start in itertools.islice(starts, max_sessions + 1):
        if start.date() > LAST_DAY:
            raise RuleError(out_of_range_message())
        produced += 1
    if produced > max_sessions:
        raise RuleError(
            _(
                "The rule makes more than %(max)s sessions. Shorten it with COUNT or UNTIL, or "
                "split the course."
            )
            % {"max": max_sessions}
        )
    if produced == 0:
        raise RuleError(_("The rule makes no session at all."))


@dataclass(frozen=True)
class Skipped:
    """An occurrence of the rule that gets no session: an EXDATE of the rule names its day
    (`exdate`), or its day is among the `excluded_dates` given (closures, public holidays)."""

    original_start: datetime
    exdate: bool


def plan(
    schedule: Schedule,
    *,
    until: date,
    excluded_dates: Container[date] = frozenset(),
    since: datetime | None = None,
) -> Iterator[Occurrence | Skipped]:
    """Every occurrence of the rule up to and including the local date `until`, in order: an
    Occurrence for each session, a Skipped for each day an EXDATE or `excluded_dates` removes.

    `since` (aware) drops occurrences that start before it. `expand` is this without the
    skipped days: a preview built on `plan` shows exactly the sessions generation makes.
    """
    limit = datetime.combine(until, time.max)
    for naive, exdated in _marked_starts(schedule):
        if naive > limit:
            break
        start = localize(naive, schedule.tz)
        if since is not None and start < since:
            continue
        if exdated or naive.date() in excluded_dates:
            yield Skipped(start, exdate=exdated)
        else:
            yield Occurrence(start, start, ends_after(start, schedule.duration))


def expand(
    schedule: Schedule,
    *,
    until: date,
    excluded_dates: Container[date] = frozenset(),
    since: datetime | None = None,
) -> list[Occurrence]:
    """Occurrences up to and including the local date `until`, minus `excluded_dates`.

    `since` (aware) drops occurrences that start before it.
    """
    found = plan(schedule, until=until, excluded_dates=excluded_dates, since=since)
    return [o for o in found if isinstance(o, Occurrence)]
