"""Free slots and a day's slots (signatures first)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from appointments.slots import FreeSlot
from courses.models import Course
from scheduling.models import Session


def free_slots(
    *,
    courses: Sequence[Course],
    language: str,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> list[FreeSlot]:
    raise NotImplementedError


def day_slots(*, session: Session, now: datetime | None = None) -> list[dict[str, object]]:
    raise NotImplementedError
