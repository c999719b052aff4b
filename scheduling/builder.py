"""The schedule builder: a weekly timetable as plain choices, and the RFC 5545 text it stands
for. Pure logic: no models, no database.

Coordinators do not type `RRULE:FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630`: they tick weekdays,
say every how many weeks, how it ends (on a date, after N sessions, or never) and which dates to
skip. A `BuilderSchedule` holds those choices; `schedule_to_text` turns it into the course's
recurrence text (what `Course.recurrence` stores, read by `scheduling.rules.parse`) and
`schedule_from_text` / `schedule_from_recurrence` turn a recurrence back into the choices, or
give None when the builder cannot show it (several RRULEs, a monthly rule, EXRULE, RDATE,
BYSETPOS...): the page then offers the RFC 5545 text instead. Both directions meet: for every
schedule `s`, `schedule_from_text(schedule_to_text(s), tz) == s`.

As a dict (the API's `schedule`, a form's data):
    {"weekdays": ["TU", "TH"], "interval": 1, "until": "2027-06-30" | None,
     "count": 24 | None, "skip_dates": ["2027-04-06", ...]}
`until` and `count` exclude each other; both None is open-ended (sessions are generated up to
the rolling horizon, SESSION_HORIZON_DAYS). `until` is inclusive. Like EXDATE, a skip date
removes that day's session, and a COUNT counts it: COUNT=10 with one skip date gives nine.

`schedule_clean` checks input and raises `ScheduleInvalid`, whose `errors` map each field
("weekdays", "interval", "until", "count", "skip_dates", "non_field_errors") to translated
messages: forms add them to their fields, the API answers them as a 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

import recurrence
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from recurrence import Recurrence, Rule

from courses.errors import DomainError
from courses.text import whole_number
from scheduling import rules

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL = 52  # every N weeks: at most once a year
MAX_SKIP_DATES = 366
FIELDS = ("weekdays", "interval", "until", "count", "skip_dates")


@dataclass(frozen=True)
class BuilderSchedule:
    """A weekly timetable: weekdays (in week order, MO first), every `interval` weeks, ending
    `until` a date (inclusive) or after `count` sessions or never, minus `skip_dates` (sorted)."""

    weekdays: tuple[str, ...]
    interval: int = 1
    until: date | None = None
    count: int | None = None
    skip_dates: tuple[date, ...] = field(default_factory=tuple)

    @property
    def is_open_ended(self) -> bool:
        return self.until is None and self.count is None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (dates as YYYY-MM-DD), as the API answers and forms start from."""
        return {
            "weekdays": list(self.weekdays),
            "interval": self.interval,
            "until": self.until.isoformat() if self.until else None,
            "count": self.count,
            "skip_dates": [d.isoformat() for d in self.skip_dates],
        }


