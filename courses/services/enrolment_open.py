"""Whether a course or session takes enrolments at all: the refusals that are the same for
everybody (no booking needed, booked by appointment, not published or closed, a session
cancelled or started, a course finished). Asked before a code is sent and again under the
lock (`courses.services.enrolment`)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from courses.errors import EnrolmentClosed, SessionUnavailable
from courses.models import BookingMode, Course
from scheduling.models import Session, SessionStatus


def check_open(
    course: Course,
    session: Session | None,
    *,
    public: bool,
    now: datetime,
    running: bool | None = None,
) -> None:
    """Refuse an enrolment the course or session does not take (the same for everybody).
    `running`: whether a course booked as a whole has a session still to end, when the caller
    counted it already (`standing`); else it is asked here."""
    if course.booking_mode == BookingMode.OPEN:
        raise EnrolmentClosed(_("No booking is needed for this: just come."))
    if course.booking_mode == BookingMode.SLOTS:  # an appointment, never a place in the course
        raise EnrolmentClosed(_("This consultation is booked by appointment: choose a time."))
    if public and not course.published:
        raise EnrolmentClosed(_("This course is not open for enrolment."))
    if public and not course.enrolment_open:
        raise EnrolmentClosed(_("Enrolment for this course is closed."))
    if session is not None:
        if session.status == SessionStatus.CANCELLED:
            raise SessionUnavailable(_("This session is cancelled."), field="session")
        if session.starts_at <= now:
            raise SessionUnavailable(_("This session has already started."), field="session")
        return
    if running is None:
        running = course.sessions.scheduled().filter(ends_at__gt=now).exists()
    if not running:
        raise EnrolmentClosed(_("This course has finished."))
