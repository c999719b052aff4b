"""Reporting periods: whole local calendar days, held sessions within them, weeks and months.

A session is *held* when it is not cancelled and has already ended; a period is a range of the
centre's local calendar days, both ends included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from courses.models import Centre
from scheduling.models import SessionStatus

WEEKS_UP_TO_DAYS = 92  # longer periods are charted by month


@dataclass(frozen=True)
class Period:
    """Local calendar days from `start` to `end`, both included."""

    start: date
    end: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as aware instants in `tz`: [first midnight, midnight after the end)."""
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def held_sessions_q(
    centres: Iterable[Centre], *, period: Period | None, now: datetime, prefix: str = ""
) -> Q:
    """Sessions of `centres` held by `now` (not cancelled, ended) and starting within `period`
    in each centre's own time zone. `prefix` reaches the session from another model."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for centre in centres:
        by_zone[centre.timezone].append(centre.pk)
    if not by_zone:
        return Q(**{f"{prefix}pk__in": []})
    where = Q()
    for zone, ids in by_zone.items():
        part = Q(**{f"{prefix}course__centre_id__in": ids})
        if period is not None:
            start, end = period.bounds(ZoneInfo(zone))
            part &= Q(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end})
        where |= part
    return where & Q(**{f"{prefix}status": SessionStatus.SCHEDULED, f"{prefix}ends_at__lte": now})


def timeline_unit(period: Period) -> str:
    """ "week" for periods up to WEEKS_UP_TO_DAYS days, "month" for longer ones."""
    return "week" if period.days <= WEEKS_UP_TO_DAYS else "month"


def bucket_start(day: date, unit: str) -> date:
    """The first day of the week (Monday) or month that `day` falls in."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def bucket_starts(period: Period, unit: str) -> list[date]:
    """Every week (from its Monday) or month (from its first day) the period touches."""
    starts = []
    current = bucket_start(period.start, unit)
    while current <= period.end:
        starts.append(current)
        if unit == "week":
            current += timedelta(days=7)
        else:
            current = (current + timedelta(days=32)).replace(day=1)
    return starts
