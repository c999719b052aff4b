"""The day waitlist (signatures first)."""

from __future__ import annotations

from appointments.models import DayWaitlistEntry
from courses.models import Participant
from courses.selectors.tenancy import Actor
from scheduling.models import Session


def day_waitlist_join(
    *,
    session: Session,
    participant: Participant,
    language: str,
    actor: Actor = None,
    channel: str = "web",
) -> DayWaitlistEntry:
    raise NotImplementedError


def day_waitlist_leave(*, entry: DayWaitlistEntry, actor: Actor = None) -> DayWaitlistEntry:
    raise NotImplementedError
