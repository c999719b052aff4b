"""The centre timetable: every session of the user's courses in a week or a month, filtered;
a constant number of queries whatever the number of courses."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from scheduling.models import Session
from workspace.selectors.scope import Scope
from workspace.selectors.today import local_day_start

FILTERS = ("course", "kind", "trainer", "venue")


@dataclass(frozen=True)
class Day:
    day: date
    sessions: list[Session]
    in_month: bool = True


@dataclass(frozen=True)
class Timetable:
    view: str  # "week" or "month"
    start: date  # the first day shown
    end: date  # the day after the last
    anchor: date  # the week's Monday or the month's first day
    days: list[Day]
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def count(self) -> int:
        return sum(len(d.sessions) for d in self.days if d.in_month)

    def _query(self, **changes: str) -> str:
        params = {k: v for k, v in {**self.filters, "view": self.view, **changes}.items() if v}
        return "?" + urlencode(params)

    @property
    def previous(self) -> str:
        if self.view == "week":
            return self._query(date=(self.anchor - timedelta(days=7)).isoformat())
        return self._query(date=(self.anchor - timedelta(days=1)).replace(day=1).isoformat())

    @property
    def next(self) -> str:
        if self.view == "week":
            return self._query(date=(self.anchor + timedelta(days=7)).isoformat())
        return self._query(
            date=(self.end if self.end.day == 1 else self._month_after()).isoformat()
        )

    def _month_after(self) -> date:
        days = calendar.monthrange(self.anchor.year, self.anchor.month)[1]
        return self.anchor + timedelta(days=days)

    @property
    def switch_month(self) -> str:
        return self._query(view="month", date=self.anchor.isoformat())

    @property
    def switch_week(self) -> str:
        return self._query(view="week", date=self.anchor.isoformat())


def _bounds(view: str, day: date) -> tuple[date, date, date]:
    if view == "month":
        first = day.replace(day=1)
        last = first + timedelta(days=calendar.monthrange(first.year, first.month)[1] - 1)
        start = first - timedelta(days=first.weekday())
        end = last + timedelta(days=7 - last.weekday())
        return first, start, end
    monday = day - timedelta(days=day.weekday())
    return monday, monday, monday + timedelta(days=7)


def timetable_for(scope: Scope, *, view: str, day: date, filters: dict[str, Any]) -> Timetable:
    """Sessions from the first to the last day shown, by each centre's local date; three
    queries (sessions, their courses' trainers)."""
    anchor, start, end = _bounds(view, day)
    sessions = scope.sessions().filter(
        # a day of slack each side: centres east or west of the server's zone
        starts_at__gte=local_day_start(start - timedelta(days=1)),
        starts_at__lt=local_day_start(end + timedelta(days=1)),
    )
    if filters.get("course"):
        sessions = sessions.filter(course_id=filters["course"])
    if filters.get("kind"):
        sessions = sessions.filter(course__kind=filters["kind"])
    if filters.get("trainer"):
        sessions = sessions.filter(course__trainers=filters["trainer"])
    if filters.get("venue"):
        sessions = sessions.filter(venue_id=filters["venue"])
    sessions = sessions.prefetch_related(
        Prefetch("course__trainers", queryset=get_user_model().objects.order_by("username"))
    ).order_by("starts_at", "id")
    by_day: dict[date, list[Session]] = defaultdict(list)
    for session in sessions:
        local = session.starts_at.astimezone(session.course.centre.tz).date()
        if start <= local < end:
            by_day[local].append(session)
    days = [
        Day(
            start + timedelta(days=n),
            by_day.get(start + timedelta(days=n), []),
            view == "week" or (start + timedelta(days=n)).month == anchor.month,
        )
        for n in range((end - start).days)
    ]
    shown = {k: str(v) for k, v in filters.items() if k in FILTERS and v}
    return Timetable(view, start, end, anchor, days, shown)
