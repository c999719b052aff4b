"""Next term's course from this term's: the same course on new dates, unpublished until staff
publish it; this term's confirmed participants may be offered their place first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals
from courses.models import (
    AuditAction,
    BookingMode,
    Course,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
)
from courses.selectors.tenancy import Actor, as_user
from courses.services.audit import audit_record
from courses.services.catalogue import course_save
from scheduling import builder, rules

# What the new term does not take over: its identity, its dates, its state and history.
# The old term's childcare is not the new class's (other dates): the new term's is linked anew.
NOT_COPIED = {"id", "slug", "published", "recurrence", "start_date", "revision", "childcare_id"}


@dataclass(frozen=True)
class TermCopy:
    course: Course
    invited: int


def _new_rule(course: Course, *, until: date | None, count: int | None) -> Any:
    """The course's weekly rule with the new end; this term's skipped dates are not carried."""
    tz = course.centre.tz
    schedule = builder.schedule_from_recurrence(course.recurrence, tz)
    if schedule is None:
        raise ValidationError(
            {
                "start_date": _(
                    "This course's rule is not a simple weekly one: copy it, then set its "
                    "dates in the course editor."
                )
            }
        )
    weekly = builder.BuilderSchedule(
        weekdays=schedule.weekdays, interval=schedule.interval, until=until, count=count
    )
    return rules.parse(builder.schedule_to_text(weekly), tz)


def _offer_until(course: Course, day: date) -> datetime:
    """The end of the local day `day` at the course's centre."""
    return rules.localize(datetime.combine(day + timedelta(days=1), time()), course.centre.tz)


def course_copy_to_term(
    *,
    course: Course,
    start_date: date,
    slug: str,
    until: date | None = None,
    count: int | None = None,
    invite_until: date | None = None,
    actor: Actor = None,
) -> TermCopy:
    """Make next term's course: every field and trainer of `course`, its weekly rule starting
    `start_date` and ending `until` (inclusive) or after `count` sessions (or never), not
    published. With `invite_until`, each confirmed participant of `course` (booked as a whole)
    is offered a place until the end of that day, before the seats open to the public: the
    offer's SMS goes out, and the waitlist machinery accepts, declines or expires it.

    Raises ValidationError (field -> message) and saves nothing when something is wrong."""
    if until is not None and count is not None:
        raise ValidationError({"count": _("Give an end date or a number of sessions, not both.")})
    today = timezone.localdate()
    if invite_until is not None:
        if invite_until < today:
            raise ValidationError({"invite_until": _("The offer must end today or later.")})
        if invite_until >= start_date:
            raise ValidationError(
                {"invite_until": _("The offer must end before the new term's first date.")}
            )
    if Course.objects.filter(centre=course.centre_id, slug=slug).exists():
        raise ValidationError({"slug": _("Another course of this centre has this short name.")})
    copy = Course(centre=course.centre)
    for field in Course._meta.concrete_fields:
        if field.attname not in NOT_COPIED and field.name not in ("created_at", "updated_at"):
            setattr(copy, field.attname, getattr(course, field.attname))
    copy.slug = slug
    copy.published = False
    copy.start_date = start_date
    copy.recurrence = _new_rule(course, until=until, count=count)
    trainers = list(course.trainers.all())
    with transaction.atomic():
        course_save(course=copy, trainers=trainers)
        invited = 0
        if invite_until is not None and course.booking_mode == BookingMode.COURSE:
            invited = _invite(course, copy, _offer_until(copy, invite_until), actor)
    return TermCopy(copy, invited)


def _invite(old: Course, new: Course, expires_at: datetime, actor: Actor) -> int:
    """Offer the new course's seats to the old course's confirmed people, earliest first."""
    people = (
        Enrolment.objects.filter(
            course=old,
            session__isnull=True,
            status=EnrolmentStatus.CONFIRMED,
            participant__erased_at__isnull=True,
        )
        .select_related("participant")
        .order_by("created_at", "pk")[: new.capacity]
    )
    kind = "staff" if as_user(actor) else "system"
    invited = 0
    for previous in people:
        enrolment = Enrolment.objects.create(
            participant=previous.participant,
            course=new,
            status=EnrolmentStatus.OFFERED,
            source=EnrolmentSource.STAFF,
            offer_expires_at=expires_at,
        )
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            from_status="",
            to_status=enrolment.status,
            actor=as_user(actor),
            actor_kind=kind,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CREATED,
            target=enrolment,
            centre=new.centre,
            participant=previous.participant,
            detail={"course": new.pk, "status": enrolment.status, "from_course": old.pk},
        )
        signals.offer_made.send(sender=Enrolment, enrolment=enrolment, actor=actor)
        invited += 1
    return invited
