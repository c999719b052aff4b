"""What a course's timetable would make, before anything is saved: the sessions and the days
skipped, each with why. Reads only (closures); writes nothing.

Built on the generation's own pieces, so a preview cannot disagree with what saving makes: the
rule is checked by `rules.validate` with the limits `Course.clean` uses, expanded by
`rules.plan` (whose sessions are `rules.expand`'s, which `course_sessions_sync` saves) minus
the same `ClosedDays` (the centre's and global closures, and Polish public holidays when they
are skipped), up to the same horizon for an open-ended rule. Like a new course, it shows every
session from the first date (saving a change keeps past sessions as they are).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

import holidays
from django.conf import settings
from django.utils.translation import get_language
from recurrence import Recurrence

from courses.models import Centre
from scheduling import builder, rules
from scheduling.models import Closure
from scheduling.services import ClosedDays, closures_for

PREVIEW_MAX_SESSIONS = 500
SkipReason = Literal["holiday", "closure", "excluded"]
# The languages python-holidays names Polish holidays in, by the site's language; Russian (not
# among them) gets the Polish names, as untranslated course titles fall back to Polish.
_HOLIDAY_LANGUAGES = {"pl": "pl", "uk": "uk", "en": "en_US"}


@dataclass(frozen=True)
class SkippedDate:
    """A day the rule falls on that gets no session. `reason`: "holiday" (a Polish public
    holiday, `name` in the active language), "closure" (`name`: the closure's reason, may be
    empty) or "excluded" (a date to skip, EXDATE; `name` empty)."""

    date: date
    reason: SkipReason
    name: str


@dataclass(frozen=True)
class SessionsPreview:
    """The sessions (`rules.Occurrence`: `starts_at`, `ends_at` aware in the centre's zone,
    real durations across DST) and skipped days, in order, up to `limit` sessions.

    `total` is how many sessions saving makes; `truncated` when that is more than shown (the
    skipped days then stop before the first session not shown). `horizon_end`: the last date
    generated for an open-ended rule (SESSION_HORIZON_DAYS ahead), None when the rule ends."""

    sessions: list[rules.Occurrence]
    skipped: list[SkippedDate]
    total: int
    truncated: bool
    horizon_end: date | None


@functools.cache
def _holiday_names(language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("PL", language=language)


def holiday_name(day: date) -> str:
    """The name of the Polish public holiday on `day` in the active language ("" if none)."""
    lang = (get_language() or "pl").split("-")[0]
    return _holiday_names(_HOLIDAY_LANGUAGES.get(lang, "pl")).get(day) or ""


def _why(day: date, closures: list[Closure], *, public_holidays: bool) -> SkippedDate:
    """Why a day in ClosedDays is closed: a holiday first (ClosedDays asks that first), else
    the earliest closure covering it."""
    if public_holidays and (name := holiday_name(day)):
        return SkippedDate(day, "holiday", name)
    covering = [c for c in closures if c.starts_on <= day <= c.ends_on]
    covering.sort(key=lambda c: (c.starts_on, c.pk or 0))
    return SkippedDate(day, "closure", covering[0].reason if covering else "")


def _recurrence(value: str | builder.BuilderSchedule | Recurrence, centre: Centre) -> Recurrence:
    if isinstance(value, Recurrence):
        return value
    if isinstance(value, builder.BuilderSchedule):
        value = builder.schedule_to_text(value)
    return rules.parse(value, centre.tz)


def course_sessions_preview(
    *,
    centre: Centre,
    start_date: date,
    start_time: time,
    duration_minutes: int,
    recurrence: str | builder.BuilderSchedule | Recurrence,
    skip_public_holidays: bool = True,
    now: datetime | None = None,
    limit: int = PREVIEW_MAX_SESSIONS,
) -> SessionsPreview:
    """The sessions a course with these fields would get at `centre`, and the days skipped.

    `recurrence` is the course's rule: RFC 5545 text in the centre's local time, a
    `builder.BuilderSchedule` (from `builder.schedule_clean`) or a parsed Recurrence. Raises
    `rules.RuleError` (its `field` is "recurrence", "start_date" or "duration_minutes", its
    `message` translated) for what saving the course would refuse. Saves nothing.
    """
    schedule = rules.Schedule(
        recurrence=_recurrence(recurrence, centre),
        start_date=start_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        tz=centre.tz,
    )
    horizon = centre.horizon_end(now)
    rules.validate(schedule, max_sessions=settings.RECURRENCE_MAX_SESSIONS, horizon_end=horizon)
    closures = closures_for(centre)
    closed = ClosedDays(closures, public_holidays=skip_public_holidays)
    until = horizon if schedule.is_open_ended else date.max
    sessions: list[rules.Occurrence] = []
    skipped: list[SkippedDate] = []
    total = 0
    for found in rules.plan(schedule, until=until, excluded_dates=closed):
        if isinstance(found, rules.Occurrence):
            total += 1
            if total <= limit:
                sessions.append(found)
        elif total <= limit:
            day = found.original_start.date()
            if found.exdate:
                skipped.append(SkippedDate(day, "excluded", ""))
            else:
                skipped.append(_why(day, closures, public_holidays=skip_public_holidays))
    return SessionsPreview(
        sessions=sessions,
        skipped=skipped,
        total=total,
        truncated=total > limit,
        horizon_end=horizon if schedule.is_open_ended else None,
    )