class ScheduleInvalid(DomainError):
    """Input the builder refuses. `errors`: field name -> translated messages."""

    code = "invalid_schedule"

    def __init__(self, errors: Mapping[str, list[str | Promise]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        name, messages = next(iter(self.errors.items()))
        super().__init__(messages[0], field=name)

    def messages_dict(self) -> dict[str, list[str]]:
        """The errors with messages rendered in the active language (for JSON and forms)."""
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}


def _max_count() -> int:
    return int(settings.RECURRENCE_MAX_SESSIONS)


def _integer(value: Any) -> int | None:
    """An integer from JSON or a form (5, "5"); None for anything else (True, 2.5, "x")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return whole_number(value)
    return None


def _date(value: Any) -> date | None:
    """A date from JSON or a form ("2027-06-30" or a date); None when it is not one."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return None
        if len(value.strip()) != 10:  # fromisoformat also reads 20270630 and 2027-W26-3
            return None
    else:
        return None
    return day if rules.FIRST_DAY <= day <= rules.LAST_DAY else None


def _bad_date_message() -> str:
    return _("Give a date as YYYY-MM-DD, from %(first)s to %(last)s.") % {
        "first": rules.FIRST_DAY.isoformat(),
        "last": rules.LAST_DAY.isoformat(),
    }


def _clean_weekdays(value: Any, errors: dict[str, list[str | Promise]]) -> tuple[str, ...]:
    if value is None or value == [] or value == ():
        errors["weekdays"] = [_("Choose at least one weekday.")]
        return ()
    if not isinstance(value, list | tuple):
        errors["weekdays"] = [_('Give the weekdays as a list, e.g. ["TU", "TH"].')]
        return ()
    chosen = set()
    for item in value:
        day = item.strip().upper() if isinstance(item, str) else None
        if day not in WEEKDAYS:
            errors["weekdays"] = [
                _("“%(value)s” is not a weekday: use MO, TU, WE, TH, FR, SA or SU.")
                % {"value": str(item)[:20]}
            ]
            return ()
        chosen.add(day)
    return tuple(d for d in WEEKDAYS if d in chosen)


def _clean_skip_dates(value: Any, errors: dict[str, list[str | Promise]]) -> tuple[date, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        errors["skip_dates"] = [_("Give the dates to skip as a list of YYYY-MM-DD.")]
        return ()
    if len(value) > MAX_SKIP_DATES:
        errors["skip_dates"] = [
            _("At most %(max)s dates can be skipped.") % {"max": MAX_SKIP_DATES}
        ]
        return ()
    days = set()
    for item in value:
        day = _date(item)
        if day is None:
            errors["skip_dates"] = [
                _("“%(value)s” is not a date. %(hint)s")
                % {"value": str(item)[:20], "hint": _bad_date_message()}
            ]
            return ()
        days.add(day)
    return tuple(sorted(days))


def schedule_clean(
    data: Mapping[str, Any] | Any, *, start_date: date | None = None, max_count: int | None = None
) -> BuilderSchedule:
    """Read a schedule from a dict (the API's JSON, a form's cleaned data) or refuse it.

    Weekdays may be given in any order and case; skip dates may repeat. `interval` defaults to
    1, the others to None / []. With `start_date` (the course's first date), an end date before
    it is refused. `max_count` is the most sessions a course may have
    (RECURRENCE_MAX_SESSIONS by default). Raises ScheduleInvalid with every field that is wrong.
    """
    if not isinstance(data, Mapping):
        raise ScheduleInvalid(
            {"non_field_errors": [_("Give the schedule as an object with weekdays, interval…")]}
        )
    errors: dict[str, list[str | Promise]] = {}
    unknown = sorted(str(k) for k in data if k not in FIELDS)
    if unknown:
        errors["non_field_errors"] = [
            _("Unknown part of the schedule: %(names)s. Use %(fields)s.")
            % {"names": ", ".join(n[:30] for n in unknown[:5]), "fields": ", ".join(FIELDS)}
        ]
    weekdays = _clean_weekdays(data.get("weekdays"), errors)

    interval = 1
    raw_interval = data.get("interval")
    if raw_interval is not None and raw_interval != "":
        number = _integer(raw_interval)
        if number is None or not 1 <= number <= MAX_INTERVAL:
            errors["interval"] = [
                _("Every 1 to %(max)s weeks: give a whole number.") % {"max": MAX_INTERVAL}
            ]
        else:
            interval = number

    until = None
    raw_until = data.get("until")
    if raw_until is not None and raw_until != "":
        until = _date(raw_until)
        if until is None:
            errors["until"] = [_bad_date_message()]
        elif start_date is not None and until < start_date:
            errors["until"] = [
                _("The last date cannot be before the first date (%(date)s).")
                % {"date": start_date.isoformat()}
            ]

    count = None
    raw_count = data.get("count")
    if raw_count is not None and raw_count != "":
        limit = max_count if max_count is not None else _max_count()
        count = _integer(raw_count)
        if count is None or not 1 <= count <= limit:
            errors["count"] = [
                _("The number of sessions is a whole number from 1 to %(max)s.") % {"max": limit}
            ]
            count = None
    if raw_until not in (None, "") and raw_count not in (None, ""):
        errors.setdefault("count", []).append(
            _("Give either the last date or the number of sessions, not both.")
        )

    skip_dates = _clean_skip_dates(data.get("skip_dates"), errors)
    if errors:
        raise ScheduleInvalid(errors)
    return BuilderSchedule(
        weekdays=weekdays, interval=interval, until=until, count=count, skip_dates=skip_dates
    )


def schedule_to_text(schedule: BuilderSchedule) -> str:
    """The RFC 5545 text of a schedule, written as `scheduling.rules.to_text` writes a rule
    (dates in the centre's local time, one EXDATE line per skipped date)."""
    parts = ["FREQ=WEEKLY"]
    if schedule.interval != 1:
        parts.append(f"INTERVAL={schedule.interval}")
    if schedule.count is not None:
        parts.append(f"COUNT={schedule.count}")
    elif schedule.until is not None:
        parts.append(f"UNTIL={schedule.until:%Y%m%d}")
    parts.append("BYDAY=" + ",".join(schedule.weekdays))
    lines = ["RRULE:" + ";".join(parts)]
    lines += [f"EXDATE:{day:%Y%m%d}" for day in schedule.skip_dates]
    return "\n".join(lines)


def _local(value: datetime | date, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    if timezone.is_naive(value):
        return value
    return value.astimezone(tz).replace(tzinfo=None)


def schedule_from_recurrence(rec: Recurrence | None, tz: tzinfo) -> BuilderSchedule | None:
    """The builder's view of a parsed recurrence (e.g. `Course.recurrence`), or None when the
    builder cannot show it: anything but one weekly RRULE with plain weekdays, an interval, and
    COUNT or a date UNTIL (or neither), plus EXDATEs. `tz` is the centre's zone."""
    if rec is None or len(rec.rrules) != 1 or rec.exrules or rec.rdates:
        return None
    rule: Rule = rec.rrules[0]
    if rule.freq != recurrence.WEEKLY or not rule.byday:
        return None
    if any(getattr(rule, p, None) for p in Rule.byparams if p != "byday"):
        return None
    if getattr(rule.wkst, "number", rule.wkst) not in (None, 0):  # WKST other than Monday
        return None
    chosen = set()
    for day in rule.byday:
        weekday = recurrence.to_weekday(day)
        if weekday.index:  # "the 2nd Tuesday" is not a weekly choice
            return None
        chosen.add(WEEKDAYS[weekday.number])
    interval = int(rule.interval or 1)
    if not 1 <= interval <= MAX_INTERVAL:
        return None
    until = None
    if rule.until is not None:
        local = _local(rule.until, tz)
        if local.time() != time():  # an UNTIL at a time of day: only the text says it
            return None
        until = local.date()
    count = int(rule.count) if rule.count is not None else None
    skip_dates = tuple(sorted({_local(d, tz).date() for d in rec.exdates}))
    if len(skip_dates) > MAX_SKIP_DATES:
        return None
    return BuilderSchedule(
        weekdays=tuple(d for d in WEEKDAYS if d in chosen),
        interval=interval,
        until=until,
        count=count,
        skip_dates=skip_dates,
    )


def schedule_from_text(text: str, tz: tzinfo) -> BuilderSchedule | None:
    """The builder's view of RFC 5545 text, or None when the builder cannot show it. Raises
    `scheduling.rules.RuleError` when the text cannot be read at all."""
    return schedule_from_recurrence(rules.parse(text, tz), tz)
