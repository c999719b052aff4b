"""Reads of the outbox, and who is told of a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet

from courses.models import BookingMode, Course, Enrolment, EnrolmentStatus
from notifications.models import MessageStatus, OutboundMessage
from scheduling.models import Session


@dataclass(frozen=True)
class Backlog:
    count: int
    oldest_due_at: datetime | None


def outbox_backlog(*, now: datetime) -> Backlog:
    """Messages that are due and not yet handed to the provider (waiting, or taken by a
    dispatcher), and when the oldest of them was due: for monitoring (/healthz). One query on
    the (status, due_at) index."""
    counts = OutboundMessage.objects.filter(
        status__in=[MessageStatus.PENDING, MessageStatus.CLAIMED], due_at__lte=now
    ).aggregate(count=Count("id"), oldest=Min("due_at"))
    return Backlog(count=counts["count"], oldest_due_at=counts["oldest"])


def confirmed_for(session: Session) -> QuerySet[Enrolment]:
    """The confirmed places at `session` (a place in the whole course, or in that session for a
    course booked by session), with their people and courses."""
    course = session.course
    qs = Enrolment.objects.filter(status=EnrolmentStatus.CONFIRMED).select_related(
        "participant", "course__centre", "course__venue"
    )
    if course.booking_mode == BookingMode.SESSION:
        return qs.filter(session=session)
    return qs.filter(course=course, session__isnull=True)


def childcare_course_ids() -> set[int]:
    """The courses that are some class's childcare (the only ones `told_by_class` asks of)."""
    return set(Course.objects.exclude(childcare=None).values_list("childcare_id", flat=True))


def told_apart(
    session: Session,
    *,
    status: str | None = None,
    reminders: bool = False,
    childcares: set[int] | None = None,
) -> tuple[list[Enrolment], int]:
    """The confirmed places whose people hear of a change of `session` (or get its reminders),
    and how many are left out: at a class's childcare, the parents the class's SMS tells
    (`told_by_class`): one SMS for one family's booking. `status`: the session's status when
    they are told (for a page that shows who will be told before the change), else its own;
    `childcares`: `childcare_course_ids()` when the caller has read it for many sessions."""
    places = list(confirmed_for(session))
    parents = told_by_class(
        session,
        [place.participant_id for place in places],
        status=status,
        reminders=reminders,
        childcares=childcares,
    )
    told = [place for place in places if place.participant_id not in parents]
    return told, len(places) - len(told)


def told_for(
    session: Session, *, reminders: bool = False, childcares: set[int] | None = None
) -> list[Enrolment]:
    """The places told of `session` as it is now (`told_apart`)."""
    return told_apart(session, reminders=reminders, childcares=childcares)[0]


def told_by_class(
    session: Session,
    people: list[int],
    *,
    status: str | None = None,
    reminders: bool = False,
    childcares: set[int] | None = None,
) -> set[int]:
    """Of `people` (participant ids) with a place at `session`, a class's childcare's, those who
    also hold a confirmed place at the class's session at the same start in the same state
    (cancelled or moved with it, or both on): the class's SMS tells them. A childcare's session
    changed on its own is told to all its people. With `reminders`: only when the class sends
    reminders (its reminders stand for the family's; the childcare's own hours are not added).
    No query when `childcares` (the childcare courses' ids) says the course is none."""
    if not people or (childcares is not None and session.course_id not in childcares):
        return set()
    at_class = Q(starts_at=session.starts_at, status=status or session.status)
    classes = Enrolment.objects.filter(
        Q(session__isnull=True, course__sessions__in=Session.objects.filter(at_class))
        | Q(session__in=Session.objects.filter(at_class)),
        status=EnrolmentStatus.CONFIRMED,
        participant_id__in=people,
        course__childcare_id=session.course_id,
    )
    if reminders:
        classes = classes.exclude(course__reminder_hours="")
    return set(classes.values_list("participant_id", flat=True))
