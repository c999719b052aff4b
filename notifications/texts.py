"""SMS texts in the participant's language: short, and never naming the topic of a sensitive
course, nor anything about nationality or status. Rendered at send time."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from notifications.drafts import text_for
from notifications.models import MessageKind
from notifications.segments import sms_size

MAX_REMINDER_SEGMENTS = 2
# A cancellation or move notice with the session's note (when staff ticked it) stays within
# this many segments: the note is cut to fit, or left out when too little of it would fit.
MAX_NOTICE_SEGMENTS = 3
MIN_NOTE = 12
TITLE_LIMIT = 40
PLACE_LIMIT = 40


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _when(moment: datetime | None, tz: Any) -> dict[str, str]:
    if moment is None:
        return {"date": "", "time": ""}
    local = moment.astimezone(tz)
    return {
        "date": formats.date_format(local, "j.m"),
        "time": formats.time_format(local, "H:i"),
    }


def message_context(
    *,
    course: Any,
    session: Any | None,
    participant: Any,
    position: int | None = None,
    offer_until: datetime | None = None,
    previous_start: datetime | None = None,
    note: str = "",
) -> dict[str, Any]:
    """What a text needs, taken when the message is planned (kept as JSON in the outbox).
    `note`: the session's note for participants, when staff asked for it in the notice."""
    tz = course.centre.tz
    venue = (session.venue if session is not None else None) or course.venue
    return {
        "course_id": course.pk,
        "sensitive": course.sensitive,
        "title": {lang: _title(course, lang) for lang, _name in settings.LANGUAGES},
        "centre": course.centre.name,
        "place": ", ".join(p for p in (venue.name, venue.address) if p) if venue else "",
        "starts_at": session.starts_at.isoformat() if session is not None else None,
        "previous_start": previous_start.isoformat() if previous_start else None,
        "tz": str(tz),
        "position": position,
        "offer_until": offer_until.isoformat() if offer_until else None,
        "link": settings.PUBLIC_BASE_URL + participant.get_absolute_url(),
        "note": note,
    }


def _title(course: Any, lang: str) -> str:
    with translation.override(lang):
        return str(course.title)


def render(kind: str, context: dict[str, Any], language: str) -> str:
    """The text of one SMS in `language`. Reminders are cut to fit two segments."""
    if kind == MessageKind.VERIFICATION_CODE:
        with translation.override(language):
            return _("Your code: %(code)s. Valid for 10 minutes. Do not share it.") % context
    if kind == MessageKind.STAFF_MESSAGE:  # as the staff wrote it, in the person's language
        return text_for(context["texts"], language)
    tz = ZoneInfo(context.get("tz") or settings.TIME_ZONE)
    with translation.override(language):
        title = (
            _("your appointment at %(centre)s") % {"centre": context["centre"]}
            if context.get("sensitive")
            else _clip(
                context["title"].get(language) or context["title"].get("pl", ""), TITLE_LIMIT
            )
        )
        starts = datetime.fromisoformat(context["starts_at"]) if context.get("starts_at") else None
        when = _when(starts, tz)
        place = "" if context.get("sensitive") else _clip(context.get("place", ""), PLACE_LIMIT)
        values = {"title": title, "link": context["link"], "place": place, **when}
        if kind == MessageKind.REMINDER:
            return _reminder(values)
        if kind == MessageKind.ENROLMENT_CONFIRMED:
            return _("Your place is confirmed: %(title)s. Details: %(link)s") % values
        if kind == MessageKind.PROMOTED:
            return _("Good news: a place is free and it is yours: %(title)s. %(link)s") % values
        if kind == MessageKind.WAITLISTED:
            return _("You are number %(position)s on the waitlist: %(title)s. %(link)s") % {
                **values,
                "position": context.get("position") or "?",
            }
        if kind == MessageKind.OFFER_MADE:
            until = _when(datetime.fromisoformat(context["offer_until"]), tz)
            return _(
                "A place is free for you: %(title)s. Accept by %(until_date)s %(until_time)s: "
                "%(link)s"
            ) % {**values, "until_date": until["date"], "until_time": until["time"]}
        if kind == MessageKind.OFFER_EXPIRED:
            return _("The offered place has passed to the next person: %(title)s.") % values
        # A sensitive course's SMS carry no free text: the note is on the personal page.
        note = "" if context.get("sensitive") else context.get("note") or ""
        if kind == MessageKind.SESSION_CANCELLED:
            return _with_note(
                _("Cancelled: %(title)s on %(date)s at %(time)s. %(link)s") % values, note
            )
        if kind == MessageKind.COURSE_CANCELLED:
            return _("Cancelled: %(title)s will not take place. We are sorry. %(link)s") % values
        if kind == MessageKind.SESSION_MOVED:
            return _with_note(
                _("Changed: %(title)s is now on %(date)s at %(time)s, %(place)s.") % values, note
            )
    raise ValueError(f"no text for {kind}")


def _reminder(values: dict[str, str]) -> str:
    with_place = _("Reminder: %(title)s, %(date)s at %(time)s, %(place)s.")
    without_place = _("Reminder: %(title)s, %(date)s at %(time)s.")
    text = (with_place if values["place"] else without_place) % values
    if sms_size(text).segments > MAX_REMINDER_SEGMENTS:
        text = without_place % values
    return text


def _with_note(text: str, note: str) -> str:
    """`text` followed by the note, cut so the SMS stays within MAX_NOTICE_SEGMENTS (or the
    segments the text takes alone, if more); without it when less than MIN_NOTE would fit."""
    note = " ".join(note.split())
    if not note:
        return text
    limit = max(MAX_NOTICE_SEGMENTS, sms_size(text).segments)
    if sms_size(f"{text} {note}").segments <= limit:
        return f"{text} {note}"
    fits, too_long = 0, len(note)  # the longest clip that fits, by bisection
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if sms_size(f"{text} {_clip(note, middle)}").segments <= limit:
            fits = middle
        else:
            too_long = middle
    return f"{text} {_clip(note, fits)}" if fits >= MIN_NOTE else text
