"""A course's schedule in words, in the active language: "Tue and Thu 17:30–19:00, until 30
June". Pure logic: no models, no database (the caller gives the rule, the times and, when only
the sessions know it, the last date).

A simple weekly rule (what the schedule builder can show: `builder.schedule_from_recurrence`)
reads as its weekdays, every how many weeks, the time and how long it runs; anything else (a
monthly rule, several rules, extra dates) as "on several dates" with the time and the last
date. A course with no rule is one date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import formats
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from recurrence import Recurrence

from scheduling import builder


def _day(day: date) -> str:
    return formats.date_format(day, "j E")


def _times(start_time: time, duration_minutes: int) -> str:
    start = datetime.combine(date(2000, 1, 3), start_time)
    end = start + timedelta(minutes=duration_minutes)
    return f"{start:%H:%M}–{end:%H:%M}"


def weekdays_in_words(weekdays: tuple[str, ...]) -> str:
    """("TU", "TH") -> "Tue and Thu"; three or more: "Mon, Wed and Fri" (translated)."""
    names = [str(WEEKDAYS_ABBR[builder.WEEKDAYS.index(d)]) for d in weekdays]
    if len(names) <= 1:
        return "".join(names)
    return _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}


def _span(first: date, last: date | None, today: date | None) -> str:
    """ "from 5 January until 30 June", "until 30 June", "from 5 January" or nothing: the first
    date only while it is still to come."""
    parts = []
    if today is not None and first > today:
        parts.append(_("from %(date)s") % {"date": _day(first)})
    if last is not None:
        parts.append(_("until %(date)s") % {"date": _day(last)})
    return " ".join(parts)


def schedule_in_words(
    *,
    recurrence: Recurrence | None,
    start_date: date,
    start_time: time,
    duration_minutes: int,
    tz: tzinfo,
    last_date: date | None = None,
    today: date | None = None,
) -> str:
    """The schedule as a person reads it. `last_date`: the last session's local date, used when
    the rule itself does not say it (COUNT, or a rule the builder cannot show); `today`: the
    first date is said only while it is still to come."""
    times = _times(start_time, duration_minutes)
    if recurrence is None or not (recurrence.rrules or recurrence.rdates):
        return f"{formats.date_format(start_date, 'D j E')}, {times}"
    schedule = builder.schedule_from_recurrence(recurrence, tz)
    if schedule is None:
        head = _("On several dates, %(times)s") % {"times": times}
        span = _span(start_date, last_date, today)
        return f"{head}, {span}" if span else head
    days = weekdays_in_words(schedule.weekdays)
    if schedule.interval > 1:
        days = ngettext(
            "%(days)s every %(weeks)s week", "%(days)s every %(weeks)s weeks", schedule.interval
        ) % {"days": days, "weeks": schedule.interval}
    last = schedule.until or (last_date if schedule.count else None)
    span = _span(start_date, last, today)
    return f"{days} {times}, {span}" if span else f"{days} {times}"
