"""Writes for one session: cancel, restore, move, add, and its details. Each owns its
transaction and announces the change (scheduling.signals) inside it.

A class with a childcare (`Course.childcare`) keeps it at its times: cancelling, restoring or
moving one of the class's sessions does the same to the childcare's session at that time (the
one with the same start), in the same transaction, locked after the class's, and its people
hear of it as the class's do."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import InvalidSessionTime, SessionCancelled, WrongCentre
from courses.models import Course, Venue
from courses.services.enrolment import waitlist_promote
from courses.text import clean_text, limit_check, text_limit
from scheduling import rules, signals
from scheduling.models import Session, SessionStatus
from scheduling.services.generation import course_touch

Actor = AbstractBaseUser | AnonymousUser | None


def _locked_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__centre", "venue")
        .get(pk=session.pk)
    )


def _childcare_session(session: Session, starts_at: datetime) -> Session | None:
    """The session of the class's childcare starting at `starts_at`, locked (after the class's
    session, always in that order); None when the course has no childcare or it has none then."""
    care_id = session.course.childcare_id
    if care_id is None:
        return None
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__centre", "venue")
        .filter(course_id=care_id, starts_at=starts_at)
        .order_by("pk")
        .first()
    )


def session_cancel(
    *,
    session: Session,
    actor: Actor = None,
    quiet: bool = False,
    note: str = "",
    note_in_sms: bool = False,
) -> Session:
    """Cancel one session (and its childcare's session at that time). Cancelling a cancelled
    session changes nothing. `quiet`: part of a whole course's cancellation, which people hear
    about once.

    `note` (why, what instead) becomes the session's note for participants (empty: the note
    stays as it is); `note_in_sms`: the cancellation notice carries it too."""
    note = _note(note)
    with transaction.atomic():
        session = _locked_session(session)
        if session.status == SessionStatus.CANCELLED:
            return session
        care = _childcare_session(session, session.starts_at)
        for each in (session, care):
            if each is not None and each.status != SessionStatus.CANCELLED:
                _cancel(each, actor=actor, quiet=quiet, note=note, note_in_sms=note_in_sms)
    return session


def _cancel(session: Session, *, actor: Actor, quiet: bool, note: str, note_in_sms: bool) -> None:
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    fields = ["status", "sequence", "updated_at"]
    if note:
        session.note = note
        fields.append("note")
    session.save(update_fields=fields)
    course_touch(session.course_id)
    signals.session_cancelled.send(
        sender=Session, session=session, actor=actor, quiet=quiet, note_in_sms=note_in_sms
    )


def session_restore(*, session: Session, actor: Actor = None) -> Session:
    """Put a cancelled session back on (and its childcare's session at that time). Restoring a
    scheduled session changes nothing."""
    with transaction.atomic():
        session = _locked_session(session)
        if session.status == SessionStatus.SCHEDULED:
            return session
        care = _childcare_session(session, session.starts_at)
        for each in (session, care):
            if each is None or each.status == SessionStatus.SCHEDULED:
                continue
            each.status = SessionStatus.SCHEDULED
            each.sequence += 1
            each.save(update_fields=["status", "sequence", "updated_at"])
            course_touch(each.course_id)
            signals.session_restored.send(sender=Session, session=each, actor=actor)
    return session


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidSessionTime(_("Give times with their time zone or UTC offset."))
    if ends_at <= starts_at:
        raise InvalidSessionTime(_("A session must end after it starts."), field="ends_at")
    if ends_at - starts_at > timedelta(minutes=rules.MAX_DURATION_MINUTES):
        raise InvalidSessionTime(_("A session lasts at most 24 hours."), field="ends_at")
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not rules.in_range(moment):
            raise InvalidSessionTime(rules.out_of_range_message(), field=name)


def _check_venue(venue: Venue | None, course: Course) -> None:
    if venue is not None and venue.centre_id != course.centre_id:
        raise WrongCentre(_("The venue belongs to another centre."), field="venue")


_UNSET: object = object()


def session_move(
    *,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | object | None = _UNSET,
    actor: Actor = None,
    note: str = "",
    note_in_sms: bool = False,
) -> Session:
    """Move one session to a new time (and place). It then survives re-generation.

    The class's childcare's session at the old time moves to the same times with it; it
    follows a change of venue when it was at the class's venue (a room of its own stays).
    `note` and `note_in_sms` as for `session_cancel`. A move to where the session already is
    changes nothing."""
    _check_times(starts_at, ends_at)
    note = _note(note)
    with transaction.atomic():
        session = _locked_session(session)
        if session.status == SessionStatus.CANCELLED:
            raise SessionCancelled(_("This session is cancelled: restore it before moving it."))
        new_venue = session.venue if venue is _UNSET else venue
        assert new_venue is None or isinstance(new_venue, Venue)  # noqa: S101 - narrowing
        _check_venue(new_venue, session.course)
        if (session.starts_at, session.ends_at, session.venue) == (starts_at, ends_at, new_venue):
            return session
        _refuse_childcare_alone(session)
        care = _childcare_session(session, session.starts_at)
        care_venue = None
        if care is not None:
            care_venue = new_venue if care.venue_id == session.venue_id else care.venue
        _move(session, starts_at, ends_at, new_venue, actor, note, note_in_sms)
        if care is not None:
            _move(care, starts_at, ends_at, care_venue, actor, note, note_in_sms)
    return session


def _refuse_childcare_alone(session: Session) -> None:
    """A childcare's session beside a class's session keeps its times: it moves with the class's."""
    beside = (
        Session.objects.filter(course__childcare_id=session.course_id, starts_at=session.starts_at)
        .select_related("course")
        .first()
    )
    if beside is not None:
        raise InvalidSessionTime(
            _(
                "This is the childcare of %(class)s: move the class's session and the "
                "childcare's session moves with it."
            )
            % {"class": beside.course.title},
            field="starts_at",
        )


def _move(
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None,
    actor: Actor,
    note: str,
    note_in_sms: bool,
) -> None:
    """Set the times and place; people hear of it unless the session is cancelled (a
    childcare's session cancelled on its own keeps its class's times, quietly)."""
    previous = (session.starts_at, session.ends_at, session.venue)
    if previous == (starts_at, ends_at, venue):
        return
    session.starts_at, session.ends_at, session.venue = starts_at, ends_at, venue
    session.moved = True
    session.sequence += 1
    fields = ["starts_at", "ends_at", "venue", "moved", "sequence", "updated_at"]
    if note:
        session.note = note
        fields.append("note")
    session.save(update_fields=fields)
    course_touch(session.course_id)
    if session.status == SessionStatus.CANCELLED:
        return
    signals.session_moved.send(
        sender=Session,
        session=session,
        actor=actor,
        previous_starts_at=previous[0],
        previous_ends_at=previous[1],
        previous_venue=previous[2],
        note_in_sms=note_in_sms,
    )


def session_add(
    *,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    capacity: int | None = None,
    note: str = "",
) -> Session:
    """Add a one-off session outside the course's rule. A class with a childcare gets its
    childcare's session at the same times (unless the childcare has one then already): at the
    class's session's venue, or in the childcare's own room when it has another."""
    _check_times(starts_at, ends_at)
    _check_venue(venue, course)
    note = _note(note)
    place = venue if venue is not None else course.venue
    with transaction.atomic():
        session = Session.objects.create(
            course=course,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=place,
            capacity=capacity,
            note=note,
        )
        course_touch(course.pk)
        care = course.childcare
        if care is not None and not care.sessions.filter(starts_at=starts_at).exists():
            own_room = care.venue_id is not None and care.venue_id != course.venue_id
            Session.objects.create(
                course=care,
                starts_at=starts_at,
                ends_at=ends_at,
                venue=care.venue if own_room else place,
            )
            course_touch(care.pk)
    return session


def _note(note: str) -> str:
    """A session's note for participants (public), cleaned of control and invisible
    characters; refused (ValidationError) when longer than its limit."""
    note = clean_text(note)
    limit_check("note", note, text_limit("scheduling.Session.note"))
    return note


def session_update_details(
    *, session: Session, capacity: int | object | None = _UNSET, note: str | None = None
) -> Session:
    """Change what is not time, place or status: the capacity override and the note."""
    if note is not None:
        note = _note(note)
    with transaction.atomic():
        session = _locked_session(session)
        fields = []
        if capacity is not _UNSET and capacity != session.capacity:
            session.capacity = capacity  # type: ignore[assignment]
            fields.append("capacity")
        if note is not None and note != session.note:
            session.note = note
            fields.append("note")
        if fields:
            session.save(update_fields=[*fields, "updated_at"])
        if "note" in fields:  # shown in the feeds and on the course page: their versions move
            course_touch(session.course_id)
        if "capacity" in fields:
            waitlist_promote(course=session.course, session=session)
    return session
