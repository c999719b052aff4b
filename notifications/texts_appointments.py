"""The SMS about one appointment, in the person's language: booked, reminder, moved, cancelled,
and a freed slot booked from the day's waitlist. Each names the consultation (or, when it is
sensitive, only "your appointment at <centre>"), the day and time, and how it is held: the
place in person, "by phone", or "by video" (the link itself is only on the person's page, never
in an SMS that someone else may read), and whether an interpreter will be there (never which
language: that would say something about the person). A sensitive consultation never names the
topic nor the place. Cut to fit MAX_APPOINTMENT_SEGMENTS: the place goes first, then the title
(or the centre's name) is cut, then the shorter wordings, then the weekday. Without models:
the context was taken when it was planned."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from notifications.models import MessageKind
from notifications.segments import sms_size
from notifications.texts import _clip, _clip_centre, _when, personal_link

MAX_APPOINTMENT_SEGMENTS = 3
TITLE_LIMIT = 40
MIN_TITLE = 16
LAST_TITLE = 10
PLACE_LIMIT = 40


def _templates() -> dict[str, str]:
    return {
        MessageKind.APPOINTMENT_BOOKED: _("Booked: %(what)s. To change or cancel: %(link)s"),
        MessageKind.APPOINTMENT_REMINDER: _("Reminder: %(what)s. %(link)s"),
        MessageKind.APPOINTMENT_MOVED: _("New time: %(what)s. %(link)s"),
        MessageKind.APPOINTMENT_CANCELLED: _("Cancelled: %(what)s. %(link)s"),
        MessageKind.APPOINTMENT_OFFERED: _("A freed time is booked for you: %(what)s. %(link)s"),
    }


def render_appointment(kind: str, context: dict[str, Any], language: str) -> str:
    """The text of one appointment SMS (the caller has switched to `language`)."""
    tz = ZoneInfo(context.get("tz") or settings.TIME_ZONE)
    starts = datetime.fromisoformat(context["starts_at"]) if context.get("starts_at") else None
    when = _when(starts, tz)
    sensitive = bool(context.get("sensitive"))
    centre = " ".join(str(context.get("centre") or "").split())
    titles = context.get("title") or {}
    title = " ".join(str(titles.get(language) or titles.get("pl", "")).split())

    def named(limit: int) -> str:
        if sensitive:  # the centre, never the topic
            return _("your appointment at %(centre)s") % {"centre": _clip_centre(centre, limit)}
        return _clip(title, limit)

    mode = context.get("mode") or "in_person"
    place = "" if sensitive or mode != "in_person" else str(context.get("place") or "")
    hows = {
        "phone": (_("by phone: we will call you"), _("by phone")),
        "video": (_("by video: the link is on your page"), _("by video")),
    }.get(mode, ("", ""))
    helpers = (
        (_("an interpreter will be there"), _("with an interpreter"))
        if context.get("interpreter")
        else ("", "")
    )
    template = _templates()[kind]
    link = personal_link(context.get("link", ""), language)
    cancelled = kind == MessageKind.APPOINTMENT_CANCELLED

    def text(limit: int, day: bool, with_place: bool, short: int) -> str:
        moment = " ".join(p for p in (when["day"] if day else "", when["date"], when["time"]) if p)
        parts = [named(limit), moment]
        if not cancelled:
            parts += [_clip(" ".join(place.split()), PLACE_LIMIT) if with_place else ""]
            parts += [hows[short], helpers[short]]
        return template % {"what": ", ".join(p for p in parts if p), "link": link}

    # What gives way, in order: the place, the title (or the centre) cut, the longer wording
    # of how and of the interpreter, the weekday, then the title (or centre) cut further.
    steps = (
        (TITLE_LIMIT, True, True, 0),
        (TITLE_LIMIT, True, False, 0),
        (MIN_TITLE, True, False, 0),
        (MIN_TITLE, True, False, 1),
        (MIN_TITLE, False, False, 1),
    )
    for step in steps:
        candidate = text(*step)
        if sms_size(candidate).segments <= MAX_APPOINTMENT_SEGMENTS:
            return candidate
    return text(LAST_TITLE, False, False, 1)
