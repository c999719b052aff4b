"""What a closure would remove, shown before it is saved."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from courses.models import Centre
from scheduling import rules
from scheduling.models import Session, SessionStatus


def sessions_removed_by(
    *, centre: Centre | None, starts_on: date, ends_on: date, now: datetime | None = None
) -> list[Session]:
    """The sessions still to come that a closure of these days takes away: those the courses'
    rules made and nobody moved or cancelled (moved, cancelled and one-off sessions stay)."""
    now = now or timezone.now()
    tz = centre.tz if centre is not None else timezone.get_current_timezone()
    qs = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        moved=False,
        original_start__isnull=False,
        starts_at__gte=max(now, rules.localize(datetime.combine(starts_on, time()), tz)),
        starts_at__lt=rules.localize(datetime.combine(ends_on + timedelta(days=1), time()), tz),
    )
    if centre is not None:
        qs = qs.filter(course__centre=centre)
    return list(qs.select_related("course__centre", "venue").order_by("starts_at", "id")[:500])
