"""The public calendar of a centre: which sessions to show, week or list. Shared by the centre
page and the website embed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from courses.models import Centre
from scheduling import rules
from scheduling.models import Session


@dataclass(frozen=True)
class CalendarPage:
    centre: Centre
    view: str
    start: date
    end: date  # exclusive
    days: list[tuple[date, list[Session]]]
    filters: dict[str, Any]
    errors: list[str]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous_week(self) -> str:
        """The query string of the week before ("" before the first week that can be shown)."""
        return self._week_query(self.start - timedelta(days=7))

    @property
    def next_week(self) -> str:
        return self._week_query(self.start + timedelta(days=7))

    def _week_query(self, monday: date) -> str:
        if monday + timedelta(days=6) < rules.FIRST_DAY or monday > rules.LAST_DAY:
            return ""
        return self._query(week=monday.isoformat())

    def _query(self, **changes: str) -> str:
        params = {k: v for k, v in {**self.filters, "view": self.view, **changes}.items() if v}
        return "?" + urlencode(params)


def calendar_page(
    centre: Centre,
    data: dict[str, Any],
    *,
    errors: list[str] | None = None,
    now: datetime | None = None,
) -> CalendarPage:
    """Find the sessions the filters ask for (read by `scheduling.forms.read_filters`); the
    filters that could not be read are reported in `errors`."""
    errors = errors or []
    tz = centre.tz
    today = (now or timezone.now()).astimezone(tz).date()
    view = data.get("view") or "list"
    if view == "week":
        anchor = data.get("week") or today
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
    else:
        start = today
        end = start + timedelta(weeks=data.get("weeks") or 4)
    sessions = Session.objects.filter(
        course__centre=centre,
        course__published=True,
        starts_at__gte=rules.localize(datetime.combine(start, time()), tz),
        starts_at__lt=rules.localize(datetime.combine(end, time()), tz),
    )
    if view == "list":
        sessions = sessions.filter(ends_at__gte=now or timezone.now())
    for name in ("kind", "audience", "level"):
        if data.get(name):
            sessions = sessions.filter(**{f"course__{name}": data[name]})
    if data.get("course"):
        sessions = sessions.filter(course__slug=data["course"])
    sessions = sessions.select_related("course__centre", "venue").order_by("starts_at", "pk")
    days = [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: s.starts_at.astimezone(tz).date())
    ]
    if view == "week":
        found = dict(days)
        days = [
            (start + timedelta(days=n), found.get(start + timedelta(days=n), [])) for n in range(7)
        ]
    filters = {name: (data.get(name) or "") for name in ("kind", "audience", "level", "course")}
    if data.get("weeks"):
        filters["weeks"] = str(data["weeks"])
    return CalendarPage(centre, view, start, end, days, filters, errors)
