"""Writes for the catalogue. Each function owns its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courses import signals
from courses.models import SENSITIVE_SPECIALTIES, Centre, Course, Venue
from courses.services.enrolment import waitlist_promote
from courses.text import instance_tidy
from scheduling import rules
from scheduling.services import SyncResult, course_sessions_sync, course_touch, session_cancel

# Text typed by staff is cleaned before it is kept (courses.text: no control, direction-override
# or zero-width characters; one line for names, line breaks kept in the longer texts) and
# refused when longer than its limit (ValidationError, as a form would).
CENTRE_LINES = ("name", "network", "address", "city")
VENUE_LINES = ("name", "address", "city")


def course_save(
    *,
    course: Course,
    trainers: Iterable[AbstractBaseUser] | None = None,
    sensitive_chosen: bool = True,
) -> SyncResult:
    """Validate and save a course, then make its sessions follow its rule.

    A new course gets all its sessions; a changed one changes only its future sessions (the
    past is history). Raises ValidationError and saves nothing when a field or the rule is wrong.

    A course that becomes a psychological consultation (created as one, or its specialty changed
    to it) is saved sensitive unless `sensitive_chosen` says staff chose `sensitive` themselves
    (a form's ticked or unticked box they changed); staff may untick it later.
    """
    creating = course.pk is None
    instance_tidy(course, lines=("title",), texts=("description",))
    saved = (
        None
        if creating
        else Course.objects.filter(pk=course.pk).values("capacity", "specialty").first()
    )
    previous_capacity = saved["capacity"] if saved else None
    previous_specialty = saved["specialty"] if saved else None
    if (
        not sensitive_chosen
        and course.specialty in SENSITIVE_SPECIALTIES
        and course.specialty != previous_specialty
    ):
        course.sensitive = True
    course.full_clean()
    with transaction.atomic():
        course.save()
        if trainers is not None:
            course.trainers.set(trainers)  # type: ignore[arg-type]
        result = course_sessions_sync(course=course, since=None if creating else timezone.now())
        course_touch(course.pk)
        course.refresh_from_db(fields=["revision", "updated_at"])
    if previous_capacity is not None and course.capacity > previous_capacity:
        waitlist_promote(course=course)
    return result


def course_cancel(*, course: Course, actor: Any = None) -> int:
    """Cancel every session still to come and close enrolment; everyone enrolled or waiting
    hears it once (not once per session). Returns the number of sessions cancelled."""
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        upcoming = list(locked.sessions.upcoming())
        for session in upcoming:
            session_cancel(session=session, actor=actor, quiet=True)
        locked.enrolment_open = False
        locked.save(update_fields=["enrolment_open", "updated_at"])
        signals.course_cancelled.send(sender=Course, course=locked, actor=actor)
    course.refresh_from_db()
    return len(upcoming)


def course_delete(*, course: Course) -> None:
    """Delete a course with its sessions; its centre's feeds change with it.

    The course row is locked first, as the re-generation of its sessions locks it (a closure
    saved or deleted at the same moment): they take turns, and neither finds the other's half
    done. A course deleted meanwhile stays deleted."""
    with transaction.atomic():
        if not Course.objects.select_for_update().filter(pk=course.pk).values_list("pk"):
            return
        Centre.calendar_touch(centre_ids=[course.centre_id])
        course.delete()


def _apply(course: Course, fields: dict[str, Any]) -> Any:
    """Set the given fields; returns the trainers to set (None: unchanged)."""
    trainers = fields.pop("trainers", None)
    recurrence_text = fields.pop("recurrence_text", None)
    for name, value in fields.items():
        setattr(course, name, value)
    if recurrence_text is not None:
        try:
            course.recurrence = rules.parse(recurrence_text, course.centre.tz)
        except rules.RuleError as exc:
            raise ValidationError({"recurrence": [exc.message]}) from exc
    return trainers


def course_create(*, centre: Centre, **fields: Any) -> tuple[Course, SyncResult]:
    """Create a course and materialise its sessions.

    `recurrence_text` (RFC 5545 lines in the centre's local time) may be given instead of a
    parsed `recurrence`. A psychological consultation given no `sensitive` is sensitive.
    """
    course = Course(centre=centre)
    chosen = "sensitive" in fields
    trainers = _apply(course, fields)
    return course, course_save(course=course, trainers=trainers, sensitive_chosen=chosen)


def course_update(*, course: Course, **fields: Any) -> tuple[Course, SyncResult]:
    """Change a course; its future sessions follow the new rule, past ones stay as they are.
    A course changed to a psychological consultation with no `sensitive` given becomes
    sensitive; otherwise `sensitive` stays as it was unless given."""
    chosen = "sensitive" in fields
    trainers = _apply(course, fields)
    return course, course_save(course=course, trainers=trainers, sensitive_chosen=chosen)


def centre_save(*, centre: Centre, **fields: Any) -> Centre:
    """Change a centre's details (its feeds and pages follow: their fingerprint includes the
    centre's modification time)."""
    for name, value in fields.items():
        setattr(centre, name, value)
    instance_tidy(centre, lines=CENTRE_LINES, texts=("opening_hours",))
    with transaction.atomic():
        centre.save()
    return centre


def venue_save(*, venue: Venue, **fields: Any) -> Venue:
    """Add a venue or change it; the feeds of its courses follow."""
    for name, value in fields.items():
        setattr(venue, name, value)
    instance_tidy(venue, lines=VENUE_LINES, texts=("accessibility",))
    with transaction.atomic():
        venue.save()
    return venue


def venue_delete(*, venue: Venue) -> None:
    """Remove a venue no course or session uses (the database refuses the others)."""
    with transaction.atomic():
        venue.delete()
