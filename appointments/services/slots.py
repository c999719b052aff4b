"""Blocking and freeing slots (signatures first)."""

from __future__ import annotations

from datetime import datetime

from appointments.models import BlockedSlot
from courses.selectors.tenancy import Actor
from scheduling.models import Session


def slot_block(
    *, session: Session, starts_at: datetime, actor: Actor, reason: str = ""
) -> BlockedSlot:
    raise NotImplementedError


def slot_unblock(*, session: Session, starts_at: datetime, actor: Actor) -> None:
    raise NotImplementedError
