"""A specialist's appointments in their private calendar feed (the trainer's feed behind a
token, `/calendars/private/<token>.ics`), beside the duty hours of their consultations.

One event per appointment that holds its slot (booked, attended, not come), from the feed's
cutoff on. A calendar is read on phones, shared with assistants and synced to other services,
so an event names the person by their initials only, never their name, phone or note: the
summary is "O. K. · <consultation>", the description the language, the interpreter and how it
is held. The public feeds of a consultation show its duty hours only (`scheduling.feeds`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from appointments.languages import CONSULTATION_LANGUAGES
from appointments.models import ACTIVE_STATUSES, Appointment
from scheduling import ical
from scheduling.feeds import FeedShape, feed_cutoff, feed_host

LANGUAGE_NAMES = dict(CONSULTATION_LANGUAGES)


def initials(name: str) -> str:
    """The initials of a name ("Olena Kowalenko": "O. K."); an erased person's: "–"."""
    letters = [word[0].upper() for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return " ".join(f"{letter}." for letter in letters[:3]) or "–"


def specialist_version_key(user_id: int) -> str:
    """What changes whenever an appointment of the user's consultations is booked, moved,
    cancelled or marked (one aggregate): part of the trainer feed's ETag."""
    facts = Appointment.objects.filter(course__trainers=user_id).aggregate(
        n=Count("id"), ids=Sum("id"), modified=Max("updated_at")
    )
    return f"appointments:{facts['n']}:{facts['ids']}:{facts['modified']}"


def _event(appointment: Appointment, host: str, shape: FeedShape) -> ical.SingleEvent:
    course = appointment.course
    tz = course.centre.tz
    language = LANGUAGE_NAMES.get(appointment.language, appointment.language)
    parts = [
        _("Language: %(language)s") % {"language": language},
        _("Interpreter: %(name)s") % {"name": appointment.interpreter.name}
        if appointment.interpreter is not None
        else _("No interpreter"),
        appointment.get_mode_display(),
    ]
    if appointment.status != "booked":
        parts.append(appointment.get_status_display())
    venue = appointment.session.venue or course.venue
    url = settings.PUBLIC_BASE_URL + course.get_absolute_url()
    return ical.SingleEvent(
        uid=f"appointment-{appointment.pk}@{host}",
        text=ical.Text(
            summary=f"{initials(appointment.participant.name)} · {course.title}",
            description="\n".join(parts) if shape.descriptions else language,
            location=venue.full_address if venue is not None else "",
            url=url,
        ),
        start=appointment.starts_at.astimezone(tz),
        end=appointment.ends_at.astimezone(tz),
        # Rises with every change (a move above all): seconds since it was booked.
        sequence=max(int((appointment.updated_at - appointment.created_at).total_seconds()), 0),
        last_modified=appointment.updated_at,
    )


def specialist_events(user_id: int, *, now: datetime, shape: FeedShape) -> list[ical.SingleEvent]:
    """The appointments of the consultations the user holds, as events (one query)."""
    host = feed_host()
    rows = (
        Appointment.objects.filter(
            course__trainers=user_id,
            status__in=ACTIVE_STATUSES,
            ends_at__gte=now - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS + 1),
        )
        .select_related("course__centre", "course__venue", "session__venue", "participant")
        .select_related("interpreter")
        .order_by("starts_at", "pk")
    )
    found = []
    last = now + timedelta(days=shape.days_ahead) if shape.days_ahead else None
    for appointment in rows:
        if appointment.ends_at < feed_cutoff(appointment.course.centre.tz, now):
            continue
        if last is not None and appointment.starts_at > last:
            continue
        found.append(_event(appointment, host, shape))
    return found
