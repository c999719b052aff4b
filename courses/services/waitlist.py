"""Staff order a waitlist: move a person ahead of the one before them or behind the one after
them, or give them a priority, always with the reason, which is kept on the place.

The order is the one `courses.selectors.seats.waitlist_queue` gives (higher priority first,
then arrival), so a move changes the person's priority by as little as passes their
neighbour. The queue is read after the course row (or, booked per session, the session row)
is locked, as every seat change does: two staff moving people at the same moment each move
from the order the other left, never from a stale one. Audited with the priorities, never the
reason's text (it may say something personal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courses.errors import DomainError, InvalidTransition
from courses.models import AuditAction, Course, Enrolment, EnrolmentStatus
from courses.selectors.seats import waitlist_queue
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.services.enrolment import _locked_enrolment
from courses.services.locking import lock_wait
from courses.text import clean_line
from scheduling.models import Session

UP = "up"
DOWN = "down"
PRIORITY_LIMIT = 1000  # far beyond any real queue; keeps the number readable


@dataclass(frozen=True)
class Place:
    """One place in the queue as it stands under the lock."""

    pk: int
    priority: int
    created_at: datetime

    @property
    def arrival(self) -> tuple[datetime, int]:
        return (self.created_at, self.pk)


def _queue(course: Course, session: Session | None) -> list[Place]:
    return [
        Place(pk, priority, created_at)
        for pk, priority, created_at in waitlist_queue(course, session).values_list(
            "pk", "priority", "created_at"
        )
    ]


def _reason(reason: str) -> str:
    tidy = clean_line(reason)[:200]
    if not tidy:
        raise DomainError(_("Say why: the reason is kept with the place."), field="reason")
    return tidy


def _check_range(priority: int) -> None:
    if not -PRIORITY_LIMIT <= priority <= PRIORITY_LIMIT:
        raise DomainError(
            _("The priority must be between %(low)s and %(high)s.")
            % {"low": -PRIORITY_LIMIT, "high": PRIORITY_LIMIT},
            field="priority",
        )


def _passing(queue: list[Place], me: Place, direction: str) -> int:
    """The priority closest to `me`'s that puts them just past their neighbour."""
    index = next(i for i, place in enumerate(queue) if place.pk == me.pk)
    if direction == UP:
        if index == 0:
            raise InvalidTransition(_("This person is already first on the waitlist."))
        ahead = queue[index - 1]
        # Equal priorities go by arrival: the same priority is enough if they came first.
        return ahead.priority if me.arrival < ahead.arrival else ahead.priority + 1
    if index == len(queue) - 1:
        raise InvalidTransition(_("This person is already last on the waitlist."))
    behind = queue[index + 1]
    return behind.priority if me.arrival > behind.arrival else behind.priority - 1


def _set(
    enrolment: Enrolment, course: Course, priority: int, reason: str, actor: Actor, how: str
) -> Enrolment:
    before = enrolment.priority
    enrolment.priority = priority
    enrolment.priority_reason = reason
    enrolment.save(update_fields=["priority", "priority_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ENROLMENT_CHANGED,
        target=enrolment,
        centre=course.centre,
        participant=enrolment.participant,
        detail={
            "fields": ["priority", "priority_reason"],
            "priority_from": before,
            "priority_to": priority,
            "how": how,
        },
    )
    return enrolment


def _waiting(enrolment: Enrolment) -> tuple[Enrolment, Course, Session | None]:
    """The place and its course or session, locked in the services' one order."""
    fresh, course, session = _locked_enrolment(enrolment)
    if fresh.status != EnrolmentStatus.WAITLISTED:
        raise InvalidTransition(_("This person is no longer on the waitlist."))
    return fresh, course, session


def waitlist_move(*, enrolment: Enrolment, direction: str, reason: str, actor: Actor) -> Enrolment:
    """Move a waiting person ahead of the one before them (`UP`) or behind the one after them
    (`DOWN`). People who share the neighbour's priority and stood right ahead of it are passed
    too (their order is by arrival). The first cannot go up, the last cannot go down."""
    if direction not in (UP, DOWN):
        raise DomainError(_("Choose up or down."), field="direction")
    reason = _reason(reason)
    with transaction.atomic(), lock_wait():
        fresh, course, session = _waiting(enrolment)
        me = Place(fresh.pk, fresh.priority, fresh.created_at)
        priority = _passing(_queue(course, session), me, direction)
        _check_range(priority)
        return _set(fresh, course, priority, reason, actor, direction)


def waitlist_priority_set(
    *, enrolment: Enrolment, priority: int, reason: str, actor: Actor
) -> Enrolment:
    """Give a waiting person a priority (higher goes first; 0 is everyone's at first)."""
    _check_range(priority)
    reason = _reason(reason)
    with transaction.atomic(), lock_wait():
        fresh, course, _session = _waiting(enrolment)
        return _set(fresh, course, priority, reason, actor, "set")
